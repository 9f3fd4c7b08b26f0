"""Writes for group-buy campaigns and pickup points. Each function is one use case in one
transaction and checks permission first; editing a campaign is managing the catalog
("catalog.manage"). Importing chains is in `previews` and `confirming`."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.chains import tasks
from dingdan.chains.models import (
    Campaign,
    CampaignItem,
    CampaignPickupPoint,
    CampaignStatus,
    Fulfilment,
)
from dingdan.chains.services import audit_records
from dingdan.errors import InvalidInput
from dingdan.fulfillment.models import PickupPoint
from dingdan.shops import audit
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole

MAX_ITEMS = 100
MAX_POINTS = 50
MAX_RULES = 2000
MAX_ALIASES = 20


@dataclass(frozen=True)
class ItemInput:
    sku: str
    price_cents: int
    per_person_limit: int | None = None
    total_cap: int | None = None


def _invalid(field: str, message) -> InvalidInput:
    return InvalidInput(message, fields={field: message})


def _clean_text(value, field: str, max_length: int, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise _invalid(field, _("This field is required."))
    if len(text) > max_length:
        raise _invalid(field, _("At most %(n)d characters.") % {"n": max_length})
    return text


def _clean_aliases(aliases) -> list[str]:
    if isinstance(aliases, str):
        aliases = aliases.replace("｜", "|").replace("、", "|").split("|")
    cleaned = []
    for alias in aliases or ():
        alias = _clean_text(alias, "aliases", 60)
        if alias and alias not in cleaned:
            cleaned.append(alias)
    if len(cleaned) > MAX_ALIASES:
        raise _invalid("aliases", _("At most %(n)d aliases.") % {"n": MAX_ALIASES})
    return cleaned


# -- pickup points ----------------------------------------------------------------------


@transaction.atomic
def create_pickup_point(
    *, actor: Actor, shop: Shop, name: str, address: str = "", aliases=()
) -> PickupPoint:
    """A new place customers collect their orders, for this and later campaigns."""
    require(actor, "catalog.manage", shop)
    name = _clean_text(name, "name", 60, required=True)
    if PickupPoint.objects.filter(shop=shop, name=name).exists():
        raise _invalid("name", _("The shop already has a pickup point called %(name)s.")
                       % {"name": name})
    point = PickupPoint.objects.create(
        shop=shop, name=name, address=_clean_text(address, "address", 200),
        aliases=[a for a in _clean_aliases(aliases) if a != name],
    )
    audit_records.point_record(actor, point, audit.CREATED, audit.initial(
        audit.snapshot(point, audit_records.POINT_FIELDS)))
    return point


@transaction.atomic
def update_pickup_point(
    *, actor: Actor, point: PickupPoint, name: str, address: str = "", aliases=(),
    is_active: bool = True,
) -> PickupPoint:
    require(actor, "catalog.manage", point.shop)
    point = PickupPoint.objects.select_for_update().get(pk=point.pk, shop=point.shop_id)
    before = audit.snapshot(point, audit_records.POINT_FIELDS)
    name = _clean_text(name, "name", 60, required=True)
    if PickupPoint.objects.filter(shop=point.shop_id, name=name).exclude(pk=point.pk).exists():
        raise _invalid("name", _("The shop already has a pickup point called %(name)s.")
                       % {"name": name})
    point.name = name
    point.address = _clean_text(address, "address", 200)
    point.aliases = [a for a in _clean_aliases(aliases) if a != name]
    point.is_active = bool(is_active)
    point.save()
    audit_records.point_record(actor, point, audit.CHANGED, audit.diff(
        before, audit.snapshot(point, audit_records.POINT_FIELDS)))
    return point


# -- campaigns --------------------------------------------------------------------------


@dataclass(frozen=True)
class _CleanCampaign:
    title: str
    cut_off_at: dt.datetime
    delivery_date: dt.date | None
    fulfilment: str
    rules: str
    points: list[PickupPoint]
    items: list[tuple[Variant, ItemInput]]


def _clean_campaign(
    shop: Shop, *, title, cut_off_at, delivery_date, fulfilment, pickup_point_ids, rules, items,
    current_points: set[int] = frozenset(),
) -> _CleanCampaign:
    title = _clean_text(title, "title", 100, required=True)
    if not isinstance(cut_off_at, dt.datetime) or timezone.is_naive(cut_off_at):
        raise _invalid("cut_off_at", _("Enter the cut-off date and time."))
    try:
        timezone.localtime(cut_off_at, _zone(shop))
    except OverflowError:  # year 1 or 9999 on the shop's clock: no such day
        raise _invalid("cut_off_at", _("Enter the cut-off date and time.")) from None
    if delivery_date is not None:
        if not isinstance(delivery_date, dt.date) or isinstance(delivery_date, dt.datetime):
            raise _invalid("delivery_date", _("Enter a date, e.g. 2026-12-20."))
        cut_off_day = timezone.localtime(cut_off_at, _zone(shop)).date()
        if delivery_date < cut_off_day:
            raise _invalid("delivery_date", _("The delivery date is before the cut-off."))
    if fulfilment not in Fulfilment.values:
        raise _invalid("fulfilment", _("Choose pickup points or delivery."))
    rules = "\n".join(line.rstrip() for line in str(rules or "").strip().splitlines())
    if len(rules) > MAX_RULES:
        raise _invalid("rules", _("At most %(n)d characters.") % {"n": MAX_RULES})
    try:
        ids = list(dict.fromkeys(int(pk) for pk in pickup_point_ids or ()))
    except (TypeError, ValueError):
        raise _invalid("pickup_points", _("Choose pickup points the shop uses.")) from None
    if len(ids) > MAX_POINTS:
        raise _invalid("pickup_points", _("At most %(n)d pickup points.") % {"n": MAX_POINTS})
    found = PickupPoint.objects.filter(shop=shop, pk__in=ids).in_bulk()
    points = []
    for pk in ids:
        point = found.get(pk)
        # A point already in the campaign may stay after it is retired; a new one must be in use.
        if point is None or (not point.is_active and pk not in current_points):
            raise _invalid("pickup_points", _("Choose pickup points the shop uses."))
        points.append(point)
    if fulfilment == Fulfilment.PICKUP and not points:
        raise _invalid("pickup_points", _("A pickup campaign needs at least one pickup point."))
    return _CleanCampaign(title, cut_off_at, delivery_date, fulfilment, rules, points,
                          _clean_items(shop, items))


def _clean_items(shop: Shop, items: list[ItemInput]) -> list[tuple[Variant, ItemInput]]:
    if not items:
        raise _invalid("items", _("Add at least one product to the campaign."))
    if len(items) > MAX_ITEMS:
        raise _invalid("items", _("At most %(n)d products per campaign.") % {"n": MAX_ITEMS})
    skus = [str(item.sku or "").strip() for item in items]
    variants = {
        v.sku: v for v in Variant.objects.filter(shop=shop, sku__in=skus)
        .select_related("product")
    }
    problems = {}
    for n, (sku, item) in enumerate(zip(skus, items, strict=True)):
        variant = variants.get(sku)
        if variant is None:
            problems[f"items.{n}.sku"] = _("No product with the SKU %(sku)s.") % {
                "sku": sku or "-"}
        elif not (variant.is_active and variant.product.is_active):
            problems[f"items.{n}.sku"] = _("%(name)s is not on sale.") % {
                "name": variant.display_name}
        elif sku in skus[:n]:
            problems[f"items.{n}.sku"] = _("%(sku)s is in the campaign twice.") % {"sku": sku}
        if not _is_count(item.price_cents, minimum=0):
            problems[f"items.{n}.price"] = _("Enter the campaign price in yuan, e.g. 12.50.")
        for field, value in (("limit", item.per_person_limit), ("cap", item.total_cap)):
            if value is not None and not _is_count(value, minimum=1):
                problems[f"items.{n}.{field}"] = _("Leave it empty or enter a whole number "
                                                   "from 1.")
    if problems:
        raise InvalidInput(" ".join(dict.fromkeys(str(m) for m in problems.values())),
                           fields=problems)
    return [(variants[sku], item) for sku, item in zip(skus, items, strict=True)]


def _is_count(value, *, minimum: int) -> bool:
    return is_whole(value, minimum=minimum, maximum=10**9)


def _zone(shop: Shop) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(shop.timezone)


def _write_items_and_points(campaign: Campaign, clean: _CleanCampaign) -> None:
    shop = campaign.shop
    CampaignItem.objects.filter(campaign=campaign).delete()
    CampaignItem.objects.bulk_create([
        CampaignItem(
            shop=shop, campaign=campaign, variant=variant, price_cents=item.price_cents,
            per_person_limit=item.per_person_limit, total_cap=item.total_cap, position=n,
        )
        for n, (variant, item) in enumerate(clean.items)
    ])
    CampaignPickupPoint.objects.filter(campaign=campaign).delete()
    CampaignPickupPoint.objects.bulk_create([
        CampaignPickupPoint(shop=shop, campaign=campaign, pickup_point=point, position=n)
        for n, point in enumerate(clean.points)
    ])


@transaction.atomic
def create_campaign(
    *,
    actor: Actor,
    shop: Shop,
    title: str,
    cut_off_at: dt.datetime,
    items: list[ItemInput],
    delivery_date: dt.date | None = None,
    fulfilment: str = Fulfilment.PICKUP,
    pickup_point_ids=(),
    rules: str = "",
) -> Campaign:
    """A group-buy: its products at campaign prices (with limits), the cut-off (截单), the
    delivery date, and where customers pick up (or delivery). It closes itself at the
    cut-off; the person setting it up is its organiser, told the totals then."""
    require(actor, "catalog.manage", shop)
    clean = _clean_campaign(
        shop, title=title, cut_off_at=cut_off_at, delivery_date=delivery_date,
        fulfilment=fulfilment, pickup_point_ids=pickup_point_ids, rules=rules, items=items,
    )
    campaign = Campaign.objects.create(
        shop=shop, title=clean.title, cut_off_at=clean.cut_off_at,
        delivery_date=clean.delivery_date, fulfilment=clean.fulfilment, rules=clean.rules,
        created_by=actor.user if actor.kind == ActorKind.STAFF else None,
    )
    _write_items_and_points(campaign, clean)
    audit_records.campaign_record(actor, campaign, audit.CREATED,
                                  audit.initial(audit_records.campaign_snapshot(campaign)))
    tasks.schedule_closing(campaign)
    return campaign


@transaction.atomic
def update_campaign(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    cut_off_at: dt.datetime,
    items: list[ItemInput],
    delivery_date: dt.date | None = None,
    fulfilment: str = Fulfilment.PICKUP,
    pickup_point_ids=(),
    rules: str = "",
    status: str | None = None,
) -> Campaign:
    """Change a campaign. New prices and limits apply to orders imported from now on; orders
    already made keep theirs. Moving the cut-off later lets new entries in again (and moves
    the moment it closes itself); reopening one past its cut-off closes it again at once."""
    shop = campaign.shop
    require(actor, "catalog.manage", shop)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk, shop=shop)
    campaign.shop = shop
    before = audit_records.campaign_snapshot(campaign)
    current = set(
        CampaignPickupPoint.objects.filter(campaign=campaign)
        .values_list("pickup_point_id", flat=True)
    )
    clean = _clean_campaign(
        shop, title=title, cut_off_at=cut_off_at, delivery_date=delivery_date,
        fulfilment=fulfilment, pickup_point_ids=pickup_point_ids, rules=rules, items=items,
        current_points=current,
    )
    if status is not None and status not in CampaignStatus.values:
        raise _invalid("status", _("Unknown status."))
    if campaign.entries.exists() and clean.fulfilment != campaign.fulfilment:
        raise _invalid("fulfilment", _("Orders were already imported; pickup or delivery can "
                                       "no longer change."))
    used = set(campaign.entries.exclude(pickup_point=None)
               .values_list("pickup_point_id", flat=True))
    if used - {point.pk for point in clean.points}:
        raise _invalid("pickup_points", _("A pickup point with orders cannot be removed from "
                                          "the campaign."))
    was_open = campaign.status == CampaignStatus.OPEN
    moved = campaign.cut_off_at != clean.cut_off_at
    campaign.title, campaign.cut_off_at = clean.title, clean.cut_off_at
    campaign.delivery_date, campaign.fulfilment = clean.delivery_date, clean.fulfilment
    campaign.rules = clean.rules
    if status is not None and status != campaign.status:
        campaign.status = status
        if status == CampaignStatus.OPEN:
            campaign.closed_at = None
        elif was_open:
            campaign.closed_at = timezone.now()
    campaign.save()
    campaign.shop = shop
    _write_items_and_points(campaign, clean)
    audit_records.campaign_record(actor, campaign, audit.CHANGED,
                                  audit.diff(before, audit_records.campaign_snapshot(campaign)))
    if campaign.status == CampaignStatus.OPEN and (moved or not was_open):
        tasks.schedule_closing(campaign)
    return campaign


def accepts_new_entries(campaign: Campaign, at: dt.datetime | None = None) -> bool:
    """Whether an entry first seen at `at` (default now) is on time for the campaign."""
    at = at or timezone.now()
    return campaign.status == CampaignStatus.OPEN and at <= campaign.cut_off_at
