"""Kuule: an empathy-training game for customer-facing staff."""

__version__ = "0.1.0"
APP_NAME = "Kuule"
# how the user starts Kuule, for messages that name a command: `kuule` installed, `python main.py` in a
# checkout; game.cli.main sets it from how it was started
COMMAND = "kuule"


def as_typed(text: str) -> str:
    """`text` with its commands written as this user starts Kuule (texts are written with `python main.py`)."""
    return text.replace("python main.py", COMMAND) if COMMAND != "python main.py" else text
