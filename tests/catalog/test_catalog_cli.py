"""Scripts import and export catalogs with `dingdan catalog`: one line per problem, a
summary, and exit code 1 when anything is wrong."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from dingdan.catalog.models import Variant
from dingdan.exchange.services.catalog_import import import_catalog
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db

SHARED_CATALOG = Path("/work/shared/chains/catalog.csv")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop():
    return factories.make_shop(slug="afang", name="阿芳水果")


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_cli_imports_and_summarises(shop):
    output = command("import", str(SHARED_CATALOG), "--shop", shop.slug)
    assert output.strip().splitlines()[-1] == "11 created, 0 updated, 0 unchanged"
    assert Variant.objects.filter(shop=shop).count() == 11


def test_cli_dry_run_writes_nothing(shop):
    output = command("import", str(SHARED_CATALOG), "--shop", shop.slug, "--dry-run")
    assert "11 created, 0 updated" in output and "dry run" in output
    assert not Variant.objects.filter(shop=shop).exists()


def test_cli_prints_each_problem_and_fails(shop, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("sku,name,价格(分)\nA,苹果,12.5\nB,,100\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("catalog", "import", str(path), "--shop", shop.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("row 2, 价格(分): ")
    assert lines[1] == "row 3, name: This field is required."
    assert "2 problem(s)" in str(error.value) and error.value.returncode == 1
    assert not Variant.objects.filter(shop=shop).exists()


def test_cli_reports_unreadable_files_and_unknown_shops(shop, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty_file"):
        command("import", str(empty), "--shop", shop.slug)
    with pytest.raises(CommandError, match="no shop"):
        command("import", str(empty), "--shop", "nope")
    with pytest.raises(CommandError):
        command("import", str(tmp_path / "missing.csv"), "--shop", shop.slug)


def test_cli_exports_csv_to_stdout_and_xlsx_to_a_file(shop, tmp_path):
    command("import", str(SHARED_CATALOG), "--shop", shop.slug)
    csv_text = command("export", "--shop", shop.slug)
    assert csv_text.lstrip("\ufeff").startswith("sku,name,spec,aliases,price_cents")
    assert "STRAW-500,草莓,500g,丹东草莓|奶油草莓,3990" in csv_text

    target = tmp_path / "catalog.xlsx"
    command("export", "--shop", shop.slug, "--format", "xlsx", "-o", str(target))
    assert openpyxl.load_workbook(target).worksheets[0].max_row == 12
    with pytest.raises(CommandError):
        command("export", "--shop", shop.slug, "--format", "xlsx")


def test_system_actor_is_what_the_cli_uses(shop):
    report = import_catalog(actor=Actor.system(shop), shop=shop, file_name="catalog.csv",
                            data=SHARED_CATALOG.read_bytes(), dry_run=True)
    assert report.created == 11
