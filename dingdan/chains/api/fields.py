"""What the campaign routers share: the services' field names as the API's, and times on
the shop's clock."""

import zoneinfo
from contextlib import contextmanager
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.api.fields import MAX_ID
from dingdan.errors import InvalidInput
from dingdan.shops.models import Shop

# A service's field (as in InvalidInput.fields) -> the request's.
FIELD_NAMES = {
    "pickup_points": "pickup_point_ids",
    "price": "price_cents",
    "limit": "per_person_limit",
    "cap": "total_cap",
}


def api_field(name: str) -> str:
    """ "items.0.price" -> "items.0.price_cents"; "pickup_points" -> "pickup_point_ids"."""
    return ".".join(FIELD_NAMES.get(part, part) for part in name.split("."))


@contextmanager
def api_field_names():
    """A refusal's fields named as the client sent them."""
    try:
        yield
    except InvalidInput as exc:
        exc.fields = {api_field(name): message for name, message in exc.fields.items()}
        raise


def on_shop_clock(moment: datetime, shop: Shop, field: str) -> datetime:
    """A time sent without an offset is read on the shop's clock (as the pages do)."""
    if timezone.is_aware(moment):
        return moment
    local = moment.replace(tzinfo=zoneinfo.ZoneInfo(shop.timezone))
    try:
        local.astimezone(UTC)
    except OverflowError:
        message = _("Must be a date and time between the years 1 and 9999.")
        raise InvalidInput(message, fields={field: message}) from None
    return local


def row_id(value: int) -> int:
    """An id in a path that no row can have names nothing (and never reaches the database)."""
    return value if 1 <= value <= MAX_ID else 0
