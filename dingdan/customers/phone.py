"""Phone numbers as merchants paste them, turned into one stored form.

A mainland mobile is kept as its 11 digits (13800138000), whatever spaces, dashes, +86 or
full-width digits it came with. A number from elsewhere must carry its +country code and is
kept in E.164 (+14155550123). Everything else is refused, so a customer found again by phone
is found by exactly one spelling."""

from django.utils.translation import gettext_lazy as _

from dingdan.errors import InvalidInput
from dingdan.phones import MAX_INPUT_LENGTH, phone_digits, stored_phone

__all__ = ["InvalidPhone", "normalize_phone", "phone_digits"]


class InvalidPhone(InvalidInput):
    """A phone number that is neither a mainland mobile nor a +code international one."""


def normalize_phone(raw: str) -> str:
    """The stored form of `raw`, or InvalidPhone explaining why it is not a mobile number."""
    stored = stored_phone(raw)
    if stored is None:
        raise _refusal(raw)
    return stored


def _refusal(raw: str) -> InvalidPhone:
    shown = (raw or "").strip()[:MAX_INPUT_LENGTH] or "-"
    field_message = _("Not a valid mobile number: %(phone)s") % {"phone": shown}
    message = _(
        "Not a valid mobile number: %(phone)s. A mainland mobile has 11 digits starting with "
        "13–19; a number from elsewhere needs its country code, e.g. +1 415 555 0123."
    ) % {"phone": shown}
    return InvalidPhone(message, fields={"phone": field_message})
