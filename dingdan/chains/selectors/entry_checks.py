"""What a campaign checks on an entry before it becomes an order, beyond what the parser
found: per-person limits, the total cap, the pickup point, a customer to order for.

`BLOCKING` problems keep an entry from being imported until the merchant fixes it; the
others (an item not understood, a product outside the campaign, a repeated entry) only
leave it unticked in the preview, for the merchant to look at."""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from dingdan.chains import problem_labels
from dingdan.chains.models import Campaign, CampaignItem, ChainEntry
from dingdan.chains.parsing import problems
from dingdan.chains.parsing.identity import person_key
from dingdan.orders.models import OrderLine
from dingdan.orders.states import Status

OVER_LIMIT = "over_limit"
OVER_CAP = "over_cap"
NO_PICKUP_POINT = "no_pickup_point"
UNKNOWN_PICKUP_POINT = "unknown_pickup_point"
NO_CUSTOMER = "no_customer"
NO_ADDRESS = "no_address"
NOT_IN_CAMPAIGN = "not_in_campaign"

LABELS = {
    **problem_labels.LABELS,
    OVER_LIMIT: _("over the per-person limit"),
    OVER_CAP: _("more than is left of the campaign's total"),
    NO_PICKUP_POINT: _("no pickup point of the campaign named"),
    UNKNOWN_PICKUP_POINT: _("the pickup point is not one of the campaign's"),
    NO_CUSTOMER: _("no name and no phone"),
    NO_ADDRESS: _("no delivery address"),
    NOT_IN_CAMPAIGN: _("a product outside the campaign (catalog price)"),
}
ORDER = (*problems.CODES, NO_CUSTOMER, NO_PICKUP_POINT, UNKNOWN_PICKUP_POINT, NO_ADDRESS,
         NOT_IN_CAMPAIGN, OVER_LIMIT, OVER_CAP)
BLOCKING = frozenset({problems.PHONE_INVALID, problems.NO_ITEMS, problems.PICKUP_POINT_AMBIGUOUS,
                      NO_CUSTOMER, NO_PICKUP_POINT, UNKNOWN_PICKUP_POINT, OVER_LIMIT, OVER_CAP})
LIMIT_CODES = frozenset({OVER_LIMIT, OVER_CAP})


def in_order(codes: Iterable[str]) -> list[str]:
    found = set(codes)
    return [code for code in ORDER if code in found]


def blocking(codes: Iterable[str]) -> list[str]:
    return [code for code in in_order(codes) if code in BLOCKING]


def quantities(items: Iterable[dict]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for item in items:
        totals[item["sku"]] += item["quantity"]
    return dict(totals)


class Ledger:
    """Units of each campaign item taken so far, per person and in total, to check the next
    entry against the per-person limit and the total cap."""

    def __init__(self, items: Iterable[CampaignItem]) -> None:
        self.items = {item.variant.sku: item for item in items}
        self.per_person: dict[tuple[str, str], int] = defaultdict(int)
        self.totals: dict[str, int] = defaultdict(int)

    def add(self, person: str, wanted: dict[str, int], sign: int = 1) -> None:
        for sku, quantity in wanted.items():
            if sku in self.items:
                self.per_person[(person, sku)] += sign * quantity
                self.totals[sku] += sign * quantity

    def overruns(self, person: str, wanted: dict[str, int]) -> list[dict]:
        """What taking `wanted` would overrun: [{"sku", "kind": limit|cap, "allowed": n}],
        `allowed` being how many this person may still take."""
        found = []
        for sku, quantity in wanted.items():
            item = self.items.get(sku)
            if item is None:
                continue
            limit, cap = item.per_person_limit, item.total_cap
            if limit is not None and self.per_person[(person, sku)] + quantity > limit:
                found.append({"sku": sku, "kind": "limit",
                              "allowed": max(limit - self.per_person[(person, sku)], 0)})
            if cap is not None and self.totals[sku] + quantity > cap:
                found.append({"sku": sku, "kind": "cap",
                              "allowed": max(cap - self.totals[sku], 0)})
        return found


def ordered_so_far(campaign: Campaign) -> dict[str, tuple[str, dict[str, int]]]:
    """Each imported entry's person and the units its order holds now (the order's lines,
    which the merchant may have edited), by identity key. Cancelled orders hold nothing."""
    entries = list(
        ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign)
        .exclude(order__status=Status.CANCELLED)
        .values_list("identity_key", "customer", "phone", "order_id")
    )
    lines: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for order_id, sku, quantity in OrderLine.objects.filter(
        shop=campaign.shop_id, order_id__in=[order_id for *_rest, order_id in entries]
    ).values_list("order_id", "sku", "quantity"):
        lines[order_id][sku] += quantity
    return {
        key: (person_key(customer, phone), dict(lines[order_id]))
        for key, customer, phone, order_id in entries
    }
