"""Phone numbers as merchants paste them, turned into one stored form.

A mainland mobile is kept as its 11 digits (13800138000), whatever spaces, dashes, +86 or
full-width digits it came with. A number from elsewhere must carry its +country code and is
kept in E.164 (+14155550123). Everything else is refused, so a customer found again by phone
is found by exactly one spelling."""

import re
import unicodedata

import phonenumbers
from django.utils.translation import gettext_lazy as _

from dingdan.errors import InvalidInput

MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
MAX_INPUT_LENGTH = 32
# Separators people type between digit groups; anything else (letters, #, ext.) is refused.
_SEPARATORS = re.compile(r"[\s\-.()/]")


class InvalidPhone(InvalidInput):
    """A phone number that is neither a mainland mobile nor a +code international one."""


def normalize_phone(raw: str) -> str:
    """The stored form of `raw`, or InvalidPhone explaining why it is not a mobile number."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if len(text) > MAX_INPUT_LENGTH or not re.fullmatch(r"\+?[0-9]+", compact):
        raise _refusal(raw)
    if compact.startswith("+"):
        if compact.startswith("+86"):
            return _mainland(compact[3:], raw)
        return _international(compact, raw)
    if len(compact) == 13 and compact.startswith("86"):
        compact = compact[2:]
    return _mainland(compact, raw)


def _mainland(digits: str, raw: str) -> str:
    if not MAINLAND_MOBILE.match(digits):
        raise _refusal(raw)
    return digits


def _international(compact: str, raw: str) -> str:
    try:
        number = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        raise _refusal(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise _refusal(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _refusal(raw: str) -> InvalidPhone:
    shown = (raw or "").strip()[:MAX_INPUT_LENGTH] or "-"
    field_message = _("Not a valid mobile number: %(phone)s") % {"phone": shown}
    message = _(
        "Not a valid mobile number: %(phone)s. A mainland mobile has 11 digits starting with "
        "13–19; a number from elsewhere needs its country code, e.g. +1 415 555 0123."
    ) % {"phone": shown}
    return InvalidPhone(message, fields={"phone": field_message})


def phone_digits(text: str) -> str:
    """Only the digits of a search term, full-width ones included ("138 0013" → "1380013")."""
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text or ""))
