"""Services have no stock; their capacity is bookings per time slot (e.g. 3 per hour),
held with the same kind of conditional UPDATE as stock, so a slot is never overbooked."""

import zoneinfo
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.errors import Conflict, InvalidInput
from dingdan.inventory.models import ServiceSlot
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require_any


def _check_slot(shop: Shop, variant: Variant, starts_at: datetime) -> int | None:
    """The product's capacity per slot (None: unlimited), after checking the slot start."""
    product = variant.product
    if variant.shop_id != shop.pk or not product.is_service:
        raise InvalidInput(
            _("%(name)s is not a bookable service.") % {"name": variant.display_name}
        )
    if starts_at.tzinfo is None:
        raise InvalidInput(_("A booking time needs a time zone."), fields={"starts_at": "tz"})
    local = starts_at.astimezone(zoneinfo.ZoneInfo(shop.timezone))
    minutes = local.hour * 60 + local.minute
    if local.second or local.microsecond or minutes % product.slot_minutes:
        message = _("Bookings start on the %(n)s-minute grid, e.g. 10:00.") % {
            "n": product.slot_minutes
        }
        raise InvalidInput(message, code="slot_misaligned", fields={"starts_at": message})
    return product.slot_capacity


@transaction.atomic
def book_slot(
    *, actor: Actor, shop: Shop, variant: Variant, starts_at: datetime, quantity: int = 1
) -> ServiceSlot | None:
    """Take `quantity` bookings in the slot starting at `starts_at`, or refuse when full."""
    require_any(actor, ["orders.create", "orders.edit"], shop)
    capacity = _check_slot(shop, variant, starts_at)
    if capacity is None:
        return None
    ServiceSlot.objects.bulk_create(
        [ServiceSlot(shop=shop, variant=variant, starts_at=starts_at, capacity=capacity)],
        ignore_conflicts=True,
    )
    taken = ServiceSlot.objects.filter(
        shop=shop, variant=variant, starts_at=starts_at, booked__lte=F("capacity") - quantity
    ).update(booked=F("booked") + quantity)
    slot = ServiceSlot.objects.get(shop=shop, variant=variant, starts_at=starts_at)
    if not taken:
        raise Conflict(
            _("%(name)s is fully booked at that time (%(free)s of %(capacity)s free).")
            % {"name": variant.display_name, "free": max(slot.capacity - slot.booked, 0),
               "capacity": slot.capacity},
            code="slot_full",
            details={"free": max(slot.capacity - slot.booked, 0)},
        )
    return slot


@transaction.atomic
def release_slot(
    *, actor: Actor, shop: Shop, variant: Variant, starts_at: datetime, quantity: int = 1
) -> None:
    """Give bookings back (the order was cancelled or moved to another time)."""
    require_any(actor, ["orders.cancel", "orders.edit"], shop)
    ServiceSlot.objects.filter(
        shop=shop, variant=variant, starts_at=starts_at, booked__gte=quantity
    ).update(booked=F("booked") - quantity)
