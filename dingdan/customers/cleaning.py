"""Checking what staff, the API and order intake send before anything is written: each
function returns the clean value or raises InvalidInput naming the field, so a refusal
always comes before the first write and changes nothing."""

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from dingdan.customers.addresses import AddressParts, split_address
from dingdan.customers.models import (
    CHANNEL_MAX,
    CITY_MAX,
    DETAIL_MAX,
    DISTRICT_MAX,
    EXTERNAL_ID_MAX,
    NAME_MAX,
    PROVINCE_MAX,
    TAG_MAX,
    Customer,
)
from dingdan.customers.phone import normalize_phone
from dingdan.errors import Conflict, InvalidInput

CHANNEL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ADDRESS_PARTS = {
    "province": PROVINCE_MAX,
    "city": CITY_MAX,
    "district": DISTRICT_MAX,
    "detail": DETAIL_MAX,
}

AddressInput = str | Mapping[str, str] | AddressParts | None


def too_long(field: str, max_length: int) -> InvalidInput:
    message = _("At most %(n)d characters.") % {"n": max_length}
    summary = _("Too long: %(field)s may have at most %(n)d characters.") % {
        "field": field,
        "n": max_length,
    }
    return InvalidInput(summary, fields={field: message})


def clean_text(value: str | None, *, field: str, max_length: int, required: Any = None) -> str:
    """Trimmed text; `required` is the message for an empty value when one is needed."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(required, fields={field: _("This field is required.")})
    if len(text) > max_length:
        raise too_long(field, max_length)
    return text


def clean_name(name: str | None) -> str:
    return clean_text(
        " ".join((name or "").split()),
        field="name",
        max_length=NAME_MAX,
        required=_("A customer needs a name."),
    )


def clean_phone(phone: str | None) -> str:
    """The normalised phone, or "" for none."""
    if phone is None or not phone.strip():
        return ""
    return normalize_phone(phone)


def clean_address(address: AddressInput) -> AddressParts | None:
    """One pasted line or its four parts; None when nothing was given."""
    if address is None:
        return None
    if isinstance(address, AddressParts):
        parts = address
    elif isinstance(address, str):
        parts = split_address(address)
        if len(parts.detail) > DETAIL_MAX:
            raise too_long("address", DETAIL_MAX)
    else:
        parts = AddressParts(
            **{
                name: clean_text(address.get(name), field=f"address.{name}", max_length=max_length)
                for name, max_length in ADDRESS_PARTS.items()
            }
        )
    for name, max_length in ADDRESS_PARTS.items():
        if len(getattr(parts, name)) > max_length:
            raise too_long(f"address.{name}", max_length)
    if not any((parts.province, parts.city, parts.district, parts.detail)):
        return None
    return parts


def clean_tag(name: str | None, *, field: str = "tags") -> str:
    return clean_text(
        " ".join((name or "").split()),
        field=field,
        max_length=TAG_MAX,
        required=_("A tag cannot be empty."),
    )


def clean_identity(
    channel: str | None, external_id: str | None, *, field: str = "identities"
) -> tuple[str, str]:
    """A channel name such as wechat, chat or mini_shop and the customer's id there."""
    needed = _("A channel identity needs a channel and the customer's id in it.")
    channel = clean_text(
        channel, field=f"{field}.channel", max_length=CHANNEL_MAX, required=needed
    ).lower()
    if not CHANNEL_PATTERN.match(channel):
        message = _("A channel is a short name in lower-case letters, digits and _, e.g. wechat.")
        raise InvalidInput(message, fields={f"{field}.channel": message})
    external_id = clean_text(
        external_id, field=f"{field}.external_id", max_length=EXTERNAL_ID_MAX, required=needed
    )
    return channel, external_id


def customer_exists(existing: Customer) -> Conflict:
    message = _("A customer with this phone number already exists: %(name)s (no. %(id)d).") % {
        "name": existing.name,
        "id": existing.pk,
    }
    return Conflict(
        message,
        code="customer_exists",
        fields={"phone": message},
        details={"customer_id": existing.pk, "customer_name": existing.name},
    )
