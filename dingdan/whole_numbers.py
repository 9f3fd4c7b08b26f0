"""Whole numbers from outside: a quantity, an amount in 分, a count typed into a form or
sent in JSON. One check for all of them, so `True`, 2.5, "3" or a negative amount is
refused everywhere with the same clear message naming the field."""

import re
import unicodedata

from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput

# Amounts are BIGINT 分; ten billion yuan is beyond any order and far inside 64 bits.
MAX_CENTS = 10**12
_WHOLE_TEXT = re.compile(r"^[+-]?\d{1,12}$")


def is_whole(value, *, minimum: int | None = None, maximum: int | None = None) -> bool:
    """An int (not a bool) within the bounds given."""
    return (
        isinstance(value, int) and not isinstance(value, bool)
        and (minimum is None or value >= minimum)
        and (maximum is None or value <= maximum)
    )


def whole_number(value, field: str, *, minimum: int = 0, maximum: int | None = None,
                 message: str | None = None) -> int:
    """`value` if it is a whole number in [minimum, maximum], else InvalidInput on `field`."""
    if is_whole(value, minimum=minimum, maximum=maximum):
        return value
    if message is None:
        if is_whole(value) and value < 0 <= minimum:
            message = _("An amount cannot be negative.") if field.endswith("cents") else _(
                "Must be a whole number from %(min)s to %(max)s.") % {
                "min": minimum, "max": maximum if maximum is not None else "∞"}
        elif maximum is not None:
            message = _("Must be a whole number from %(min)s to %(max)s.") % {
                "min": minimum, "max": maximum}
        else:
            message = _("Must be a whole number of at least %(min)s.") % {"min": minimum}
    raise InvalidInput(message, fields={field: message})


def parse_whole_number(text, field: str, *, required: bool = True) -> int | None:
    """What someone typed into a form field (full-width digits welcome) as a whole number."""
    cleaned = "".join(unicodedata.normalize("NFKC", str(text or "")).split())
    if not cleaned:
        if required:
            message = _("Enter a whole number.")
            raise InvalidInput(message, fields={field: message})
        return None
    if not _WHOLE_TEXT.match(cleaned) or not cleaned.lstrip("+-").isascii():
        message = _("%(value)s is not a whole number.") % {"value": str(text).strip()[:20]}
        raise InvalidInput(message, fields={field: message})
    return int(cleaned)
