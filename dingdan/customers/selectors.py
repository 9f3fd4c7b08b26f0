"""Reads of a shop's customers, already scoped to the shop and prefetched for display."""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan import hooks
from dingdan.customers.models import Address, Customer, CustomerMerge, Identity, Tag
from dingdan.customers.phone import normalize_phone, phone_digits
from dingdan.errors import InvalidInput, NotFound
from dingdan.shops.models import Shop

# Fewer digits than this match too many numbers to be a phone search.
MIN_PHONE_DIGITS = 3


def customers_for_shop(
    shop: Shop, q: str | None = None, *, search_phone: bool = True
) -> QuerySet[Customer]:
    """The shop's customers, newest first; `q` matches part of the name or of the phone digits
    ("8000", "138 0013"). `search_phone=False` for roles that may not see phone numbers, so a
    search cannot reveal a hidden number digit by digit."""
    customers = Customer.objects.filter(shop=shop).prefetch_related(
        Prefetch("addresses", queryset=Address.objects.order_by("-is_default", "id")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("identities", queryset=Identity.objects.order_by("channel", "id")),
    )
    q = (q or "").strip()
    if q:
        matches = Q(name__icontains=q)
        digits = phone_digits(q)
        if search_phone and len(digits) >= MIN_PHONE_DIGITS:
            matches |= Q(phone__contains=digits)
            # A whole number in any spelling ("+86 138 0013 8000") finds its stored form.
            with contextlib.suppress(InvalidInput):
                matches |= Q(phone=normalize_phone(q))
        customers = customers.filter(matches)
    return customers.order_by("-created_at", "-id")


def customer_in_shop(shop: Shop, customer_id: int) -> Customer:
    customer = customers_for_shop(shop).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("Customer not found."), code="customer_not_found")
    return customer


def customer_with_phone(shop: Shop, phone: str) -> Customer | None:
    """The customer a normalised phone number belongs to, if any."""
    if not phone:
        return None
    return customers_for_shop(shop).filter(phone=phone).first()


def customer_for_order(shop: Shop, phone: str) -> Customer | None:
    """The customer a phone number on an incoming order belongs to, with their addresses
    (default first), or None."""
    if not phone:
        return None
    return (
        Customer.objects.filter(shop=shop, phone=phone)
        .prefetch_related(
            Prefetch("addresses", queryset=Address.objects.order_by("-is_default", "id"))
        )
        .first()
    )


def address_of_customer(customer: Customer, address_id: int) -> Address:
    address = Address.objects.filter(
        shop_id=customer.shop_id, customer=customer, pk=address_id
    ).first()
    if address is None:
        raise NotFound(_("Address not found."), code="address_not_found")
    return address


def tags_for_shop(shop: Shop) -> QuerySet[Tag]:
    return Tag.objects.filter(shop=shop).order_by("name")


def merges_into(customer: Customer) -> QuerySet[CustomerMerge]:
    return CustomerMerge.objects.filter(shop_id=customer.shop_id, kept=customer)


@dataclass(frozen=True)
class CustomerSummary:
    orders_count: int = 0
    spend_cents: int = 0
    last_order_at: datetime | None = None


def customer_summary(customer: Customer) -> CustomerSummary:
    """How much the customer has bought: their orders (cancelled ones not counted), what
    those came to, and when they last ordered. The orders app answers through the
    `customers.summary` hook, since orders depend on customers and not the other way."""
    figures: dict = {}
    for answer in hooks.collect("customers.summary", customer=customer):
        figures.update(answer)
    return CustomerSummary(**figures)
