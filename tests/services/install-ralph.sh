#!/usr/bin/env bash
# Install Ralph (a real xAPI Learning Record Store, PyPI `ralph-malph`) in its own virtual environment,
# apart from Kuule's, for tests/test_xapi_lrs.py. Usage: bash tests/services/install-ralph.sh [VENV]
# The tests find it through KUULE_RALPH_VENV (default: /tmp/kuule-ralph-venv).
set -euo pipefail
venv="${1:-${KUULE_RALPH_VENV:-/tmp/kuule-ralph-venv}}"
if [ ! -x "$venv/bin/ralph" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    # `ralph auth` also needs requests (seen with ralph-malph 5.1.0)
    "$venv/bin/python" -m pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' requests
fi
"$venv/bin/ralph" --version
