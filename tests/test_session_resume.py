"""Resume: an unfinished session is found, restored to its exact point by replaying it, and goes on logging."""

import shutil
from pathlib import Path

import pytest

from game.engine import Conversation
from game.scenario.loader import load_scenario
from game.session.log import SessionLog
from game.session.ledger import ledger_path
from game.session.reader import LogError, iter_records
from game.session.resume import (ReplayFailed, ScenarioChanged, abandon, restore, resume, unfinished_sessions)
from game.session.stats import trainee_stats
from game.session.verify import verify_log

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KUULE_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def engine():
    return load_scenario(FIXTURES / "engine.yaml").scenario


@pytest.fixture(scope="module")
def mini():
    return load_scenario(FIXTURES / "mini.yaml").scenario


def played(scenario, actions, trainee="Aino", seed=11, mode="practice"):
    log = SessionLog.start(scenario, trainee=trainee, seed=seed, mode=mode)
    conversation = Conversation(scenario, seed=log.seed, listeners=[log])
    for action in actions:
        conversation.rollback() if action == "<back>" else conversation.choose(action)
    log.close()
    return conversation, log


def same_point(a: Conversation, b: Conversation):
    assert a.node.id == b.node.id
    assert a.state == b.state
    assert [v for v in a.choices] == [v for v in b.choices]  # same shuffled order, same availability
    assert a.history == b.history
    assert a.can_rollback == b.can_rollback
    assert a._rng.getstate() == b._rng.getstate()


def test_an_unfinished_session_is_offered_with_its_details(engine):
    original, log = played(engine, ["ask"], mode="assessment")
    found = unfinished_sessions()
    assert len(found) == 1
    unfinished = found[0]
    assert unfinished.path == log.path and unfinished.scenario_id == "engine_rules"
    assert unfinished.trainee == "Aino" and unfinished.mode == "assessment" and unfinished.seed == 11
    assert unfinished.choices == ["ask"] and unfinished.content_hash == engine.content_hash
    assert unfinished.started.tzinfo is not None
    assert unfinished_sessions(trainee=" aino ") == found and unfinished_sessions(trainee="Bea") == []


def test_resume_restores_the_exact_point_including_take_backs(engine):
    actions = ["ask", "again", "<back>", "again", "<back>", "<back>", "reflect"]
    original, _log = played(engine, actions)
    unfinished = unfinished_sessions()[0]
    assert unfinished.choices == ["reflect"]
    conversation, log = resume(unfinished, engine)
    same_point(conversation, original)
    conversation.choose("deep")
    log.close()
    assert conversation.ended
    kinds = [r["kind"] for _n, r in iter_records(log.path)]
    assert kinds.count("resumed") == 1 and kinds[-1] == "end"
    assert verify_log(log.path).ok and verify_log(log.path).finished
    assert unfinished_sessions() == []


def test_finished_sessions_and_sessions_without_choices_are_not_offered(mini):
    played(mini, ["ask", "help"])
    played(mini, [])
    assert unfinished_sessions() == []
    assert len(unfinished_sessions(include_empty=True)) == 1


def test_newest_first(mini):
    first = played(mini, ["ask"], seed=1)[1]
    second = played(mini, ["ask"], seed=2)[1]
    assert [u.path for u in unfinished_sessions()] == [second.path, first.path]


def test_a_changed_scenario_is_refused(tmp_path):
    copy = tmp_path / "mine.yaml"
    shutil.copy(FIXTURES / "mini.yaml", copy)
    before = load_scenario(copy).scenario
    played(before, ["ask"])
    copy.write_text(copy.read_text().replace("So can you help?", "So, can you help me?"))
    after = load_scenario(copy).scenario
    unfinished = unfinished_sessions()[0]
    with pytest.raises(ScenarioChanged):
        resume(unfinished, after)
    assert len(list(iter_records(unfinished.path))) == 4  # nothing was written to it


def test_a_replay_that_no_longer_fits_is_an_error_not_a_crash(mini):
    _c, log = played(mini, ["ask"])
    unfinished = unfinished_sessions()[0]
    broken = type(unfinished)(**{**unfinished.__dict__, "actions": (("choose", "nonexistent"),)})
    with pytest.raises(ReplayFailed):
        restore(broken, mini)


def test_abandoned_sessions_are_not_offered_again(mini):
    played(mini, ["ask"])
    unfinished = unfinished_sessions()[0]
    abandon(unfinished)
    assert unfinished_sessions() == []
    assert verify_log(unfinished.path).ok


def crashed_at(log, keep: int) -> None:
    """The log as a crash after its first `keep` lines leaves it: those lines, and the ledger's notes of them."""
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:keep]))
    notes = ledger_path().read_bytes().splitlines(keepends=True)
    ledger_path().write_bytes(b"".join(line for line in notes if not line.startswith(log.session.encode())
                                       or int(line.split()[1]) <= keep))


def test_a_session_cut_between_its_last_choice_and_its_end_line_is_finished_on_resume(mini):
    _c, log = played(mini, ["ask", "help"])
    crashed_at(log, len(log.path.read_bytes().splitlines()) - 2)  # lost the last line shown and the end line
    unfinished = unfinished_sessions()[0]
    conversation, relog = resume(unfinished, mini)
    relog.close()
    assert conversation.ended
    assert [r["kind"] for _n, r in iter_records(log.path)][-1] == "end"


def test_a_finished_session_cut_back_is_not_resumed(mini):
    _c, log = played(mini, ["ask", "help"], mode="assessment")
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:-3]))  # the trainee cut off the last answer and the end, to retake it
    unfinished = unfinished_sessions()[0]
    with pytest.raises(LogError) as refused:
        resume(unfinished, mini)
    assert refused.value.reason == "cut_back"
    assert "cut off" in refused.value.message("en") and "leikattu" in refused.value.message("fi")


def test_an_unfinished_session_cut_back_and_resumed_is_named_by_verify(mini):
    conversation, log = played(mini, ["ask"], mode="assessment")  # unfinished: one answer given
    written = len(log.path.read_bytes().splitlines())
    log.path.write_bytes(b"".join(log.path.read_bytes().splitlines(keepends=True)[:2]))  # the answer cut off
    conversation, relog = resume(unfinished_sessions(include_empty=True)[0], mini)
    relog.close()
    resumed = [r for _n, r in iter_records(log.path) if r["kind"] == "resumed"][0]
    assert resumed["cut_back"] == {"had": written, "found": 2}
    verdict = verify_log(log.path)
    assert verdict.cut_back and [p.code for p in verdict.problems] == ["cut_back"]


def test_a_second_resume_of_the_same_session_is_refused_in_both_languages(mini):
    played(mini, ["ask"])
    unfinished = unfinished_sessions()[0]
    _conversation, first = resume(unfinished, mini)
    try:
        with pytest.raises(LogError) as refused:
            resume(unfinished_sessions()[0], mini)
        assert refused.value.reason == "in_use"
        assert "another Kuule window" in refused.value.message("en")
        assert "toisessa Kuulen ikkunassa" in refused.value.message("fi")
    finally:
        first.close()
    _conversation, again = resume(unfinished_sessions()[0], mini)  # let go when closed (or the process ended)
    again.close()
    assert verify_log(unfinished.path).ok


def test_trainee_stats_counts_attempts_and_best_finished_score(mini, engine):
    played(mini, ["ask", "help"], trainee="Aino")          # 100 %
    played(mini, ["lecture"], trainee="aino ")             # walks out: worse
    played(mini, ["ask"], trainee="Aino")                  # unfinished
    played(engine, ["rude"], trainee="Aino")
    played(mini, ["ask", "help"], trainee="Bea")
    stats = trainee_stats("Aino")
    assert set(stats) == {"mini", "engine_rules"}
    assert stats["mini"].attempts == 3 and stats["mini"].finished == 2
    assert stats["mini"].best == pytest.approx(1.0)
    assert stats["engine_rules"].attempts == 1
    assert trainee_stats("Nobody") == {}
