"""The payments page: every payment and refund of the shop in a range of its calendar days,
by method and kind, with totals per day and per method, and the same entries as CSV or
XLSX for the accountant (amounts in 元, as numbers)."""

import zoneinfo
from datetime import date, timedelta
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dingdan import spreadsheets
from dingdan.localtime import shop_time
from dingdan.payments.models import Method, PaymentResult, RefundStatus
from dingdan.payments.selectors.entries import KINDS, PAYMENT, REFUND, entry_report
from dingdan.payments.selectors.presentation import method_label
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import staff_view

DEFAULT_DAYS = 30
MAX_DAYS = 366
CENT = Decimal("0.01")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(str(text or "").strip()[:10])
    except ValueError:
        return None


def _filters(request: HttpRequest, shop) -> dict:
    """The range (the shop's calendar days, the last 30 by default), method and kind; a
    value that is not one is ignored rather than emptying the page."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(shop.timezone)).date()
    until = _day(request.GET.get("until")) or today
    since = _day(request.GET.get("since")) or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        since, until = until, since
    since = max(since, until - timedelta(days=MAX_DAYS - 1))
    method = request.GET.get("method", "")
    kind = request.GET.get("kind", "")
    return {"since": since, "until": until,
            "method": method if method in Method.values else "",
            "kind": kind if kind in KINDS else ""}


def _kind_label(kind: str) -> str:
    return str(_("Payment") if kind == PAYMENT else _("Refund"))


def _status_label(entry) -> str:
    choices = PaymentResult if entry.kind == PAYMENT else RefundStatus
    return str(choices(entry.status).label)


@staff_view
def entry_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    filters = _filters(request, shop)
    report = entry_report(shop, **filters)
    query = urlencode({k: str(v) for k, v in filters.items() if v})
    return render(request, "payments/list.html", {
        "filters": filters,
        "methods": Method.choices,
        "kinds": [(PAYMENT, _kind_label(PAYMENT)), (REFUND, _kind_label(REFUND))],
        "entries": [
            {"entry": e, "at": shop_time(shop, e.at), "kind_label": _kind_label(e.kind),
             "method_label": method_label(e.method), "status_label": _status_label(e)}
            for e in report.entries
        ],
        "by_day": report.by_day,
        "by_method": [(method_label(m), totals) for m, totals in report.by_method],
        "total": report.total,
        "is_cut": report.is_cut,
        "query": query,
        "may_export": role_allows(actor.role, "exchange.export"),
    })


def _table(request: HttpRequest):
    actor, shop = request.actor, request.actor.shop
    require(actor, "exchange.export", shop)
    filters = _filters(request, shop)
    report = entry_report(shop, **filters)
    header = [str(_("Date and time")), str(_("Kind")), str(_("Order")),
              str(_("Refund number")), str(_("Method")),
              str(_("Amount (yuan, refunds negative)")), str(_("Status")),
              str(_("Reference")), str(_("Recorded by")), str(_("Reason"))]
    rows = [
        [shop_time(shop, e.at), _kind_label(e.kind), e.order_number, e.number,
         method_label(e.method),
         _yuan(e.amount_cents if e.kind == PAYMENT else -e.amount_cents),
         _status_label(e), e.reference, e.recorded_by, e.note]
        for e in report.entries
    ]
    name = f"payments-{filters['since']:%Y%m%d}-{filters['until']:%Y%m%d}"
    return header, rows, name


def _yuan(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _download(data: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@staff_view
def export_csv(request: HttpRequest) -> HttpResponse:
    header, rows, name = _table(request)
    return _download(spreadsheets.csv_bytes(header, rows), spreadsheets.CSV_CONTENT_TYPE,
                     f"{name}.csv")


@staff_view
def export_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows, name = _table(request)
    return _download(spreadsheets.xlsx_bytes(header, rows, title=str(_("Payments"))),
                     spreadsheets.XLSX_CONTENT_TYPE, f"{name}.xlsx")
