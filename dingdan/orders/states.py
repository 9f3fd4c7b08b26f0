"""The order lifecycle as one table: which status may follow which, and who may move it.

Nothing else in dingdan decides what may follow what. Guards that depend on the order
(payment before shipment, …) are named here and checked by `check()`."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from dingdan.errors import Conflict
from dingdan.shops.actors import ActorKind


class Status(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PENDING_CONFIRMATION = "pending_confirmation", _("Awaiting confirmation")
    ACCEPTED = "accepted", _("Accepted")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
STAFF, API, CUSTOMER, SYSTEM, RULE = (
    ActorKind.STAFF, ActorKind.API, ActorKind.CUSTOMER, ActorKind.SYSTEM, ActorKind.RULE
)
MERCHANT = frozenset({STAFF, API})
AUTOMATIC = frozenset({SYSTEM, RULE})


@dataclass(frozen=True)
class Transition:
    source: Status
    to: Status
    actors: frozenset[ActorKind]
    action: str  # the permission staff and API tokens need
    guards: tuple[str, ...] = ()


def _t(source, to, actors, action, *guards) -> Transition:
    return Transition(source, to, frozenset(actors), action, tuple(guards))


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.PENDING_PAYMENT, S.PENDING_CONFIRMATION, MERCHANT | AUTOMATIC, "payments.record",
       "is_paid"),
    _t(S.PENDING_PAYMENT, S.CANCELLED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.cancel"),
    _t(S.PENDING_CONFIRMATION, S.ACCEPTED, MERCHANT | AUTOMATIC, "orders.transition"),
    _t(S.PENDING_CONFIRMATION, S.CANCELLED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.cancel"),
    _t(S.ACCEPTED, S.PREPARING, MERCHANT | AUTOMATIC, "orders.transition"),
    _t(S.ACCEPTED, S.SHIPPED, MERCHANT, "fulfillment.ship", "payment_allows_shipping"),
    _t(S.ACCEPTED, S.CANCELLED, MERCHANT, "orders.cancel"),
    _t(S.PREPARING, S.SHIPPED, MERCHANT, "fulfillment.ship", "payment_allows_shipping"),
    _t(S.PREPARING, S.CANCELLED, MERCHANT, "orders.cancel"),
    _t(S.SHIPPED, S.IN_TRANSIT, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.SHIPPED, S.DELIVERED, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.IN_TRANSIT, S.DELIVERED, MERCHANT | AUTOMATIC, "fulfillment.ship"),
    _t(S.DELIVERED, S.COMPLETED, MERCHANT | AUTOMATIC | {CUSTOMER}, "orders.transition"),
)

_BY_PAIR = {(t.source, t.to): t for t in TRANSITIONS}
FINAL = frozenset({S.COMPLETED, S.CANCELLED})


def allowed_targets(source: str, actor_kind: ActorKind | None = None) -> list[Status]:
    """Statuses that may follow `source` (for this kind of actor, if given), in table order."""
    return [
        t.to for t in TRANSITIONS
        if t.source == source and (actor_kind is None or actor_kind in t.actors)
    ]


class InvalidTransition(Conflict):
    code = "invalid_transition"


def check(source: str, to: str, actor_kind: ActorKind) -> Transition:
    """The transition from `source` to `to` for this kind of actor, or InvalidTransition
    naming the moves that are allowed."""
    transition = _BY_PAIR.get((source, to))
    if transition is None or actor_kind not in transition.actors:
        allowed = allowed_targets(source, actor_kind)
        message = _("An order that is %(status)s cannot become %(to)s.") % {
            "status": _label(source), "to": _label(to),
        }
        if allowed:
            message = _("%(message)s It can become: %(allowed)s.") % {
                "message": message, "allowed": ", ".join(str(Status(s).label) for s in allowed),
            }
        elif source in FINAL:
            message = _("%(message)s It is closed.") % {"message": message}
        raise InvalidTransition(message, details={"from": source, "to": to,
                                                  "allowed": [str(s) for s in allowed]})
    return transition


def _label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value
