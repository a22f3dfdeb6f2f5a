"""xAPI 1.0.3: session logs as statements for an organisation's Learning Record Store.

    statements.py  logs -> statements (initialized, selected per choice, completed, passed/failed),
                   with IDs derived deterministically from the log, so sending twice stores nothing twice
    send.py        POSTing statements in batches with HTTP Basic auth; retries with backoff; a report
                   of what was stored, already there, in conflict, or not sent
"""
