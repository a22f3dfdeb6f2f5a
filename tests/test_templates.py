"""Text variables and conditional fragments: filled in by the engine, checked by validate, never run as code."""

from pathlib import Path

import pytest

from game.debrief import debrief_for
from game.engine import Conversation
from game.scenario.loader import load_or_raise, load_scenario
from game.scenario.templates import TemplateError, parse

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def scenario(tmp_path):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    text = text.replace("interrupts:", "texts:\n  company: Laskuväylä\n  product: {en: the e-invoice, fi: verkkolasku}\n"
                                       "interrupts:")
    text = text.replace("line: {en: It's about the bill., fi: Kyse on laskusta.}",
                        'line: {en: "{customer} here, about {product} from {company}. {trust < 30: Again. | Well.}", '
                        'fi: "Täällä {customer}, kyse on {company}n {product}sta. {trust < 30: Taas. | No.}"}')
    text = text.replace("text: {en: You're tired of this., fi: Sä oot tähän jo kyllästynyt.}",
                        'text: {en: "{talkative: You have a lot to tell. | You\'re tired of this.}", '
                        'fi: "{talkative: Sulla on paljon kerrottavaa. | Sä oot tähän jo kyllästynyt.}"}')
    path = tmp_path / "variety.yaml"
    path.write_text(text, encoding="utf-8")
    return load_or_raise(path)


def test_variables_and_fragments_are_filled_in_each_language(scenario):
    conversation = Conversation(scenario, seed=1, drawn={"trait": "talkative", "stake": "job"})
    assert conversation.line.text == {"en": "Pekka here, about the e-invoice from Laskuväylä. Well.",
                                      "fi": "Täällä Pekka, kyse on Laskuväylän verkkolaskusta. No."}
    reflect = next(view for view in conversation.choices if view.id == "reflect")
    assert reflect.text["en"] == "You have a lot to tell."
    conversation.choose("reflect")
    step = debrief_for(conversation).steps[0]
    assert step.line["en"].startswith("Pekka here") and step.choice_text["en"] == "You have a lot to tell."


def test_a_fragment_follows_the_mood(scenario):
    conversation = Conversation.from_here(scenario, "start", mood={"trust": 10}, drawn={"trait": "talkative", "stake": "job"})
    assert conversation.render(scenario.nodes["start"].line)["en"].endswith("Again.")


@pytest.mark.parametrize("text", ["{__import__('os')}", "{a.b}", "{x", "x}", "{1 ** 999: big}", "{f(): x}"])
def test_nothing_in_a_text_can_run(text):
    with pytest.raises(TemplateError):
        parse(text)


def test_braces_can_be_written_and_unknown_names_are_located(tmp_path):
    assert parse("{{literal}} {x}").render({"x": 1}) == "{literal} 1"
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8").replace(
        "line: {en: So what now?, fi: No mitäs nyt?}", 'line: {en: "So what now, {custmer}?", fi: "No mitäs nyt, {asiakas}?"}')
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    found = [d for d in load_scenario(path).diagnostics if d.code == "KU059"]
    assert [d.params["name"] for d in found] == ["custmer", "asiakas"]
    assert found[0].hint_text() == "did you mean 'customer'?"
    assert found[0].message() == "a text names an unknown variable '{custmer}'"


SHIPPED = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))
UNFILLED = __import__("re").compile(r"\{[a-z_][a-z0-9_]*(\}|\s*[:<>=!])")


@pytest.mark.parametrize("path", [p for p in SHIPPED if not p.name.endswith(".plan.yaml") and p.name != "rubric.yaml"],
                         ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_nothing_a_trainee_reads_in_a_shipped_scenario_shows_an_unfilled_variable(path, lang):
    """The briefing, every line, answer and note, and the whole debrief (the stake's unsaid story, the ending's
    title and summary), in the terminal, on two routes, as a trainee reads them."""
    from io import StringIO

    from game.terminal import TerminalGame

    scenario = load_or_raise(path)
    for answers in ("1\n", "2\n1\n"):  # the first answer each time; the second where there is one, or the first
        out = StringIO()
        game = TerminalGame(scenario, lang=lang, mode="practice", seed=3, stdin=StringIO(answers * 80), stdout=out)
        game.run()
        text = out.getvalue()
        assert game.conversation.ended, text[-400:]
        assert not UNFILLED.search(text), UNFILLED.search(text).group(0) + " in " + text[max(0, UNFILLED.search(text).start() - 200):][:400]


def test_the_briefing_and_the_stakes_unsaid_story_are_checked_like_lines(tmp_path):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    text = text.replace("situation: {en: A phone call., fi: Puhelu.}", 'situation: {en: "A call to {compnay}.", fi: Puhelu.}')
    text = text.replace("hidden: {en: He is ill., fi: Hän on sairas.}", 'hidden: {en: "He is {ill.", fi: Hän on sairas.}')
    path = tmp_path / "v.yaml"
    path.write_text(text, encoding="utf-8")
    found = {(d.code, d.line) for d in load_scenario(path).diagnostics}
    lines = text.splitlines()
    assert ("KU059", next(i for i, l in enumerate(lines, 1) if "{compnay}" in l)) in found
    assert ("KU049", next(i for i, l in enumerate(lines, 1) if "{ill." in l)) in found


def test_the_description_is_checked_and_the_scenario_list_shows_it_filled_in(tmp_path):
    from game.ui.catalogue import load_entry

    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8").replace(
        "interrupts:", "texts:\n  company: {en: Laskuväylä, fi: Laskuväylä}\ninterrupts:", 1)
    good = text.replace("\nlanguages:", '\ndescription: {en: "A call to {company}.", fi: "Puhelu {company}lle."}'
                                        "\nlanguages:", 1)
    path = tmp_path / "v.yaml"
    path.write_text(good, encoding="utf-8")
    assert not [d for d in load_scenario(path).diagnostics if d.severity == "error"]
    entry = load_entry(path)
    assert entry.description("en") == "A call to Laskuväylä." and entry.description("fi") == "Puhelu Laskuväylälle."
    bad = tmp_path / "bad.yaml"
    bad.write_text(path.read_text(encoding="utf-8").replace("{company}.", "{compnay}."), encoding="utf-8")
    found = [d for d in load_scenario(bad).diagnostics if d.code == "KU059"]
    assert [d.params["name"] for d in found] == ["compnay"] and found[0].hint_text() == "did you mean 'company'?"
