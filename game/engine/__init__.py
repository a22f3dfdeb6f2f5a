"""The dialogue engine. It knows no screen: presenters drive it and listen to its events.

The names below are imported on first use, so tools that only need the pure rules
(validate, analyze) do not pay for loading the state-machine library.
"""

from importlib import import_module

_EXPORTS = {
    "ChoiceUnavailable": "game.engine.conversation", "ChoiceView": "game.engine.conversation",
    "Conversation": "game.engine.conversation", "ConversationError": "game.engine.conversation",
    "ConversationOver": "game.engine.conversation", "CustomerLine": "game.engine.conversation",
    "NothingToUndo": "game.engine.conversation", "UnknownChoice": "game.engine.conversation",
    "Mood": "game.engine.rules", "Result": "game.engine.scoring", "Turn": "game.engine.scoring",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'game.engine' has no attribute {name!r}")
