"""A real `dingdan serve` (gunicorn + task worker) on a fresh database of its own.

On SQLite it lives in a temporary var/ folder; when the suite runs on PostgreSQL the server
gets a fresh PostgreSQL database, dropped afterwards."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings


@dataclass
class Served:
    url: str
    env: dict
    process: subprocess.Popen
    log: Path

    def dingdan(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "dingdan.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin_url() -> str | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"


def fresh_environment(tmp_path: Path) -> dict:
    """The environment of a server with a database of its own (created here on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["DINGDAN_VAR_DIR"] = str(tmp_path / "var")
    env["DJANGO_SETTINGS_MODULE"] = "dingdan.settings"
    if admin_url := _postgres_admin_url():
        import psycopg

        name = f"dingdan_e2e_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{admin_url}/{name}"
        env["_E2E_DROP"] = name
    return env


def start_server(
    tmp_path: Path, *extra: str, env: dict | None = None, own_process_group: bool = False
) -> Served:
    """`dingdan serve` on a fresh database, or on the one `env` names (a restart).
    `own_process_group` puts the server and its children in a group of their own, so a test
    can kill them all at once without killing itself."""
    if env is None:
        env = fresh_environment(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dingdan.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            *extra,
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=own_process_group,
    )
    served = Served(f"http://127.0.0.1:{port}", env, process, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("dingdan serve exited:\n" + log.read_text())
        if "Press Ctrl-C to stop." in log.read_text():
            return served
        time.sleep(0.2)
    process.kill()
    raise AssertionError("dingdan serve did not start:\n" + log.read_text())


def stop_server(served: Served) -> int:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
        try:
            served.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait()
    if name := served.env.get("_E2E_DROP"):
        import psycopg

        with psycopg.connect(_postgres_admin_url() + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return served.process.returncode


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("served"), "--demo")
    yield server
    stop_server(server)


def get_json(url: str, headers: dict | None = None) -> tuple[int, dict]:
    import json
    import urllib.error

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
