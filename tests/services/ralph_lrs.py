"""Start a real Ralph LRS (filesystem backend) on 127.0.0.1 for a test, and stop it afterwards.

    with RalphLRS(tmp_path) as lrs:   # lrs.url, lrs.user, lrs.password, lrs.statements(registration=...)
        ...

Ralph lives in its own virtual environment (tests/services/install-ralph.sh),
found through KUULE_RALPH_VENV (default /tmp/kuule-ralph-venv), or in this
Python if it can import `ralph`. `available()` says whether it is there.

Quirks of ralph-malph 5.1.0 met here, and what this does about them:
- `ralph auth` needs `requests` and RALPH_RUNSERVER_BACKEND=fs: both provided.
- its fs LRS backend writes with operation "create", so only the first POST
  stores anything and later ones fail with HTTP 500 ("fs_lrs.jsonl already
  exists and overwrite is not allowed"). The server is therefore started
  through a three-line launcher that sets the backend's default write
  operation to "append", then runs `ralph.api:app` under uvicorn as
  `ralph runserver -b fs` does (without its file-watching reloader).
- on the fs backend, GET filtered by verb or activity returns nothing:
  read back by registration or agent.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

LAUNCHER = """
import sys
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
FSDataBackend.default_operation_type = BaseOperationType.APPEND
import uvicorn
uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
"""


def _venv() -> Path:
    return Path(os.environ.get("KUULE_RALPH_VENV", "/tmp/kuule-ralph-venv"))


def python() -> str | None:
    candidate = _venv() / "bin" / "python"
    if candidate.exists() and (_venv() / "bin" / "ralph").exists():
        return str(candidate)
    try:
        import ralph  # noqa: F401

        if shutil.which("ralph"):
            return sys.executable
    except ImportError:
        pass
    return None


def available() -> bool:
    return python() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RalphLRS:
    def __init__(self, folder: Path, user: str = "coach", password: str = "kuule-test-secret"):
        self.folder = Path(folder)
        self.user, self.password = user, password
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = self.folder / "ralph.log"

    def _env(self) -> dict:
        env = dict(os.environ)
        env.update({
            "RALPH_APP_DIR": str(self.folder / "app"), "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data"),
            "RALPH_RUNSERVER_HOST": "127.0.0.1", "RALPH_RUNSERVER_PORT": str(self.port),
        })
        return env

    def start(self, timeout: float = 60.0) -> "RalphLRS":
        interpreter = python()
        if interpreter is None:
            raise RuntimeError("Ralph is not installed: run tests/services/install-ralph.sh")
        self.folder.mkdir(parents=True, exist_ok=True)
        ralph = str(Path(interpreter).with_name("ralph"))
        if not (self.folder / "auth.json").exists():  # a restart (stop, then start) keeps its user and its data
            subprocess.run([ralph, "auth", "-u", self.user, "-p", self.password, "-s", "all",
                            "-M", "mailto:coach@example.org", "-w"], env=self._env(), check=True,
                           capture_output=True, timeout=120)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([interpreter, "-c", LAUNCHER, "127.0.0.1", str(self.port)],
                                            env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, cwd=self.folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start:\n{self.log.read_text()[-2000:]}")
            try:
                self.get({"limit": 1})
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Ralph did not answer within {timeout:.0f} s:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def get(self, params: dict) -> dict:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(f"{self.url}/xAPI/statements?{urllib.parse.urlencode(params)}",
                                         headers={"Authorization": f"Basic {token}",
                                                  "X-Experience-API-Version": "1.0.3"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def statements(self, **params) -> list[dict]:
        """Every statement matching the filter, following `more` links."""
        found, query = [], {"limit": 500, **params}
        while True:
            page = self.get(query)
            found += page.get("statements", [])
            more = page.get("more")
            if not more:
                return found
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(more).query))

    def stored_lines(self) -> int:
        path = self.folder / "data" / "fs_lrs.jsonl"
        return sum(1 for _ in open(path, "rb")) if path.exists() else 0

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
