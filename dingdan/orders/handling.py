"""Who handles an order and how urgently: assignee, priority and tags, one at a time or
in bulk. Each change bumps the order's version and appends to its timeline."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import DomainError, InvalidInput
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership
from dingdan.shops.permissions import require

from . import events, services
from .models import Order, OrderTag, Priority

MAX_TAG = 30
MAX_BULK = 500


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


ACTIONS = {
    "transition": lambda actor, order, p: services.transition_order(
        actor=actor, order=order, to=p["to"], note=p.get("note", "")),
    "assign": lambda actor, order, p: assign_order(
        actor=actor, order=order, assignee_id=p.get("assignee_id")),
    "priority": lambda actor, order, p: set_priority(
        actor=actor, order=order, priority=p["priority"]),
    "tag": lambda actor, order, p: tag_order(actor=actor, order=order, add=p.get("tags", [])),
    "untag": lambda actor, order, p: tag_order(
        actor=actor, order=order, remove=p.get("tags", [])),
}


def bulk_apply(*, actor: Actor, shop, order_ids: list[int], action: str, params: dict) -> dict:
    """Apply one action to many orders. Each order succeeds or fails on its own (its own
    transaction); the answer lists both, failures with the reason."""
    if action not in ACTIONS:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(ACTIONS)}
        raise InvalidInput(message, fields={"action": message})
    if action in ("tag", "untag"):
        params = {**params, "tags": clean_tags(params.get("tags", []))}
    if not order_ids or len(order_ids) > MAX_BULK:
        message = _("Choose 1 to %(n)s orders.") % {"n": MAX_BULK}
        raise InvalidInput(message, fields={"ids": message})
    orders = Order.objects.select_related("shop").in_bulk(list(dict.fromkeys(order_ids)))
    succeeded, failed = [], []
    for order_id in dict.fromkeys(order_ids):
        order = orders.get(order_id)
        if order is None or order.shop_id != shop.pk:
            failed.append({"id": order_id, "error": {"code": "order_not_found",
                                                     "message": _("Order not found.")}})
            continue
        try:
            done = ACTIONS[action](actor, order, params)
        except DomainError as exc:
            failed.append({"id": order_id, "error": {"code": exc.code, "message": str(exc)}})
        else:
            succeeded.append({"id": order_id, "number": done.number, "status": done.status,
                              "version": done.version})
    return {"succeeded": succeeded, "failed": failed}
