"""One action applied to many orders at once (bulk status change, assign, priority, tags).
Each order succeeds or fails on its own, in its own transaction."""

from django.utils.translation import gettext as _

from dingdan.errors import DomainError, InvalidInput
from dingdan.orders.models import Order
from dingdan.orders.services import assignment, lifecycle
from dingdan.shops.actors import Actor

MAX_BULK = 500

ACTIONS = {
    "transition": lambda actor, order, p: lifecycle.transition_order(
        actor=actor, order=order, to=p["to"], note=p.get("note", ""),
        reason=p.get("reason")),
    "assign": lambda actor, order, p: assignment.assign_order(
        actor=actor, order=order, assignee_id=p.get("assignee_id")),
    "priority": lambda actor, order, p: assignment.set_priority(
        actor=actor, order=order, priority=p["priority"]),
    "tag": lambda actor, order, p: assignment.tag_order(
        actor=actor, order=order, add=p.get("tags", [])),
    "untag": lambda actor, order, p: assignment.tag_order(
        actor=actor, order=order, remove=p.get("tags", [])),
}


def bulk_apply(*, actor: Actor, shop, order_ids: list[int], action: str, params: dict) -> dict:
    """Apply one action to many orders. Each order succeeds or fails on its own (its own
    transaction); the answer lists both, failures with the reason."""
    if action not in ACTIONS:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(ACTIONS)}
        raise InvalidInput(message, fields={"action": message})
    if action in ("tag", "untag"):
        params = {**params, "tags": assignment.clean_tags(params.get("tags", []))}
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
