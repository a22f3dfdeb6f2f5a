"""`python -m game` runs the same command line as `kuule` and `python main.py`."""

import sys

from game.cli import main

sys.exit(main(prog="python -m game"))
