"""Session logs: every session, in any front end, leaves a JSON Lines score log.

The API the front ends use (pygame app, terminal):

from game.session.log import SessionLog
log = SessionLog.start(scenario, trainee="Aino", mode="practice"|"assessment", lang="fi", seed=conv_seed, log_dir=None)  # None -> game.paths.session_log_dir()
conv = Conversation(scenario, seed=log.seed, listeners=[log])     # the log is a listener; every event is written, flushed and fsynced
log.close()                                     # idempotent; a session without an Ended event stays "unfinished" (resumable)
log.path
from game.session.resume import unfinished_sessions, resume
unfinished_sessions(log_dir=None) -> list[Unfinished]   # Unfinished(path, scenario_id, scenario_path, content_hash, trainee, mode, lang, seed, choices: list[str], started: datetime)
resume(unfinished, scenario) -> tuple[Conversation, SessionLog]   # replays the choices, continues appending to the same log; raises ScenarioChanged if the hash differs
from game.session.stats import trainee_stats
trainee_stats(trainee, log_dir=None) -> dict[scenario_id, Stats(attempts: int, best: float | None)]   # best = best overall share 0..1 of finished sessions
"""
