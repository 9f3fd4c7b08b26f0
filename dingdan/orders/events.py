"""The order timeline: one small function per kind of event, appended in the caller's
transaction. Events are never changed or deleted."""

from dingdan.orders.models import Order, OrderEvent
from dingdan.shops.actors import Actor


def _append(order: Order, actor: Actor, kind: str, data: dict, note: str = "") -> OrderEvent:
    return OrderEvent.objects.create(
        shop_id=order.shop_id,
        order=order,
        kind=kind,
        actor_kind=str(actor.kind),
        actor_id=str(actor.user.pk if actor.user else actor.token.pk if actor.token else ""),
        actor_label=actor.label[:150],
        data={**data, "version": order.version},
        note=note[:500],
    )


def append(order: Order, *, actor: Actor, kind: str, data: dict, note: str = "") -> OrderEvent:
    """An entry of a kind an app above orders owns (payments: `payment_recorded` …); its
    sentence comes from that app through the `orders.event_sentence` hook."""
    return _append(order, actor, kind, data, note)


def placed(order: Order, *, actor: Actor, channel: str, backordered: dict | None = None):
    data = {"number": order.number, "channel": channel, "status": order.status,
            "total_cents": order.total_cents}
    if backordered:
        data["backordered"] = backordered
    return _append(order, actor, "placed", data)


def status_changed(order: Order, *, actor: Actor, before: str, after: str, note: str = "",
                   reason: str | None = None, cause: str | None = None):
    """A move in the lifecycle; a cancellation carries its reason code, a move made by
    something else that happened its cause (`paid_in_full`)."""
    data = {"from": before, "to": after}
    if reason:
        data["reason"] = reason
    if cause:
        data["cause"] = cause
    return _append(order, actor, "status_changed", data, note)


def customer_merged(order: Order, *, actor: Actor, from_id: int, to_id: int):
    return _append(order, actor, "customer_merged", {"from": from_id, "to": to_id})


def edited(order: Order, *, actor: Actor, changes: dict, note: str = ""):
    """`changes` maps each changed field to {"before": …, "after": …}."""
    return _append(order, actor, "edited", {"changes": changes}, note)


def flagged(order: Order, *, actor: Actor, codes: list[str]):
    return _append(order, actor, "flagged", {"codes": codes})


def flag_resolved(order: Order, *, actor: Actor, code: str, note: str = ""):
    return _append(order, actor, "flag_resolved", {"code": code}, note)


def follow_up_added(order: Order, *, actor: Actor, due_at: str, note: str):
    return _append(order, actor, "follow_up_added", {"due_at": due_at, "note": note})


def follow_up_done(order: Order, *, actor: Actor, follow_up_id: int, note: str):
    return _append(order, actor, "follow_up_done", {"follow_up": follow_up_id, "note": note})


def repriced(order: Order, *, actor: Actor, changes: dict, reason: str):
    return _append(order, actor, "repriced", {"changes": changes}, reason)


def change_requested(order: Order, *, actor: Actor, request, replaced: int | None, note: str):
    data = {"request": request.pk, "lines": request.lines, "address": request.address,
            "note": request.note}
    if replaced:
        data["replaces"] = replaced
    return _append(order, actor, "change_requested", data, note)


def change_decided(order: Order, *, actor: Actor, request_id: int, outcome: str,
                   note: str = ""):
    return _append(order, actor, "change_decided", {"request": request_id, "outcome": outcome},
                   note)
