"""The example chains every machine has beside the repository read exactly as expected."""

import json
from pathlib import Path

import pytest

from dingdan.chains.catalogs import catalog_from_csv
from dingdan.chains.parsing.parser import parse_chain
from tests.conftest import skip_or_fail

SHARED = Path(__file__).resolve().parents[3] / "shared" / "chains"


@pytest.mark.parametrize("name", ["strawberry", "cakes"])
def test_a_shared_example_chain_reads_as_its_expected_json(name):
    if not (SHARED / f"{name}.txt").exists():
        skip_or_fail(f"the shared example chains are not at {SHARED}")
    catalog = catalog_from_csv(SHARED / "catalog.csv")
    text = (SHARED / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((SHARED / f"{name}.expected.json").read_text(encoding="utf-8"))

    entries = [entry.as_dict() for entry in parse_chain(text, catalog).entries]

    assert entries == expected
