"""The embedded default is SQLite in WAL mode with a busy timeout; the secret key is made once."""

import pytest
from django.db import connection

from dingdan.settings import secret_key_from


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("this run uses PostgreSQL")
    import sqlite3

    # The test database lives in memory, where WAL does not apply: open a file database
    # with the same options the settings give every connection.
    options = settings.DATABASES["default"]["OPTIONS"]
    db = sqlite3.connect(tmp_path / "probe.sqlite3")
    db.executescript(options["init_command"])
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert options["transaction_mode"] == "IMMEDIATE"


def test_secret_key_is_generated_once_into_var_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key_from(tmp_path / "var")
    again = secret_key_from(tmp_path / "var")
    assert len(first) >= 50 and first == again
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key_from(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()
