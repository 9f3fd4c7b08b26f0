"""Time on the shop's clock: the database keeps UTC, people type and read the shop's local
time. Imports no app: a shop is anything with a `timezone` name."""

import unicodedata
import zoneinfo
from datetime import datetime

from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput


def parse_local_time(text, timezone: str, field: str = "due_at") -> datetime:
    """ "2026-12-01T10:00" from a date-time field, read on the clock of `timezone`."""
    cleaned = "T".join(unicodedata.normalize("NFKC", str(text or "")).split())
    try:
        moment = datetime.strptime(cleaned[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        message = _("Enter a date and time, e.g. 2026-12-01 10:00.")
        raise InvalidInput(message, fields={field: message}) from None
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))


def shop_time(shop, moment: datetime) -> str:
    """A moment as the shop's clock shows it ("2026-11-23 21:28"); `shop.timezone` names
    the zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(shop.timezone)).strftime("%Y-%m-%d %H:%M")
