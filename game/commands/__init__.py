"""One module per command of `python main.py`; each keeps its heavy imports inside `run`."""
