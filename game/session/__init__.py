"""Session logs: every session, in any front end, leaves a JSON Lines score log.

One module, one job:
    log.py     SessionLog: writes one session's log, line by line, each synced to disk
    chain.py   the line format and the hash chain over lines
    reader.py  streaming a log's records; LogError says for people why a file is not a log
    verify.py  checking the chain: edited, removed, reordered or damaged lines, by line number
    resume.py  unfinished sessions, and restoring one by replaying its choices and take-backs
    stats.py   a trainee's attempts and best score per scenario, from first and last lines only

The API the front ends use (pygame app, terminal):

    from game.session.log import SessionLog
    log = SessionLog.start(scenario, trainee="Aino", mode="practice", lang="fi", seed=None, log_dir=None)
    # log_dir None -> game.paths.session_log_dir(); seed None -> a random one; read it back as log.seed
    conv = Conversation(scenario, seed=log.seed, listeners=[log])  # every event is written, flushed and fsynced
    log.close()          # idempotent; a session without an end line stays "unfinished" (resumable)
    log.path; log.error  # error: an OSError if writing failed part-way (the presenter may say so)

    from game.session.resume import unfinished_sessions, resume, abandon, ScenarioChanged, ResumeError
    unfinished_sessions(log_dir=None, trainee=None) -> list[Unfinished]   # newest first; sessions with >= 1 choice
    # Unfinished(path, scenario_id, scenario_path, content_hash, trainee, mode, lang, seed,
    #            choices: list[str], started: datetime, actions, session, title)
    resume(unfinished, scenario) -> (Conversation, SessionLog)  # replays, then appends to the same log
    # raises ScenarioChanged if scenario.content_hash differs (offer a fresh start), ReplayFailed, LogError
    abandon(unfinished)   # the trainee declined: marks the log so it is not offered again

    from game.session.stats import trainee_stats
    trainee_stats(trainee, log_dir=None) -> {scenario_id: Stats(attempts, best, finished)}
    # attempts = sessions started; best = best overall share 0..1 of finished sessions, or None

Logs are named from a UTC timestamp and a random ID, never from the trainee's
name. Beside them, scenarios/<content hash>/ keeps a copy of each scenario
version played, so reports and replays show the texts the trainee saw.
"""
