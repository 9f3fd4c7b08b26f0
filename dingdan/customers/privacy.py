"""What a member of staff may see of a customer. Roles without "customers.view_pii" see phone
numbers as 138****8000 and the street part of addresses hidden, in the API and the UI alike:
both draw customers through `customer_as_seen_by`, the one place that decides."""

from typing import Any

import phonenumbers

from dingdan.customers.models import Address, Customer
from dingdan.phones import MAINLAND_MOBILE
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import role_allows

HIDDEN = "****"


def may_see_pii(actor: Actor) -> bool:
    # System and rule actors act for the shop itself and see everything.
    return actor.role is None or role_allows(actor.role, "customers.view_pii")


def mask_phone(phone: str) -> str:
    """138****8000 for a mainland mobile; the country code and last four digits otherwise."""
    if not phone:
        return phone
    if MAINLAND_MOBILE.fullmatch(phone):
        return f"{phone[:3]}{HIDDEN}{phone[-4:]}"
    try:
        country = phonenumbers.parse(phone, None).country_code
    except phonenumbers.NumberParseException:
        return HIDDEN + phone[-4:]
    return f"+{country} {HIDDEN}{phone[-4:]}"


def mask_detail(detail: str) -> str:
    """The first two characters (the street's start) and nothing that leads to the door."""
    if not detail:
        return detail
    return detail[:2] + HIDDEN if len(detail) > 4 else HIDDEN


def address_as_seen_by(address: Address, *, pii: bool) -> dict[str, Any]:
    return {
        "id": address.pk,
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "detail": address.detail if pii else mask_detail(address.detail),
        "is_default": address.is_default,
    }


def customer_as_seen_by(actor: Actor, customer: Customer) -> dict[str, Any]:
    """The customer as this actor may see them (expects addresses, tags and identities
    prefetched, see selectors.customers_for_shop)."""
    pii = may_see_pii(actor)
    phone = customer.phone if pii else mask_phone(customer.phone)
    return {
        "id": customer.pk,
        "name": customer.name,
        "phone": phone or None,
        "addresses": [address_as_seen_by(a, pii=pii) for a in customer.addresses.all()],
        "tags": sorted(tag.name for tag in customer.tags.all()),
        "note": customer.note,
        "identities": [
            {"channel": i.channel, "external_id": i.external_id} for i in customer.identities.all()
        ],
        "created_at": customer.created_at,
        "pii_masked": not pii,
    }
