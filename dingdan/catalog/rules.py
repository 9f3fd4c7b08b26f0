"""Field rules for catalog input, shared by the services, the importer and the API."""

import re

from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import ProductKind
from dingdan.errors import InvalidInput
from dingdan.whole_numbers import is_whole, whole_number

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{0,63}$")
MAX_PRICE_CENTS = 100_000_000_00  # 1 亿元: anything above is a typo
MAX_ALIASES = 30


def invalid(field: str, message) -> InvalidInput:
    return InvalidInput(message, fields={field: message})


def clean_sku(sku) -> str:
    sku = str(sku or "").strip()
    if not SKU_PATTERN.match(sku):
        raise invalid(
            "sku",
            _("A SKU is 1–64 letters, digits, dots, dashes, slashes or underscores: %(sku)s")
            % {"sku": sku or "-"},
        )
    return sku


def clean_text(value, field: str, *, max_length: int, required: bool = False) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise invalid(field, _("This field is required."))
    if len(value) > max_length:
        raise invalid(field, _("At most %(n)d characters.") % {"n": max_length})
    return value


def clean_cents(value, field: str, *, required: bool = False) -> int | None:
    if value is None or value == "":
        if required:
            raise invalid(field, _("This field is required."))
        return None
    if not is_whole(value):
        raise invalid(field, _("An amount in fen (分) must be a whole number, e.g. 1990."))
    if value < 0:
        raise invalid(field, _("An amount cannot be negative."))
    if value > MAX_PRICE_CENTS:
        raise invalid(field, _("This amount is too large."))
    return value


def clean_positive(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    return whole_number(value, field, minimum=1, message=_("Must be a whole number above zero."))


def clean_kind(kind) -> str:
    kind = kind or ProductKind.GOODS
    if kind not in ProductKind.values:
        raise invalid(
            "kind", _("Must be one of: %(choices)s.") % {"choices": ", ".join(ProductKind.values)}
        )
    return kind


def clean_aliases(aliases, *, name: str = "") -> list[str]:
    if aliases is None:
        return []
    if isinstance(aliases, str):
        aliases = aliases.split("|")
    result: list[str] = []
    for alias in aliases:
        alias = clean_text(alias, "aliases", max_length=100)
        if alias and alias != name and alias not in result:
            result.append(alias)
    if len(result) > MAX_ALIASES:
        raise invalid("aliases", _("At most %(n)d aliases.") % {"n": MAX_ALIASES})
    return result


def clean_slot_minutes(value) -> int:
    """Service slot length: 5 minutes to a day, dividing the day evenly."""
    if value is None or value == "":
        return 60
    if not is_whole(value, minimum=5, maximum=1440) or 1440 % value:
        raise invalid(
            "slot_minutes", _("A slot is 5 to 1440 minutes and divides the day, e.g. 30 or 60.")
        )
    return value
