"""Moving what belongs to a duplicate customer over to the one kept, when two are merged."""

from dingdan.customers.models import Address, Customer, CustomerTag
from dingdan.customers.services import defaults


def move_related_rows(keep: Customer, merge: Customer) -> None:
    """Re-point everything that points at `merge` to `keep`: the one call a merge makes.

    Addresses and tags are de-duplicated; every other foreign key to Customer (identities,
    earlier merge records, and the orders app's rows once it exists) is moved as it is, found
    through Django's model registry so a new relation cannot be forgotten."""
    kept_addresses = list(Address.objects.filter(customer=keep))
    kept_parts = {a.parts for a in kept_addresses}
    for address in Address.objects.filter(customer=merge):
        if address.parts in kept_parts:
            address.delete()
    moving = Address.objects.filter(customer=merge)
    if any(a.is_default for a in kept_addresses):
        moving.update(customer=keep, is_default=False)
    else:
        moving.update(customer=keep)
    defaults.ensure_default(keep.pk)

    kept_tags = CustomerTag.objects.filter(customer=keep).values("tag_id")
    CustomerTag.objects.filter(customer=merge, tag_id__in=kept_tags).delete()
    CustomerTag.objects.filter(customer=merge).update(customer=keep)

    handled = {Address, CustomerTag}
    for relation in Customer._meta.related_objects:
        if relation.related_model in handled:
            continue
        if not relation.one_to_many:
            # A one-to-one or many-to-many relation needs its own rule above.
            raise RuntimeError(f"merging has no rule for {relation!r}")
        field = relation.field.name
        relation.related_model._base_manager.filter(**{field: merge}).update(**{field: keep})
