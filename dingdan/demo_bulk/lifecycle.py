"""How far a generated order has come by now: its status changes with their times and who
made them, following only moves that orders/states.py allows. Old orders are mostly
completed, today's are still waiting; a few are cancelled at each open step."""

import random
from dataclasses import dataclass, field

from dingdan.orders.models import DeliveryMethod, FulfillmentStatus
from dingdan.orders.states import CancelReason, Status, check
from dingdan.shops.actors import ActorKind

MINUTE, HOUR, DAY = 60, 3600, 86400
OPEN = frozenset({Status.PENDING_PAYMENT, Status.PENDING_CONFIRMATION, Status.ACCEPTED,
                  Status.PREPARING})
SHIPPED_OR_LATER = frozenset({Status.SHIPPED, Status.IN_TRANSIT, Status.DELIVERED,
                              Status.COMPLETED})


# Why each kind of actor cancels in the generated year: the timeout, a customer's change
# of mind, the merchant running out.
CANCELLED_BY = {ActorKind.SYSTEM: CancelReason.UNPAID_TIMEOUT,
                ActorKind.CUSTOMER: CancelReason.CUSTOMER_REQUEST,
                ActorKind.STAFF: CancelReason.OUT_OF_STOCK}


@dataclass
class Path:
    start: Status
    steps: list[tuple[Status, int, ActorKind]] = field(default_factory=list)
    paid_at: int | None = None
    cancel_reason: str = ""

    @property
    def status(self) -> Status:
        return self.steps[-1][0] if self.steps else self.start

    def time_of(self, status: Status) -> int | None:
        return next((t for s, t, _a in self.steps if s == status), None)

    def fulfillment_status(self) -> str:
        if self.status in (Status.DELIVERED, Status.COMPLETED):
            return FulfillmentStatus.DELIVERED
        if self.status in (Status.SHIPPED, Status.IN_TRANSIT):
            return FulfillmentStatus.SHIPPED
        return FulfillmentStatus.UNFULFILLED


def simulate(
    rng: random.Random, *, created: int, now: int, prepaid: bool, delivery: str,
    starts_at: int | None,
) -> Path:
    """The order's steps up to `now`. Each step is checked against the lifecycle table."""
    path = Path(Status.PENDING_PAYMENT if prepaid else Status.PENDING_CONFIRMATION)
    t = created

    def step(to: Status, at: int, actor: ActorKind) -> bool:
        nonlocal t
        if at >= now:
            return False
        check(path.status, to, actor)  # never a move the real lifecycle would refuse
        path.steps.append((to, at, actor))
        t = at
        return True

    def cancel(after: int, actor: ActorKind) -> Path:
        if step(Status.CANCELLED, t + after, actor):
            path.cancel_reason = CANCELLED_BY[actor]
        return path

    r = rng.random
    if prepaid:
        if r() < 0.06:  # never paid: the shop's timeout cancels it
            return cancel(30 * MINUTE, ActorKind.SYSTEM)
        paid = t + int(rng.expovariate(1 / (3 * MINUTE))) + 5
        if paid >= now:
            return path
        path.paid_at = paid
        step(Status.PENDING_CONFIRMATION, paid, ActorKind.SYSTEM)
    if r() < 0.02:
        return cancel(rng.randint(5 * MINUTE, 2 * HOUR), ActorKind.CUSTOMER)
    accept_by = ActorKind.RULE if r() < 0.3 else ActorKind.STAFF
    if not step(Status.ACCEPTED, t + rng.randint(3 * MINUTE, 4 * HOUR), accept_by):
        return path
    if not prepaid and r() < 0.8:
        path.paid_at = t
    if r() < 0.01:
        return cancel(rng.randint(10 * MINUTE, 6 * HOUR), ActorKind.STAFF)
    if r() < 0.65 and not step(
        Status.PREPARING, t + rng.randint(10 * MINUTE, 8 * HOUR), ActorKind.STAFF
    ):
        return path
    if path.status == Status.PREPARING and r() < 0.005:
        return cancel(rng.randint(10 * MINUTE, 6 * HOUR), ActorKind.STAFF)
    ship_at = t + rng.randint(HOUR, 30 * HOUR)
    if delivery == DeliveryMethod.SERVICE and starts_at:
        ship_at = max(t + MINUTE, starts_at)  # the service starts at its booked time
    if not step(Status.SHIPPED, ship_at, ActorKind.STAFF):
        return path
    if delivery == DeliveryMethod.EXPRESS:
        if r() < 0.85 and not step(Status.IN_TRANSIT, t + DAY, ActorKind.SYSTEM):
            return path
        delivered = t + rng.randint(12 * HOUR, 3 * DAY)
    elif delivery == DeliveryMethod.LOCAL:
        delivered = t + rng.randint(HOUR, 6 * HOUR)
    elif delivery == DeliveryMethod.PICKUP:
        delivered = t + rng.randint(2 * HOUR, 3 * DAY)
    else:
        delivered = t + HOUR
    if not step(Status.DELIVERED, delivered, ActorKind.STAFF if r() < 0.5 else ActorKind.SYSTEM):
        return path
    if path.paid_at is None:
        path.paid_at = t  # cash or transfer on delivery
    if r() < 0.4:
        step(Status.COMPLETED, t + rng.randint(HOUR, 3 * DAY), ActorKind.CUSTOMER)
    else:
        step(Status.COMPLETED, t + 7 * DAY, ActorKind.SYSTEM)
    return path
