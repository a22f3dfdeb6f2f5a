"""The dialogue engine: one conversation with one customer.

Front ends drive it in the spirit of ink's story API:

    conversation = Conversation(scenario, seed=7, listeners=[print])
    conversation.line          # what the customer says, with cue and mood
    conversation.choices       # what the trainee can say, with availability
    conversation.choose("ask_open")
    conversation.ended, conversation.result

Under it is a `transitions` Machine whose states are the nodes, added as the
conversation reaches them (a conversation visits a few dozen nodes, so starting
one costs the same in a 100-node scenario and a 10,000-node one). Choices are
transitions on the `choose` trigger, guarded by their availability; interrupts
and guarded branches are transitions on the `interrupt` and `branch` triggers.
The state of the customer (mood, flags, healing) lives in an immutable
`rules.State`, changed only by the pure functions in `rules`, which path
analysis uses too. Randomness comes from the seed alone: the customer of the
session (a trait and a hidden stake, when the scenario declares them) and the
order of the answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from transitions import Machine

from game.engine import rules
from game.engine.events import ChoiceMade, Ended, Event, LineShown, MoodChanged, Redirected, RolledBack
from game.engine.rules import Mood, State
from game.engine.scoring import Result, Turn, compute_result, turn_for
from game.scenario.model import DEFAULT_INTENSITY, Choice, Node, Scenario, Text
from game.scenario.templates import needs_rendering, render_text

Listener = Callable[[Event], None]


class ConversationError(Exception):
    """A front end asked for something the conversation cannot do; nothing was changed."""


class UnknownChoice(ConversationError):
    def __init__(self, choice_id: str, node_id: str, offered: Sequence[str]):
        super().__init__(f"node '{node_id}' has no choice '{choice_id}'; it offers: {', '.join(offered) or 'nothing'}")
        self.choice_id, self.node_id, self.offered = choice_id, node_id, tuple(offered)


class ChoiceUnavailable(ConversationError):
    def __init__(self, choice_id: str, node_id: str):
        super().__init__(f"choice '{choice_id}' in node '{node_id}' is not available now")
        self.choice_id, self.node_id = choice_id, node_id


class ConversationOver(ConversationError):
    def __init__(self):
        super().__init__("the conversation has ended")


class NothingToUndo(ConversationError):
    def __init__(self):
        super().__init__("there is no choice to take back")


@dataclass(frozen=True)
class CustomerLine:
    node_id: str
    text: Text
    cue: Text | None
    thought: Text | None  # for debriefs and the customer's-eyes replay, never for live play
    opportunity: Text | None
    mood: Mood
    is_ending: bool
    outcome: str | None
    expression: str | None = None  # the face the author gave this line; it wins over the mood
    intensity: float | None = None
    variant: int | None = None  # which of the node's variants was said (1-based), None for its own line
    speaker: str | None = None  # who says it: one of the scenario's speakers, None for the customer


@dataclass(frozen=True)
class ChoiceView:
    id: str
    number: int  # 1-based position as shown
    text: Text
    tags: tuple[str, ...]
    feedback: Text | None
    available: bool
    code: str | None = None


@dataclass(frozen=True)
class _Snapshot:
    state: State
    order: tuple[str, ...]
    history_length: int
    rng_state: object
    line: CustomerLine


class _Walker:
    """The model the Machine moves; it holds nothing but `state`."""


def fill_in(scenario: Scenario, text: Text, variables: dict) -> Text:
    """A text of the scenario with its {variables} and {condition: fragments} filled in from `variables` (the
    flags and mood of a moment), the customer's name and the scenario's text variables."""
    variables = dict(variables, customer=scenario.customer.name if isinstance(scenario.customer.name, str) else "")
    texts = dict(scenario.texts)
    if not isinstance(scenario.customer.name, str):
        texts["customer"] = scenario.customer.name
    return render_text(text, variables, texts, scenario.languages)


def fill_in_at_start(scenario: Scenario, text: Text | None) -> Text | None:
    """`fill_in` as a conversation starts, before a customer is drawn: for what is read before playing."""
    if text is None or not needs_rendering(text):
        return text
    return fill_in(scenario, text, rules.initial_state(scenario).variables())


class Conversation:
    def __init__(self, scenario: Scenario, seed: int | None = None, listeners: Iterable[Listener] = (),
                 drawn: dict | None = None):
        """`drawn` restores the customer a logged session met (resume, replay); by default the seed draws it."""
        self.scenario = scenario
        self.seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        self._rng = random.Random(self.seed)
        self._listeners: list[Listener] = list(listeners)
        self.drawn = {kind: name for kind, name in (drawn or rules.draw(scenario, self.seed)).items()
                      if kind in ("trait", "stake")}
        self._state = rules.initial_state(scenario, self.drawn)
        self._seen: set[str] = set()
        self._hop_reason = ""
        self._order: tuple[str, ...] = ()
        self.history: list[Turn] = []
        self._snapshots: list[_Snapshot] = []
        self._walker = _Walker()
        self.machine = Machine(model=self._walker, states=[scenario.start], initial=scenario.start,
                               auto_transitions=False, send_event=True)
        self._wired: set[str] = set()  # nodes whose transitions the machine has
        self._states: set[str] = {scenario.start}  # nodes the machine has as states
        self._plain: set[int] = set()  # ids of the scenario's texts with nothing to fill in
        for trigger in ("choose", "interrupt", "branch"):
            self.machine.add_transition(trigger, [], None)  # the triggers exist from the start
        hops = self._settle(after_choice=False)
        self._emit_hops(hops)
        self._arrive()

    # -- building the machine -------------------------------------------------------------------
    def _wire(self, node_id: str):
        """Give the machine a node's transitions, the first time the conversation is there to leave it
        (a conversation visits a few dozen nodes: a 10,000-node scenario starts as fast as a small one)."""
        self._wired.add(node_id)
        node = self.scenario.nodes[node_id]
        targets = [choice.goto for choice in node.choices] + [branch.goto for branch in node.branches]
        if not node.is_ending:
            targets += [interrupt.goto for interrupt in self.scenario.interrupts]
        new = [target for target in dict.fromkeys(targets) if target not in self._states]
        if new:
            self.machine.add_states(new)
            self._states.update(new)
        add = self.machine.add_transition
        for choice in node.choices:
            add("choose", node.id, choice.goto, conditions=[partial(_is_choice, choice), self._choice_available],
                before=self._apply_choice)
        if node.is_ending:
            return
        for interrupt in self.scenario.interrupts:
            add("interrupt", node.id, interrupt.goto, conditions=partial(self._holds, interrupt.condition),
                before=partial(self._note_hop, interrupt.id))
        for branch in node.branches:
            add("branch", node.id, branch.goto, conditions=partial(self._branch_holds, branch),
                before=partial(self._note_hop, "branch"))

    def _choice_available(self, event) -> bool:
        choice = event.kwargs["choice"]
        return rules.is_available(self._state, self.node, choice)

    def _apply_choice(self, event):
        self._state = rules.apply_choice(self.scenario, self._state, self.node, event.kwargs["choice"])

    def _holds(self, condition, event) -> bool:
        return condition(self._state.variables())

    def _branch_holds(self, branch, event) -> bool:
        return rules.branch_holds(branch, self._state.variables(), self._seen)

    def _note_hop(self, reason: str, event):
        self._hop_reason = reason

    def _fire(self, trigger: str, **kwargs) -> bool:
        if self._walker.state not in self._wired:
            self._wire(self._walker.state)
        fired = self._walker.trigger(trigger, **kwargs)
        if fired:
            self._state = self._state._replace(node=self._walker.state)
        return fired

    def _settle(self, after_choice: bool) -> list[tuple[str, str, str]]:
        """Follow an interrupt (after a choice) and branches; the same order as rules.settle."""
        hops = []
        if after_choice and self.scenario.interrupts and not self.node.is_ending:
            source = self._walker.state
            if self._fire("interrupt"):
                hops.append((source, self._walker.state, self._hop_reason))
        self._seen = {self._walker.state}
        while self.node.branches and not self.node.is_ending:
            source = self._walker.state
            if not self._fire("branch"):
                break
            hops.append((source, self._walker.state, self._hop_reason))
            self._seen.add(self._walker.state)
        return hops

    # -- the API for front ends ---------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def node(self) -> Node:
        return self.scenario.nodes[self._walker.state]

    @property
    def mood(self) -> Mood:
        return self._state.mood

    @property
    def state(self) -> State:
        return self._state

    @property
    def turn(self) -> int:
        return len(self.history)

    @property
    def ended(self) -> bool:
        return self.node.is_ending

    @property
    def line(self) -> CustomerLine:
        return self._line

    def render(self, text: Text | None) -> Text | None:
        """A text with its {variables} and {condition: fragments} filled in from the conversation as it is now."""
        if text is None or id(text) in self._plain:
            return text
        if not needs_rendering(text):
            self._plain.add(id(text))  # the scenario's texts live as long as it: their ids stay theirs
            return text
        return fill_in(self.scenario, text, self._state.variables())

    def _say(self, node: Node) -> CustomerLine:
        """The line as said now: the node's own texts, or the first variant whose condition holds."""
        variant = rules.variant_of(node, self._state)
        number = node.variants.index(variant) + 1 if variant is not None else None
        text, cue, thought = node.line, node.cue, node.thought
        expression, intensity = node.expression, node.intensity
        if variant is not None:
            text = variant.line if variant.line is not None else text
            cue = variant.cue if variant.cue is not None else cue
            thought = variant.thought if variant.thought is not None else thought
            if variant.expression is not None:
                expression, intensity = variant.expression, variant.intensity
        if expression is not None and intensity is None:
            intensity = DEFAULT_INTENSITY
        text, cue, thought = self.render(text), self.render(cue), self.render(thought)
        return CustomerLine(node.id, text, cue, thought, node.opportunity, self._state.mood, node.is_ending,
                            node.ending.outcome if node.ending else None, expression, intensity, number, node.speaker)

    @property
    def choices(self) -> list[ChoiceView]:
        """The choices offered now, in their shown order; unavailable ones are included, greyed."""
        node = self.node
        views = []
        for choice_id in self._order:
            choice = node.choice(choice_id)
            if choice is None or rules.is_hidden(self._state, node, choice):
                continue
            views.append(ChoiceView(choice.id, len(views) + 1, self.render(choice.text), choice.tags,
                                    self.render(choice.feedback), rules.is_available(self._state, node, choice),
                                    choice.code))
        return views

    def choice_by_number(self, number: int) -> ChoiceView | None:
        views = self.choices
        return views[number - 1] if 1 <= number <= len(views) else None

    @property
    def choice_log(self) -> list[str]:
        """The choice IDs taken so far: with the seed, everything needed to restore this point."""
        return [turn.choice_id for turn in self.history]

    def choose(self, choice_id: str) -> Turn:
        """Take a choice by its ID. Raises a ConversationError, changing nothing, if it cannot be taken."""
        if self.ended:
            raise ConversationOver()
        node = self.node
        choice = node.choice(choice_id)
        if choice is None or rules.is_hidden(self._state, node, choice):
            raise UnknownChoice(choice_id, node.id, [view.id for view in self.choices])
        if not rules.is_available(self._state, node, choice):
            raise ChoiceUnavailable(choice_id, node.id)
        snapshot = _Snapshot(self._state, self._order, len(self.history), self._rng.getstate(), self._line)
        before = self._state
        offered = [c for c in node.choices if not rules.is_hidden(before, node, c) and rules.is_available(before, node, c)]
        answer = self.render(choice.text)  # as the trainee saw it, before the choice changes anything
        feedback = self.render(choice.feedback)
        if not self._fire("choose", choice=choice):
            raise ChoiceUnavailable(choice_id, node.id)
        hops = self._settle(after_choice=True)
        self._snapshots.append(snapshot)
        turn = turn_for(self.scenario, len(self.history) + 1, node, choice, before, self._state, offered, hops,
                        variant=snapshot.line.variant, said=snapshot.line.text, answer=answer,
                        thought=snapshot.line.thought, feedback=feedback)
        self.history.append(turn)
        self._emit(ChoiceMade(turn))
        if before.mood != self._state.mood:
            self._emit(MoodChanged(before.mood, self._state.mood, turn.number))
        self._emit_hops(hops)
        self._arrive()
        return turn

    def rollback(self) -> None:
        """Take back the last choice (practice mode): everything returns to how it was before it."""
        if not self._snapshots:
            raise NothingToUndo()
        snapshot = self._snapshots.pop()
        self._state = snapshot.state
        self._order = snapshot.order
        self._line = snapshot.line
        self._rng.setstate(snapshot.rng_state)
        del self.history[snapshot.history_length:]
        self.machine.set_state(snapshot.state.node, model=self._walker)
        self._emit(RolledBack(snapshot.state.node, len(self.history)))

    @property
    def can_rollback(self) -> bool:
        return bool(self._snapshots)

    @property
    def result(self) -> Result:
        """The scores so far; final once `ended` is true."""
        return compute_result(self.scenario, self.history, self._state.mood,
                              self._walker.state if self.ended else None, self.drawn)

    @classmethod
    def from_here(cls, scenario: Scenario, node_id: str, flags: dict | None = None, mood: dict | None = None,
                  seed: int | None = None, drawn: dict | None = None) -> "Conversation":
        """A trainer's "play from here": a conversation that starts at `node_id` with the flags and mood given
        (the rest as at the start). Practice only: it is never logged, since no real session led here."""
        conversation = cls(scenario, seed=seed, drawn=drawn)
        state = conversation._state
        values = dict(state.flags)
        values.update(flags or {})
        conversation._state = state._replace(node=node_id, flags=tuple(values.items()),
                                             mood=state.mood._replace(**(mood or {})))
        if node_id not in conversation._states:
            conversation.machine.add_states([node_id])
            conversation._states.add(node_id)
        conversation.machine.set_state(node_id, model=conversation._walker)
        conversation._arrive()
        return conversation

    @classmethod
    def replay(cls, scenario: Scenario, seed: int, choices: Iterable[str],
               listeners: Iterable[Listener] = (), drawn: dict | None = None) -> "Conversation":
        """Restore a conversation by replaying its choices (resume, hot reload, coach replay)."""
        conversation = cls(scenario, seed=seed, listeners=listeners, drawn=drawn)
        for choice_id in choices:
            conversation.choose(choice_id)
        return conversation

    # -- internals --------------------------------------------------------------------------------
    def _arrive(self):
        node = self.node
        self._line = self._say(node)
        choices = list(node.choices)
        if self.scenario.shuffle_choices and len(choices) > 1:
            choices = self._rng.sample(choices, len(choices))
        self._order = tuple(choice.id for choice in choices)
        self._emit(LineShown(node.id, len(self.history), self._state.mood, self._order))
        if node.is_ending:
            self._emit(Ended(node.id, node.ending.outcome, self.result))

    def _emit_hops(self, hops):
        for source, target, reason in hops:
            self._emit(Redirected(source, target, reason))

    def _emit(self, event: Event):
        for listener in list(self._listeners):
            listener(event)


def _is_choice(choice: Choice, event) -> bool:
    return event.kwargs.get("choice") is choice
