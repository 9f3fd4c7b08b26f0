"""A real `dingdan serve` on a fresh database for each reliability module."""

import pytest

from tests.e2e.conftest import start_server, stop_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("served"))
    yield server
    stop_server(server)
