"""The coach report: one self-contained HTML page (and optionally a CSV) from session logs.

One module, one job:
    collect.py     one streaming pass over the logs: small per-session summaries, choice counts per node
    scenarios.py   finding the exact scenario texts a session was played with (by content hash)
    charts.py      matplotlib charts as inline SVG
    helper.py      a second process for big reports: reads a share of the logs, draws the charts
    transcript.py  one session's annotated transcript, read back from its log
    texts.py       the report's strings in English and Finnish
    build.py       aggregation for the page, CSV export, and writing the page (Jinja2, autoescaped)
    report.html.j2 the page: inline CSS, SVG and a small script for the filters and the session list; works offline
"""
