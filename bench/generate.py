"""Generated scenarios and sessions for benchmarks: big, valid, and shaped like real ones."""

from __future__ import annotations

import random
from pathlib import Path

TAGS_GOOD = ["open_question", "simple_reflection", "complex_reflection", "names_emotion", "validates", "explores"]
TAGS_BAD = ["lectures", "scripted_sympathy", "righting_reflex", "hides_behind_process"]


def scenario_text(nodes: int, seed: int = 1) -> str:
    """A valid scenario of `nodes` nodes (about a tenth of them endings) with mood conditions everywhere.

    Choices lead forward (to one of the next few nodes), so every path ends; a third of
    the choices are guarded by a mood condition, and an interrupt watches distress. Answers
    set two flags (`asked` on every sixth node, `named` on every eleventh) and conditions
    read them (every fourth guarded answer needs `asked` as well as the mood; on every fifth
    node the bad answer is offered only while `named` is false), so a state is its node, its
    mood and its flags, as in the shipped scenarios: the explorer cannot merge them away.
    The first answer is never guarded, so always taking it plays a whole conversation.
    """
    rng = random.Random(seed)
    endings = max(3, nodes // 10)
    body = nodes - endings
    out = [
        "# yaml-language-server: $schema=scenario.schema.json",
        "format: 1",
        f"id: generated_{nodes}",
        "title: {en: Generated, fi: Generoitu}",
        "languages: [en, fi]",
        "customer: {name: Testi, age: 60, situation: {en: Generated., fi: Generoitu.}, hidden: {en: Nothing., fi: Ei mitään.}}",
        "mood: {trust: 40, distress: 40, heard: 10}",
        "flags: {asked: false, named: false}",
        "interrupts:",
        "  - {id: walks_out, when: distress >= 95, goto: e0}",
        "nodes:",
    ]
    for i in range(body):
        out += [
            f"  - id: n{i}",
            f'    line: {{en: "Line number {i}: I am not happy about this.", fi: "Repliikki {i}: en ole tyytyväinen tähän."}}',
            f"    cue: {{en: Looks away., fi: Katsoo poispäin.}}",
            f"    thought: {{en: \"Do they even care?\", fi: \"Välittävätkö ne edes?\"}}",
        ]
        if i % 7 == 3:
            out.append("    opportunity: {en: worried, fi: huolissaan}")
        out.append("    choices:")
        for j in range(3):
            target = i + 1 + j if j < 2 else i + 1 + rng.randrange(4)  # c0 always leads on: all reachable
            goto = f"n{target}" if target < body else f"e{rng.randrange(endings)}"
            if j == 2 and i % 9 == 0:  # now and then a bad answer ends the conversation
                goto = f"e{(i // 9) % endings}"
            good = j != 2
            tags = [rng.choice(TAGS_GOOD)] if good else [rng.choice(TAGS_BAD)]
            trust, distress = (rng.randint(1, 8), -rng.randint(1, 8)) if good else (-rng.randint(3, 10), rng.randint(3, 12))
            out += [
                f"      - id: c{j}",
                f'        text: {{en: "Answer {j} to line {i}", fi: "Vastaus {j} repliikkiin {i}"}}',
                f"        tags: [{', '.join(tags)}]",
                f"        mood: {{trust: {trust}, distress: {distress}, heard: {rng.randint(0, 5)}}}",
                f'        feedback: {{en: "Why this matters.", fi: "Miksi tällä on väliä."}}',
            ]
            if j == 1:
                needs = "asked and " if i % 4 == 0 else ""
                out.append(f"        if: {needs}trust >= {rng.randint(20, 50)} or heard > 30")
            if j == 2 and i % 5 == 2:
                out.append("        if: not named")
            if j == 0 and i % 6 == 1:
                out.append("        set: {asked: true}")
            if j == 1 and i % 11 == 5:
                out.append("        set: {named: true}")
            if good and rng.random() < 0.3:
                out.append("        eccs: 4")
            out.append(f"        goto: {goto}")
    outcomes = ["good", "mixed", "bad", "left"]
    for e in range(endings):
        out += [
            f"  - id: e{e}",
            f"    line: {{en: Goodbye {e}., fi: Näkemiin {e}.}}",
            f"    thought: {{en: Well then., fi: No niin.}}",
            f"    ending: {{outcome: {outcomes[e % 4]}}}",
        ]
    return "\n".join(out) + "\n"


def write_scenario(folder: Path, nodes: int, seed: int = 1) -> Path:
    path = Path(folder) / f"generated_{nodes}.yaml"
    path.write_text(scenario_text(nodes, seed), encoding="utf-8")
    return path
