#!/usr/bin/env bash
# Install Ralph (a real xAPI Learning Record Store, PyPI `ralph-malph`) in its own virtual environment,
# apart from Kuule's, for tests/test_xapi_lrs.py. Usage: bash tests/services/install-ralph.sh [VENV]
# The tests find it through KUULE_RALPH_VENV (default: /tmp/kuule-ralph-venv).
# An existing environment is used only if it holds exactly this version of Ralph and what it needs (the
# [cli,lrs] extras' packages import) and still runs (its Python may have gone); otherwise it is made again from scratch.
set -euo pipefail
RALPH_VERSION=5.1.0
venv="${1:-${KUULE_RALPH_VENV:-/tmp/kuule-ralph-venv}}"

current() {
    [ -x "$venv/bin/python" ] && [ -x "$venv/bin/ralph" ] && "$venv/bin/python" - "$RALPH_VERSION" <<'PY' 2>/dev/null && extras_import
import sys
from importlib.metadata import version
import requests  # noqa: F401  (`ralph auth` needs it)
sys.exit(0 if version("ralph-malph") == sys.argv[1] else 1)
PY
}

# What the [cli,lrs] extras bring must import too (a half-finished install can leave the right version of
# Ralph without them); Ralph reads its settings on import, so it is given a file-system backend in a scratch folder.
extras_import() {
    local scratch status
    scratch="$(mktemp -d)"
    RALPH_RUNSERVER_BACKEND=fs RALPH_APP_DIR="$scratch/app" RALPH_AUTH_FILE="$scratch/auth.json" \
        RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$scratch/data" \
        "$venv/bin/python" -c 'import ralph.api, ralph.cli, ralph.backends.data.fs, uvicorn, fastapi, click, requests' \
        >/dev/null 2>&1
    status=$?
    rm -rf "$scratch"
    return $status
}

if ! current; then
    [ -e "$venv" ] && echo "Ralph environment $venv does not hold Ralph $RALPH_VERSION with what it needs, or no longer runs: making it again" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    # `ralph auth` also needs requests (seen with ralph-malph 5.1.0)
    "$venv/bin/python" -m pip install --quiet "ralph-malph[cli,lrs]==$RALPH_VERSION" requests
    current || { echo "installing Ralph $RALPH_VERSION into $venv failed" >&2; exit 1; }
fi
"$venv/bin/ralph" --version
