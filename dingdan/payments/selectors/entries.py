"""Every ledger entry of a shop, payments and refunds together, for the payments page and
its exports: filtered by the shop's calendar days, method and kind, with the totals per day
and per method that an accountant reconciles against the bank and WeChat statements."""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dingdan.payments.models import Payment, PaymentResult, Refund, RefundStatus
from dingdan.shops.models import Shop

PAYMENT = "payment"
REFUND = "refund"
KINDS = (PAYMENT, REFUND)
MAX_ENTRIES = 5000  # one page or one export; a longer range is asked in parts


@dataclass(frozen=True)
class Entry:
    kind: str  # PAYMENT or REFUND
    at: datetime  # paid at, or when the refund was recorded
    order_id: int
    order_number: str
    number: str  # the refund's number; "" for a payment
    method: str
    amount_cents: int
    status: str
    counts: bool  # succeeded: in the totals
    reference: str
    recorded_by: str
    note: str  # a refund's reason, a failed payment's reason


@dataclass(frozen=True)
class Totals:
    paid_cents: int = 0
    refunded_cents: int = 0

    @property
    def net_cents(self) -> int:
        return self.paid_cents - self.refunded_cents


@dataclass(frozen=True)
class EntryReport:
    entries: list[Entry]
    by_day: list[tuple[date, Totals]]  # oldest first
    by_method: list[tuple[str, Totals]]
    total: Totals
    is_cut: bool  # more than MAX_ENTRIES matched


def day_bounds(shop: Shop, since: date, until: date) -> tuple[datetime, datetime]:
    """The moments a range of the shop's calendar days starts and ends (until inclusive)."""
    zone = zoneinfo.ZoneInfo(shop.timezone)
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def recorder_name(entry) -> str:
    """Who put a ledger entry there, as people call them."""
    if entry.recorded_by is not None:
        return entry.recorded_by.get_full_name() or entry.recorded_by.get_username()
    return entry.recorded_label or entry.get_recorded_via_display()


def entry_report(shop: Shop, *, since: date, until: date, method: str = "",
                 kind: str = "") -> EntryReport:
    start, end = day_bounds(shop, since, until)
    entries: list[Entry] = []
    if kind in ("", PAYMENT):
        rows = Payment.objects.filter(shop=shop, paid_at__gte=start, paid_at__lt=end)
        if method:
            rows = rows.filter(method=method)
        for p in rows.select_related("order", "recorded_by").order_by("paid_at", "id")[
                :MAX_ENTRIES + 1]:
            entries.append(Entry(
                PAYMENT, p.paid_at, p.order_id, p.order.number, "", p.method, p.amount_cents,
                p.status, p.status == PaymentResult.SUCCEEDED, p.reference, recorder_name(p),
                p.failure_reason))
    if kind in ("", REFUND):
        rows = Refund.objects.filter(shop=shop, created_at__gte=start, created_at__lt=end)
        if method:
            rows = rows.filter(method=method)
        for r in rows.select_related("order", "recorded_by").order_by("created_at", "id")[
                :MAX_ENTRIES + 1]:
            entries.append(Entry(
                REFUND, r.created_at, r.order_id, r.order.number, r.number, r.method,
                r.amount_cents, r.status, r.status == RefundStatus.SUCCEEDED, r.reference,
                recorder_name(r), r.reason))
    entries.sort(key=lambda e: e.at)
    is_cut = len(entries) > MAX_ENTRIES
    entries = entries[:MAX_ENTRIES]
    zone = zoneinfo.ZoneInfo(shop.timezone)
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    by_method: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    for e in entries:
        if not e.counts:
            continue
        column = 0 if e.kind == PAYMENT else 1
        for sums in (by_day[e.at.astimezone(zone).date()], by_method[e.method], total):
            sums[column] += e.amount_cents
    return EntryReport(
        entries=entries,
        by_day=[(day, Totals(*sums)) for day, sums in sorted(by_day.items())],
        by_method=[(m, Totals(*sums)) for m, sums in sorted(by_method.items())],
        total=Totals(*total),
        is_cut=is_cut,
    )
