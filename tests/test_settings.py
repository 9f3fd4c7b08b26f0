"""The embedded default is SQLite in WAL mode with a busy timeout; the secret key is made once."""

import pytest
from django.db import connection

from dingdan.settings import secret_key_from


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, settings):
    import sqlite3

    # Open a file database with the options the settings give every SQLite connection.
    options = settings.SQLITE_OPTIONS
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


@pytest.mark.django_db
def test_the_suite_runs_on_a_database_in_wal_mode_when_on_sqlite():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        else:
            assert connection.vendor == "postgresql"
