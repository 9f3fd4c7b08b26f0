"""`dingdan serve` is what `make run` starts: migrate, demo shop, gunicorn and the worker."""

import time

import pytest

from .conftest import get_json, start_server, stop_server

pytestmark = pytest.mark.e2e


def test_serve_prints_the_address_and_the_demo_login(served):
    log = served.log.read_text()
    assert f"{served.url}/" in log
    assert "demo / demo" in log


def test_a_task_enqueued_by_a_request_runs_in_the_worker(served):
    # Asking for health enqueues a heartbeat task; only a running worker can complete it.
    deadline = time.monotonic() + 60
    worker = {}
    while time.monotonic() < deadline:
        status, body = get_json(served.url + "/api/v1/health")
        assert status == 200
        worker = body["worker"]
        if worker["alive"]:
            break
        time.sleep(0.5)
    assert worker["alive"], served.log.read_text()
    assert worker["last_seen"]


def test_cli_commands_reach_the_served_database(served):
    created = served.dingdan(
        "shop", "create", "--slug", "afang", "--name", "阿芳水果", "--owner", "afang@example.com"
    )
    assert created.returncode == 0, created.stderr
    token = served.dingdan("token", "create", "--shop", "afang", "--role", "owner")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.rstrip("\n").splitlines()[-1]

    status, me = get_json(served.url + "/api/v1/me", {"Authorization": f"Bearer {secret}"})

    assert status == 200
    assert me["shop"]["name"] == "阿芳水果"
    duplicate = served.dingdan("shop", "create", "--slug", "afang", "--name", "again")
    assert duplicate.returncode != 0
    assert "afang" in duplicate.stderr


def test_ctrl_c_stops_web_and_worker_cleanly(tmp_path):
    server = start_server(tmp_path, "--demo")
    status, _ = get_json(server.url + "/api/v1/health")
    assert status == 200

    code = stop_server(server)

    assert code == 0, server.log.read_text()
    assert "dingdan stopped." in server.log.read_text()
    with pytest.raises(OSError):
        get_json(server.url + "/api/v1/health")
