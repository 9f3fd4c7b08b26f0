"""Which of a customer's addresses is the default: exactly one while they have any."""

from dingdan.customers.models import Address


def make_default(address: Address) -> None:
    # Clear first: the database allows one default per customer at any moment.
    Address.objects.filter(customer_id=address.customer_id, is_default=True).update(
        is_default=False
    )
    address.is_default = True
    address.save(update_fields=["is_default"])


def ensure_default(customer_id: int) -> None:
    remaining = Address.objects.filter(customer_id=customer_id).order_by("id")
    if remaining and not any(a.is_default for a in remaining):
        make_default(remaining[0])
