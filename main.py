"""Kuule from a checkout: run `python main.py --help` for the commands (installed, the command is `kuule`)."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python main.py"))
