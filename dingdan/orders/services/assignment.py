"""Who handles an order and how urgently: assignee, priority and tags. Each change bumps
the order's version and appends to its timeline."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput
from dingdan.orders import events
from dingdan.orders.models import Order, OrderTag, Priority
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership
from dingdan.shops.permissions import require

MAX_TAG = 30


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id
    )


def _changed(order: Order, actor: Actor, field: str, before, after) -> Order:
    order.version += 1
    order.save()
    events.edited(order, actor=actor, changes={field: {"before": before, "after": after}})
    return order


@transaction.atomic
def assign_order(*, actor: Actor, order: Order, assignee_id: int | None) -> Order:
    """Give the order to a staff member of the shop (or to nobody), so it is handled once."""
    require(actor, "orders.assign", order.shop)
    order = _locked(order)
    if assignee_id is not None and not Membership.objects.filter(
        shop=order.shop, user_id=assignee_id
    ).exists():
        message = _("That person does not work in this shop.")
        raise InvalidInput(message, fields={"assignee_id": message})
    if order.assignee_id == assignee_id:
        return order
    before = order.assignee_id
    order.assignee_id = assignee_id
    name = get_user_model().objects.filter(pk=assignee_id).values_list("username", flat=True)
    return _changed(order, actor, "assignee", before, name.first() if assignee_id else None)


@transaction.atomic
def set_priority(*, actor: Actor, order: Order, priority: int) -> Order:
    require(actor, "orders.edit", order.shop)
    if priority not in Priority.values:
        message = _("Must be one of: %(choices)s.") % {"choices": "normal, high, urgent"}
        raise InvalidInput(message, fields={"priority": message})
    order = _locked(order)
    if order.priority == priority:
        return order
    before = order.priority
    order.priority = priority
    return _changed(order, actor, "priority", before, priority)


def clean_tags(tags: list[str]) -> list[str]:
    cleaned = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if not tag or len(tag) > MAX_TAG:
            message = _("A tag is 1 to %(n)s characters.") % {"n": MAX_TAG}
            raise InvalidInput(message, fields={"tags": message})
        if tag not in cleaned:
            cleaned.append(tag)
    return cleaned


@transaction.atomic
def tag_order(*, actor: Actor, order: Order, add: list[str] = (), remove: list[str] = ()) -> Order:
    require(actor, "orders.edit", order.shop)
    add, remove = clean_tags(list(add)), clean_tags(list(remove))
    order = _locked(order)
    before = sorted(order.tags.values_list("tag", flat=True))
    OrderTag.objects.bulk_create(
        [OrderTag(shop=order.shop, order=order, tag=t) for t in add if t not in before]
    )
    order.tags.filter(tag__in=remove).delete()
    after = sorted(order.tags.values_list("tag", flat=True))
    if after == before:
        return order
    return _changed(order, actor, "tags", before, after)
