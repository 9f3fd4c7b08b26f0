"""Writes for customers: one function per use case, permission first, one transaction each."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from dingdan import hooks
from dingdan.customers import cleaning, selectors
from dingdan.customers.addresses import AddressParts
from dingdan.customers.cleaning import AddressInput
from dingdan.customers.models import (
    NOTE_MAX,
    Address,
    Customer,
    CustomerMerge,
    CustomerTag,
    Identity,
    Tag,
)
from dingdan.customers.services import audit_records, defaults
from dingdan.customers.services.merge_moves import move_related_rows
from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require


def _own(shop: Shop, customer: Customer) -> None:
    if customer.shop_id != shop.pk:
        raise NotFound(_("Customer not found."), code="customer_not_found")


def _phone_taken(shop: Shop, phone: str, *, other_than: Customer | None = None) -> None:
    existing = selectors.customer_with_phone(shop, phone)
    if existing is not None and existing != other_than:
        raise cleaning.customer_exists(existing)


# Writes shared by the use cases below; they assume the caller checked permission.


def _store_address(
    customer: Customer,
    parts: AddressParts,
    *,
    make_default: bool,
    addresses: list[Address] | None = None,
) -> Address:
    """`addresses`: the customer's addresses when the caller has already read them."""
    if addresses is None:
        addresses = list(Address.objects.filter(customer=customer))
    existing = next((a for a in addresses if a.parts == _as_tuple(parts)), None)
    has_default = any(a.is_default for a in addresses)
    if existing is None:
        existing = Address.objects.create(
            shop_id=customer.shop_id,
            customer=customer,
            province=parts.province,
            city=parts.city,
            district=parts.district,
            detail=parts.detail,
            # Without a default there is nothing to clear: the new one is it from the start.
            is_default=not has_default,
        )
    if (make_default or not has_default) and not existing.is_default:
        defaults.make_default(existing)
    return existing


def _as_tuple(parts: AddressParts) -> tuple[str, str, str, str]:
    return (parts.province, parts.city, parts.district, parts.detail)


def _store_tags(customer: Customer, names: Iterable[str]) -> None:
    for name in names:
        tag, _created = Tag.objects.get_or_create(shop_id=customer.shop_id, name=name)
        CustomerTag.objects.get_or_create(shop_id=customer.shop_id, customer=customer, tag=tag)


def _store_identity(customer: Customer, channel: str, external_id: str) -> Identity:
    existing = (
        Identity.objects.select_related("customer")
        .filter(shop_id=customer.shop_id, channel=channel, external_id=external_id)
        .first()
    )
    if existing is not None and existing.customer_id == customer.pk:
        return existing
    if existing is not None:
        message = _("%(channel)s %(id)s already belongs to %(name)s (no. %(number)d).") % {
            "channel": channel,
            "id": external_id,
            "name": existing.customer.name,
            "number": existing.customer_id,
        }
        raise Conflict(
            message,
            code="identity_exists",
            fields={"identities": message},
            details={"customer_id": existing.customer_id},
        )
    return Identity.objects.create(
        shop_id=customer.shop_id, customer=customer, channel=channel, external_id=external_id
    )


def _new_customer(shop: Shop, *, name: str, phone: str, note: str = "") -> Customer:
    _phone_taken(shop, phone)
    try:
        with transaction.atomic():
            return Customer.objects.create(shop=shop, name=name, phone=phone, note=note)
    except IntegrityError:
        # Another request created the same phone between our check and our insert.
        existing = selectors.customer_with_phone(shop, phone)
        if existing is None:
            raise
        raise cleaning.customer_exists(existing) from None


# Use cases.


@transaction.atomic
def create_customer(
    *,
    actor: Actor,
    shop: Shop,
    name: str,
    phone: str | None = None,
    address: AddressInput = None,
    tags: Iterable[str] = (),
    note: str = "",
    identities: Iterable[tuple[str, str]] = (),
) -> Customer:
    """Add a customer to the shop. A phone number already on another customer is refused
    (customer_exists), naming that customer, so the merchant finds them instead."""
    require(actor, "customers.manage", shop)
    name = cleaning.clean_name(name)
    phone = cleaning.clean_phone(phone)
    parts = cleaning.clean_address(address)
    tag_names = [cleaning.clean_tag(tag) for tag in tags]
    note = cleaning.clean_text(note, field="note", max_length=NOTE_MAX)
    channel_ids = [
        cleaning.clean_identity(channel, external_id) for channel, external_id in identities
    ]
    customer = _new_customer(shop, name=name, phone=phone, note=note)
    if parts is not None:
        _store_address(customer, parts, make_default=True)
    _store_tags(customer, tag_names)
    for channel, external_id in channel_ids:
        _store_identity(customer, channel, external_id)
    audit_records.created(actor, customer, address=parts.as_line() if parts else "",
                          tags=set(tag_names), identities=channel_ids)
    return selectors.customer_in_shop(shop, customer.pk)


@transaction.atomic
def update_customer(
    *,
    actor: Actor,
    shop: Shop,
    customer: Customer,
    name: str | None = None,
    phone: str | None = None,
    note: str | None = None,
    tags: Iterable[str] | None = None,
) -> Customer:
    """Change what is given and leave the rest. An empty phone removes it; `tags` replaces
    the customer's tags with exactly these."""
    require(actor, "customers.manage", shop)
    _own(shop, customer)
    changes: dict[str, str] = {}
    if name is not None:
        changes["name"] = cleaning.clean_name(name)
    if phone is not None:
        changes["phone"] = cleaning.clean_phone(phone)
        if changes["phone"]:
            _phone_taken(shop, changes["phone"], other_than=customer)
    if note is not None:
        changes["note"] = cleaning.clean_text(note, field="note", max_length=NOTE_MAX)
    tag_names = None if tags is None else [cleaning.clean_tag(tag) for tag in tags]
    before = audit.snapshot(customer, changes)
    if tag_names is not None:
        before["tags"] = audit_records.tags_of(customer)
    if changes:
        for field, value in changes.items():
            setattr(customer, field, value)
        try:
            with transaction.atomic():
                customer.save(update_fields=[*changes, "updated_at"])
        except IntegrityError:
            existing = selectors.customer_with_phone(shop, changes.get("phone", ""))
            if existing is None:
                raise
            raise cleaning.customer_exists(existing) from None
    if tag_names is not None:
        CustomerTag.objects.filter(customer=customer).exclude(tag__name__in=tag_names).delete()
        _store_tags(customer, tag_names)
    after = audit.snapshot(customer, changes)
    if tag_names is not None:
        after["tags"] = audit_records.tags_of(customer)
    audit_records.changed(actor, customer, audit.diff(before, after))
    return selectors.customer_in_shop(shop, customer.pk)


@transaction.atomic
def add_address(
    *, actor: Actor, shop: Shop, customer: Customer, address: AddressInput, make_default=False
) -> Address:
    """Add an address (one pasted line or its parts). A customer's first address becomes the
    default; adding one they already have just returns it."""
    require(actor, "customers.manage", shop)
    _own(shop, customer)
    parts = cleaning.clean_address(address)
    if parts is None:
        message = _("The address is empty.")
        raise InvalidInput(message, fields={"address": message})
    addresses = list(Address.objects.filter(customer=customer))
    default_before = next((a for a in addresses if a.is_default), None)
    address = _store_address(customer, parts, make_default=make_default, addresses=addresses)
    if address not in addresses:
        audit_records.address_added(actor, customer, address)
    elif address.is_default and default_before != address:
        audit_records.default_address_changed(actor, customer, default_before, address)
    return address


@transaction.atomic
def set_default_address(*, actor: Actor, shop: Shop, address: Address) -> Address:
    """Make this the address orders are sent to unless they say otherwise."""
    require(actor, "customers.manage", shop)
    if address.shop_id != shop.pk:
        raise NotFound(_("Address not found."), code="address_not_found")
    if not address.is_default:
        before = Address.objects.filter(customer_id=address.customer_id, is_default=True).first()
        defaults.make_default(address)
        audit_records.default_address_changed(actor, address.customer, before, address)
    return address


@transaction.atomic
def remove_address(*, actor: Actor, shop: Shop, address: Address) -> None:
    """Forget an address; when it was the default, the oldest remaining one takes over."""
    require(actor, "customers.manage", shop)
    if address.shop_id != shop.pk:
        raise NotFound(_("Address not found."), code="address_not_found")
    customer_id = address.customer_id
    audit_records.address_removed(actor, address.customer, address)
    address.delete()
    defaults.ensure_default(customer_id)


@transaction.atomic
def tag_customer(*, actor: Actor, shop: Shop, customer: Customer, tag: str) -> Customer:
    """Give the customer a tag (VIP, 团长 …); a tag the shop has not used before is created."""
    require(actor, "customers.manage", shop)
    _own(shop, customer)
    tag = cleaning.clean_tag(tag, field="tag")
    if tag not in audit_records.tags_of(customer):
        _store_tags(customer, [tag])
        audit_records.tagged(actor, customer, tag)
    return customer


@transaction.atomic
def untag_customer(*, actor: Actor, shop: Shop, customer: Customer, tag: str) -> Customer:
    """Take a tag off the customer; the tag stays available for others."""
    require(actor, "customers.manage", shop)
    _own(shop, customer)
    tag = (tag or "").strip()
    removed, _rows = CustomerTag.objects.filter(customer=customer, tag__name=tag).delete()
    if removed:
        audit_records.untagged(actor, customer, tag)
    return customer


@transaction.atomic
def add_identity(
    *, actor: Actor, shop: Shop, customer: Customer, channel: str, external_id: str
) -> Identity:
    """Note how a channel knows the customer (wechat id, chat handle, mini-shop user id).
    An id already on another customer is refused: merge the two instead."""
    require(actor, "customers.manage", shop)
    _own(shop, customer)
    channel, external_id = cleaning.clean_identity(channel, external_id)
    known = set(customer.identities.values_list("pk", flat=True))
    identity = _store_identity(customer, channel, external_id)
    if identity.pk not in known:
        audit_records.identity_added(actor, customer, str(identity))
    return identity


@transaction.atomic
def find_or_create_customer(
    *,
    actor: Actor,
    shop: Shop,
    name: str | None,
    phone: str | None,
    address_line: str | None = None,
) -> tuple[Customer, bool]:
    """The customer an incoming order belongs to: found again by phone, else created.

    A new address on a known customer is added to their addresses (the default stays).
    Without a phone there is nothing to recognise them by, so a new customer is made.
    The customer comes with their addresses (all an order needs); every order placement
    runs this, so it reads no more than that."""
    require(actor, "customers.manage", shop)
    phone = cleaning.clean_phone(phone)
    parts = cleaning.clean_address(address_line)
    customer = selectors.customer_for_order(shop, phone)
    created = customer is None
    if created:
        name = cleaning.clean_name(name)
        try:
            with transaction.atomic():
                customer = Customer.objects.create(shop=shop, name=name, phone=phone)
        except IntegrityError:
            # Created by a concurrent order a moment ago: that one is ours too.
            customer = selectors.customer_for_order(shop, phone)
            if customer is None:
                raise
            created = False
    if created:
        audit_records.created(actor, customer, address=parts.as_line() if parts else "")
    if parts is not None:
        known = [] if created else list(customer.addresses.all())
        had_default = any(a.is_default for a in known)
        stored = _store_address(customer, parts, make_default=False, addresses=known)
        if not created and stored not in known:
            audit_records.address_added(actor, customer, stored)
        if not created and (stored not in known or not had_default):
            # Changed just now: the addresses read above are stale, read them when asked.
            customer.refresh_from_db(fields=["addresses"])
    return customer, created


@transaction.atomic
def merge_customers(*, actor: Actor, shop: Shop, keep: Customer, merge: Customer) -> Customer:
    """Fold a duplicate into the customer to keep: its addresses, tags, identities (and,
    later, orders) move over, its note is appended, its phone kept when `keep` has none, and
    the duplicate is deleted. A CustomerMerge row records who merged whom, and when."""
    require(actor, "customers.manage", shop)
    _own(shop, keep)
    _own(shop, merge)
    if keep.pk == merge.pk:
        message = _("A customer cannot be merged into themselves.")
        raise InvalidInput(message, code="merge_same_customer", fields={"merge_id": message})
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(shop=shop, pk__in=[keep.pk, merge.pk])
        .order_by("pk")
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    before = audit.snapshot(keep, ("phone", "note"))
    audit_records.merged_away(actor, keep=keep, merge=merge)
    CustomerMerge.objects.create(
        shop=shop,
        kept=keep,
        merged_customer_id=merge.pk,
        merged_name=merge.name,
        merged_phone=merge.phone,
        actor_label=actor.label[:150],
    )
    # Apps above (orders) move their rows first, each with its own record; the generic
    # move below finds none of theirs left.
    hooks.announce("customers.merging", keep=keep, merge=merge, actor=actor)
    move_related_rows(keep, merge)
    inherited_phone = merge.phone if not keep.phone else ""
    if merge.note and merge.note not in keep.note:
        keep.note = "\n".join(part for part in (keep.note, merge.note) if part)[:NOTE_MAX]
    merged_id = merge.pk
    merge.delete()
    if inherited_phone:
        keep.phone = inherited_phone
    keep.save(update_fields=["phone", "note", "updated_at"])
    audit_records.merged(actor, keep, merge.name, merged_id,
                         audit.diff(before, audit.snapshot(keep, before)))
    return selectors.customer_in_shop(shop, keep.pk)
