"""The report's transcripts tell each session as it was said: the line variant the customer used, the text
variables filled in, and who spoke when someone other than the customer did."""

from pathlib import Path

import pytest

from game.engine import Conversation
from game.engine.rules import draw
from game.report.build import write_report
from game.report.collect import Filters
from game.scenario.loader import load_or_raise
from game.session.log import SessionLog

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


def scenario_with_a_manager_and_a_company(tmp_path):
    text = (FIXTURES / "variety.yaml").read_text(encoding="utf-8")
    text = text.replace("traits:", "texts:\n  company: {en: Virtavalo, fi: Virtavalo}\nspeakers:\n  manager:\n"
                        "    name: Riikka\n    role: {en: your manager, fi: esihenkilösi}\n    look: {hair: brown}\ntraits:", 1)
    text = text.replace("  - id: close\n    line: {en: So what now?, fi: No mitäs nyt?}",
                        "  - id: close\n    speaker: manager\n    line: {en: So what now?, fi: No mitäs nyt?}")
    text = text.replace('line: {en: "Alright, thanks.", fi: "Selvä, kiitos."}',
                        'line: {en: "Alright, thanks, {company}.", fi: "Selvä, kiitos, {company}."}')
    path = tmp_path / "variety.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_transcript_says_the_variant_the_variables_and_who_spoke(tmp_path):
    path = scenario_with_a_manager_and_a_company(tmp_path)
    scenario = load_or_raise(path)
    seed = next(s for s in range(200) if draw(scenario, s)["trait"] == "hurried")
    log = SessionLog.start(scenario, trainee="Aino", mode="practice", seed=seed, log_dir=tmp_path / "logs")
    conversation = Conversation(scenario, seed=log.seed, listeners=[log], drawn=draw(scenario, seed))
    for choice in ("reflect", "blame", "<back>", "ask", "together"):
        conversation.rollback() if choice == "<back>" else conversation.choose(choice)
    log.close()
    assert conversation.result.outcome == "good"

    out = tmp_path / "r.html"
    write_report([tmp_path / "logs"], out, lang="en", filters=Filters(all_modes=True))
    page = out.read_text(encoding="utf-8")
    page = page[page.index('<section id="transcripts">'):]
    page = page[:page.index("</section>")]
    # the hurried customer's own opening, not the node's plain line
    assert "Quickly, the bill, I haven&#39;t got long." in page and "It&#39;s about the bill." not in page
    # the manager's line is hers, named with her role; the customer's are his
    assert "<strong>Riikka (your manager):</strong> “So what now?”" in page
    assert "<strong>Pekka:</strong> “Quickly, the bill" in page
    # text variables filled in, on the last words too
    assert "Alright, thanks, Virtavalo." in page and "{company}" not in page
    # the answer taken back stays, marked, and the retelling goes on past it
    assert page.count("That&#39;s billing&#39;s mistake, not ours.") == 1
