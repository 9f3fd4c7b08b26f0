"""The merchant downloads the campaign's summaries and pick lists to open in Excel."""

import csv
import io

import pytest
from openpyxl import load_workbook

from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.selectors.exports import export_campaign
from dingdan.chains.services import previews
from dingdan.errors import InvalidInput, PermissionDenied
from tests import factories
from tests.chains.campaigns import confirm, owner, preview

pytestmark = pytest.mark.django_db

ENTRIES = (
    "1. 李四 草莓x2 13912345678 东门\n"
    "2. 王五 蓝莓1 奶油草莓1 13700001111 幸福里\n"
    "3. 赵六 蓝莓x3 13600001111 东门\n"
)


@pytest.fixture
def imported(campaign):
    draft = preview(campaign, chain_text(campaign) + ENTRIES)
    # A name that Excel would run as a formula, typed in by the merchant.
    previews.fix_entry(actor=owner(campaign.shop), chain_import=draft, index=2,
                       customer="=HYPERLINK", phone="13600001111", items="蓝莓x3",
                       pickup_point_id=draft.entries[0]["pickup_point_id"])
    draft.refresh_from_db()
    confirm(draft)
    return campaign


def export(campaign, kind, fmt, actor=None) -> bytes:
    return export_campaign(actor=actor or owner(campaign.shop), campaign=campaign, kind=kind,
                           fmt=fmt)


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_product_summary_as_xlsx(imported):
    book = load_workbook(io.BytesIO(export(imported, "products", "xlsx")))
    sheet = book.worksheets[0]
    assert sheet.title == "By product"
    assert rows_of(sheet) == [
        ["SKU", "Product", "Quantity", "Amount (yuan)"],
        ["STRAW-500", "草莓 500g", 3, 89.7],
        ["BLUE-125", "蓝莓 125g", 4, 60],
    ]
    assert sheet["D2"].number_format == "0.00"


def test_the_pickup_point_summary_as_xlsx(imported):
    sheet = load_workbook(io.BytesIO(export(imported, "points", "xlsx"))).worksheets[0]
    assert rows_of(sheet)[1:] == [
        ["阳光小区东门", "STRAW-500", "草莓 500g", 2],
        ["阳光小区东门", "BLUE-125", "蓝莓 125g", 3],
        ["幸福里南门", "STRAW-500", "草莓 500g", 1],
        ["幸福里南门", "BLUE-125", "蓝莓 125g", 1],
    ]


def test_pick_lists_as_xlsx_have_one_sheet_per_pickup_point(imported):
    book = load_workbook(io.BytesIO(export(imported, "picklists", "xlsx")))
    assert book.sheetnames == ["阳光小区东门", "幸福里南门"]
    east = rows_of(book["阳光小区东门"])
    assert east[0][:5] == ["Pickup point", "No.", "Order", "Customer", "Phone"]
    assert [(row[1], row[3], row[4], row[6]) for row in east[1:]] == [
        (1, "李四", "13912345678", "草莓 500g ×2"),
        (3, "=HYPERLINK", "13600001111", "蓝莓 125g ×3"),
    ]
    assert book["阳光小区东门"]["D3"].data_type == "s"  # text, never a formula


def test_csv_starts_with_the_bom_and_parses(imported):
    data = export(imported, "picklists", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Pickup point", "No.", "Order", "Customer"]
    assert [(row[0], row[1], row[3], row[6]) for row in rows[1:]] == [
        ("阳光小区东门", "1", "李四", "草莓 500g ×2"),
        ("阳光小区东门", "3", "'=HYPERLINK", "蓝莓 125g ×3"),
        ("幸福里南门", "2", "王五", "蓝莓 125g ×1, 草莓 500g ×1"),
    ]
    products = list(csv.reader(io.StringIO(export(imported, "products", "csv")
                                           .decode("utf-8-sig"))))
    assert products[1] == ["STRAW-500", "草莓 500g", "3", "89.70"]


def test_finance_exports_with_phones_masked(imported):
    finance = factories.staff_actor(imported.shop, "finance")
    rows = list(csv.reader(io.StringIO(
        export(imported, "picklists", "csv", actor=finance).decode("utf-8-sig"))))
    assert rows[1][4] == "139****5678"


def test_roles_without_export_permission_are_refused(imported):
    with pytest.raises(PermissionDenied):
        export(imported, "products", "csv", actor=factories.staff_actor(imported.shop, "viewer"))


def test_an_unknown_export_is_refused(imported):
    with pytest.raises(InvalidInput):
        export(imported, "everything", "pdf")
