"""A campaign's summaries and pick lists as CSV (UTF-8 with a BOM, so Excel shows Chinese)
or XLSX (pick lists: one sheet per pickup point). Column names are in the language active
when called; amounts are yuan with two decimals."""

from decimal import Decimal

from django.utils.translation import gettext as _

from dingdan import spreadsheets
from dingdan.chains.models import Campaign
from dingdan.chains.selectors.summaries import CampaignSummary, PickList, campaign_summary
from dingdan.customers.privacy import may_see_pii
from dingdan.errors import InvalidInput
from dingdan.money import format_yuan
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

KINDS = ("products", "points", "picklists")
FORMATS = ("csv", "xlsx")


def _product_table(summary: CampaignSummary, money):
    header = [_("SKU"), _("Product"), _("Quantity"), _("Amount (yuan)")]
    return header, [[p.sku, p.name, p.quantity, money(p.amount_cents)]
                    for p in summary.products]


def _point_table(summary: CampaignSummary, money):
    header = [_("Pickup point"), _("SKU"), _("Product"), _("Quantity")]
    return header, [[point, p.sku, p.name, p.quantity] for point, p in summary.by_point]


def _pick_header() -> list[str]:
    return [_("Pickup point"), _("No."), _("Order"), _("Customer"), _("Phone"), _("Address"),
            _("Items"), _("Note"), _("Total (yuan)")]


def _pick_rows(pick: PickList, money):
    for row in pick.rows:
        items = ", ".join(f"{name} ×{quantity}" for name, quantity in row.items)
        yield [pick.label, row.seq, row.order_number, row.customer, row.phone, row.address,
               items, row.note, money(row.total_cents)]


def export_campaign(*, actor: Actor, campaign: Campaign, kind: str, fmt: str) -> bytes:
    """One of the campaign's summaries (`products`, `points`) or its pick lists, as a file.
    Phones and addresses are masked for roles that may not see them."""
    shop = campaign.shop
    require(actor, "orders.view", shop)
    require(actor, "exchange.export", shop)
    if kind not in KINDS or fmt not in FORMATS:
        message = _("Unknown export %(kind)s.%(format)s.") % {"kind": kind, "format": fmt}
        raise InvalidInput(message, code="unknown_format", fields={"fmt": message})
    summary = campaign_summary(campaign, pii=may_see_pii(actor))
    if fmt == "csv":
        if kind == "picklists":
            rows = [row for pick in summary.pick_lists for row in _pick_rows(pick, format_yuan)]
            return spreadsheets.csv_bytes(_pick_header(), rows)
        table = _product_table if kind == "products" else _point_table
        return spreadsheets.csv_bytes(*table(summary, format_yuan))
    if kind == "picklists":
        sheets = [(pick.label, _pick_header(), list(_pick_rows(pick, _yuan)))
                  for pick in summary.pick_lists]
    else:
        table = _product_table if kind == "products" else _point_table
        title = _("By product") if kind == "products" else _("By pickup point")
        sheets = [(title, *table(summary, _yuan))]
    return spreadsheets.workbook_bytes(sheets or [(_("Pick list"), _pick_header(), [])])


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100
