"""The audit records of customer changes, one small function per kind, each called by a
service inside its transaction."""

from dingdan.customers.models import Address, Customer, CustomerTag
from dingdan.shops import audit
from dingdan.shops.actors import Actor


def tags_of(customer: Customer) -> list[str]:
    return sorted(CustomerTag.objects.filter(customer=customer)
                  .values_list("tag__name", flat=True))


def _record(actor: Actor, customer: Customer, action: str, changes: audit.Changes) -> None:
    audit.record(actor=actor, shop=actor.shop, object_type=audit.CUSTOMER, obj_id=customer.pk,
                 label=customer.name, action=action, changes=changes)


def created(actor: Actor, customer: Customer, *, address: str = "", tags=(), identities=()):
    _record(actor, customer, audit.CREATED, audit.initial({
        "name": customer.name, "phone": customer.phone, "note": customer.note,
        "address": address, "tags": sorted(tags),
        "identity": [f"{channel}:{external_id}" for channel, external_id in identities],
    }))


def changed(actor: Actor, customer: Customer, changes: audit.Changes) -> None:
    if changes:
        _record(actor, customer, audit.CHANGED, changes)


def address_added(actor: Actor, customer: Customer, address: Address) -> None:
    _record(actor, customer, audit.ADDRESS_ADDED, {"address": audit.change(None, str(address))})


def address_removed(actor: Actor, customer: Customer, address: Address) -> None:
    _record(actor, customer, audit.ADDRESS_REMOVED, {"address": audit.change(str(address), None)})


def default_address_changed(
    actor: Actor, customer: Customer, before: Address | None, after: Address
) -> None:
    _record(actor, customer, audit.DEFAULT_ADDRESS,
            {"address": audit.change(str(before) if before else None, str(after))})


def tagged(actor: Actor, customer: Customer, tag: str) -> None:
    _record(actor, customer, audit.TAGGED, {"tag": audit.change(None, tag)})


def untagged(actor: Actor, customer: Customer, tag: str) -> None:
    _record(actor, customer, audit.UNTAGGED, {"tag": audit.change(tag, None)})


def identity_added(actor: Actor, customer: Customer, identity: str) -> None:
    _record(actor, customer, audit.IDENTITY_ADDED, {"identity": audit.change(None, identity)})


def merged_away(actor: Actor, *, keep: Customer, merge: Customer) -> None:
    """On the duplicate, before it is deleted: where it went."""
    _record(actor, merge, audit.MERGED_INTO,
            {"kept_customer": audit.change(None, f"{keep.name} (#{keep.pk})")})


def merged(
    actor: Actor, keep: Customer, merged_name: str, merged_id: int, changes: audit.Changes
) -> None:
    """On the customer kept: whom it took in, and what it inherited."""
    _record(actor, keep, audit.MERGED,
            {"merged_customer": audit.change(None, f"{merged_name} (#{merged_id})"), **changes})
