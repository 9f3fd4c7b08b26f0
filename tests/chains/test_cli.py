"""Scripts call `dingdan chains parse --catalog CATALOG.csv CHAIN.txt --json` and rely on its
output exactly: a JSON list, one object per entry, UTF-8 with the Chinese as written."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dingdan.chains.management.commands.chains import Command
from tests import factories
from tests.chains.conftest import CATALOG_CSV

CHAIN = (
    "#接龙\n自提点:阳光小区东门、幸福里南门\n例 张三 草莓2份 13800138000\n"
    "1. 李四 草莓x2 13912345678 阳光小区东门\n"
    "2. 老王 榴莲1个 1380013800 幸福路10号 不要辣\n"
    "3. 李四 草莓x2 13912345678 阳光小区东门\n"
)
KEYS = ["seq", "customer", "phone", "address", "pickup_point", "items", "note", "problems"]
CODES = {"phone_invalid", "product_unknown", "spec_ambiguous", "quantity_invalid",
         "duplicate_entry", "no_items"}  # fmt: skip


@pytest.fixture
def files(tmp_path):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG_CSV, encoding="utf-8")
    chain = tmp_path / "chain.txt"
    chain.write_text(CHAIN, encoding="utf-8")
    return catalog, chain


def run(*args) -> str:
    # Command() directly: the app need not be in INSTALLED_APPS for this.
    out = io.StringIO()
    call_command(Command(), "parse", *args, stdout=out)
    return out.getvalue()


def test_json_is_a_list_of_entries_in_the_contract_shape(files):
    catalog, chain = files
    output = run("--catalog", str(catalog), str(chain), "--json")

    entries = json.loads(output)
    assert [list(entry) for entry in entries] == [KEYS] * 3
    for entry in entries:
        assert isinstance(entry["seq"], int) and isinstance(entry["customer"], str)
        for key in ("phone", "address", "pickup_point", "note"):
            assert entry[key] is None or isinstance(entry[key], str)
        assert all(list(item) == ["sku", "quantity"] for item in entry["items"])
        assert all(isinstance(item["quantity"], int) for item in entry["items"])
        assert set(entry["problems"]) <= CODES
    assert entries == [
        {"seq": 1, "customer": "李四", "phone": "13912345678", "address": None,
         "pickup_point": "阳光小区东门", "items": [{"sku": "STRAW-500", "quantity": 2}],
         "note": None, "problems": []},
        {"seq": 2, "customer": "老王", "phone": "1380013800", "address": "幸福路10号",
         "pickup_point": None, "items": [], "note": "不要辣",
         "problems": ["phone_invalid", "product_unknown"]},
        {"seq": 3, "customer": "李四", "phone": "13912345678", "address": None,
         "pickup_point": "阳光小区东门", "items": [{"sku": "STRAW-500", "quantity": 2}],
         "note": None, "problems": ["duplicate_entry"]},
    ]  # fmt: skip
    assert "李四" in output and "\\u" not in output


def test_json_is_utf8_bytes_whatever_the_terminal_encoding(files, tmp_path):
    catalog, chain = files
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "from dingdan.chains.management.commands.chains import Command\n"
        f"call_command(Command(), 'parse', '--catalog', {str(catalog)!r}, {str(chain)!r},"
        " '--json')\n"
    )
    env = {
        **os.environ,
        "PYTHONIOENCODING": "ascii",
        "LC_ALL": "C",
        "DJANGO_SETTINGS_MODULE": "dingdan.settings",
        "DINGDAN_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(done.stdout.decode("utf-8"))[0]["customer"] == "李四"


def test_without_json_a_table_for_people(files):
    catalog, chain = files
    output = run("--catalog", str(catalog), str(chain))
    lines = output.splitlines()
    assert lines[0].split() == ["No.", "Customer", "Phone", "Pickup", "point", "/", "address",
                                "Items", "Note", "Problems"]  # fmt: skip
    assert "STRAW-500×2" in lines[1]
    assert "?榴莲1个" in lines[2] and "product not in the catalog" in lines[2]
    assert lines[-1] == "3 entries, 2 with problems"


def test_extra_pickup_points_from_the_command_line(files):
    catalog, chain = files
    chain.write_text("1. 李四 草莓x2 13912345678 北门驿站\n", encoding="utf-8")
    entries = json.loads(
        run("--catalog", str(catalog), str(chain), "--json", "--pickup-point", "北门驿站")
    )
    assert entries[0]["pickup_point"] == "北门驿站" and entries[0]["address"] is None


def test_a_chain_saved_as_gbk_is_read(files):
    catalog, chain = files
    chain.write_bytes(CHAIN.encode("gbk"))
    assert json.loads(run("--catalog", str(catalog), str(chain), "--json"))[0]["customer"] == "李四"


def test_a_chain_saved_as_utf16_by_a_windows_editor_is_read(files):
    catalog, chain = files
    chain.write_bytes(CHAIN.replace("\n", "\r\n").encode("utf-16"))
    assert json.loads(run("--catalog", str(catalog), str(chain), "--json"))[0]["customer"] == "李四"


def test_a_binary_file_is_not_a_chain(files):
    catalog, chain = files
    chain.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(CommandError, match="neither UTF-8, UTF-16 nor GBK"):
        run("--catalog", str(catalog), str(chain), "--json")


def test_an_empty_chain_prints_an_empty_list(files):
    catalog, chain = files
    chain.write_text("", encoding="utf-8")
    assert json.loads(run("--catalog", str(catalog), str(chain), "--json")) == []


@pytest.mark.parametrize(
    "which,message",
    [
        ("chain", "Cannot read the chain"),
        ("catalog", "Cannot read the catalog"),
    ],
)
def test_a_missing_file_is_a_clear_error(files, tmp_path, which, message):
    catalog, chain = files
    missing = str(tmp_path / "missing.txt")
    args = [
        missing if which == "catalog" else str(catalog),
        missing if which == "chain" else str(chain),
    ]
    with pytest.raises(CommandError, match=message) as error:
        run("--catalog", *args, "--json")
    assert "missing.txt" in str(error.value)


def test_a_catalog_without_its_columns_is_a_clear_error(files):
    catalog, chain = files
    catalog.write_text("名称,价格\n草莓,39.9\n", encoding="utf-8")
    with pytest.raises(CommandError, match="needs the columns sku, name"):
        run("--catalog", str(catalog), str(chain), "--json")


def test_a_directory_is_not_a_chain(files, tmp_path):
    catalog, _ = files
    with pytest.raises(CommandError, match="Cannot read the chain"):
        run("--catalog", str(catalog), str(tmp_path), "--json")


def test_catalog_or_shop_is_required(files):
    _, chain = files
    with pytest.raises(CommandError):
        run(str(chain), "--json")


@pytest.mark.django_db
def test_the_shops_products_instead_of_a_file(files):
    _, chain = files
    shop = factories.make_shop(slug="afang")
    factories.make_sku(shop, "S1", name="草莓", spec="500g", aliases=["奶油草莓"])

    entries = json.loads(run("--shop", "afang", str(chain), "--json"))

    assert entries[0]["items"] == [{"sku": "S1", "quantity": 2}]


@pytest.mark.django_db
def test_an_unknown_shop_is_a_clear_error(files):
    _, chain = files
    with pytest.raises(CommandError, match="No shop with the short name nope"):
        run("--shop", "nope", str(chain), "--json")
