"""The dialogue engine. It knows no screen: presenters drive it and listen to its events."""

from game.engine.conversation import (ChoiceUnavailable, ChoiceView, Conversation, ConversationError,
                                      ConversationOver, CustomerLine, NothingToUndo, UnknownChoice)
from game.engine.rules import Mood
from game.engine.scoring import Result, Turn

__all__ = ["ChoiceUnavailable", "ChoiceView", "Conversation", "ConversationError", "ConversationOver",
           "CustomerLine", "Mood", "NothingToUndo", "Result", "Turn", "UnknownChoice"]
