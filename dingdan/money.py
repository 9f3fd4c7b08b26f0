"""Money as people type and read it: a price in 元 turned into whole 分, and back.
Never via float: 0.1 + 0.2 is not 0.3. Imports no app, so every layer may use it."""

import re
import unicodedata

from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput

_YUAN = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
_TOO_PRECISE = re.compile(r"^\d*\.\d{3,}$")


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: message})


def _normalised(text) -> str:
    # Full-width digits and ￥ from a Chinese input method become 0-9 and ¥.
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def parse_yuan(text, field: str = "price", *, required: bool = True) -> int | None:
    """ "12.5" → 1250 分; "12.345" is refused (分 is the smallest unit)."""
    cleaned = _normalised(text).removeprefix("¥").removesuffix("元").replace(",", "")
    if not cleaned:
        if required:
            raise _invalid(field, _("Enter a price in yuan, e.g. 12.50."))
        return None
    if cleaned.startswith("-"):
        raise _invalid(field, _("An amount cannot be negative."))
    match = _YUAN.match(cleaned)
    if match is None:
        if _TOO_PRECISE.match(cleaned):
            message = _("%(value)s has more than two decimals: 1 分 is the smallest amount.")
        else:
            message = _("%(value)s is not a price in yuan; write it like 12.50.")
        raise _invalid(field, message % {"value": str(text).strip()[:20]})
    return int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))


def format_yuan(cents) -> str:
    """1250 → "12.50"; None → "" (no price)."""
    if cents is None or cents == "":
        return ""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"
