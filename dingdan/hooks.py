"""How a lower layer lets a higher one react without importing it.

Apps depend one way (docs/architecture.md): orders may not import payments or notify, yet
cancelling an order must refund it and tell the customer. The lower app announces what
happened by name; the apps above register handlers in their `AppConfig.ready()`.

- `announce(name, **facts)` runs the handlers now, inside the caller's transaction: what
  they write commits or rolls back with the change (a refund with its cancellation).
- `announce_on_commit(name, **facts)` runs them once the transaction has committed: a
  message must never go out for a change that rolled back.
- `collect(name, **facts)` returns what each handler answers: a page of a lower app asks
  the apps above for the panels they add (a customer's orders on the customer's page).

Every name is listed in HOOKS with what its handlers receive, so a typo fails loudly."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

HOOKS: dict[str, str] = {
    "catalog.goods_created": "shop, variants: new goods SKUs, inside their creation",
    "chains.alert": "shop_id, kind, subject, data, recipient_ids: a campaign alert for the "
    "staff it names (user ids), inside the change it is about",
    "customers.merging": "keep, merge, actor: before `merge` is deleted, inside the merge",
    "customers.page_panels": "request, customer: panels (template, context) for its page",
    "customers.summary": "customer: figures about the customer, merged into one dict",
    "inventory.alert": "shop_id, kind, subject, data: a stock alert for the staff",
    "orders.page_context": "shop, order, actor (who reads it): more context (a dict) for the "
    "order's page",
    "payments.alert": "shop_id, kind, subject, data: a money alert for the staff (a payment "
    "on a cancelled order, an amount that does not match, a refund that failed)",
    "orders.items_held": "order: a reason (text) the customer may not change the order's items "
    "on their own, e.g. a group buy's limits and prices, or None",
    "orders.read_chat_message": "shop, text: the customer, items … in a pasted chat message",
    "orders.cancelled": "order, actor, reason, refund: inside the cancellation, the order "
    "locked (with refund, everything refundable goes back)",
    "orders.total_reduced": "order, actor, reason: inside a change that dropped units of an "
    "order or swapped them for a cheaper substitute, the order locked and repriced: what "
    "was paid beyond the new total goes back",
    "orders.event_sentence": "event: the timeline sentence of a kind of event an app above "
    "orders appended (None when the kind is not its own)",
    "orders.ship": "order, actor, note: inside `ship_order`, the order locked and the move "
    "allowed: ship everything it holds as one shipment; answers the order once it did",
    "orders.delivering": "order, actor, note: inside `mark_delivered`, the order locked: its "
    "shipments are delivered too (refused while units are still to ship)",
    "orders.status_changed": "order_id, shop_id, before, after, actor_kind: after commit",
    "fulfillment.pickup_point_for_order": "order: the id of the pickup point the order's "
    "group-buy entry names, or None; a pickup shipment made without a point waits there",
    "worker.starting": "(nothing): a task worker starts; catch up on timed work it missed",
}

_handlers: dict[str, list[Callable[..., Any]]] = defaultdict(list)


class UnknownHook(LookupError):
    pass


def _known(name: str) -> str:
    if name not in HOOKS:
        raise UnknownHook(f"no hook named {name!r}; add it to dingdan.hooks.HOOKS")
    return name


def register(name: str, handler: Callable[..., Any]) -> None:
    """Call `handler(**facts)` whenever `name` is announced (once per handler)."""
    if handler not in _handlers[_known(name)]:
        _handlers[name].append(handler)


def announce(name: str, **facts: Any) -> None:
    for handler in list(_handlers[_known(name)]):
        handler(**facts)


def announce_on_commit(name: str, **facts: Any) -> None:
    _known(name)
    if _handlers[name]:
        transaction.on_commit(lambda: announce(name, **facts))


def collect(name: str, **facts: Any) -> list[Any]:
    return [handler(**facts) for handler in list(_handlers[_known(name)])]
