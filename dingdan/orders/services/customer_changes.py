"""Changes the customer makes to their own order through its link.

While the order waits for confirmation (or payment) the customer changes it freely. Once
the shop has accepted it, a change becomes a request the merchant approves or declines;
approving applies it as an edit, with stock reserved for the difference."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.orders import events, states
from dingdan.orders.models import ChangeRequestStatus, Order, OrderChangeRequest, OrderFlag
from dingdan.orders.services import editing
from dingdan.orders.services.placement import variants_for_lines
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

FLAG = "change_requested"
MAX_MESSAGE = 300


def order_for_link(token: str) -> Order:
    """The order a customer's link points to, or NotFound (also for malformed tokens)."""
    token = str(token or "")
    if not (10 <= len(token) <= 32):
        raise NotFound(_("This order link is not valid."))
    order = Order.objects.select_related("shop").filter(link_token=token).first()
    if order is None:
        raise NotFound(_("This order link is not valid."))
    return order


def customer_actor(order: Order) -> Actor:
    return Actor.customer(order.shop)


@transaction.atomic
def change_by_customer(
    *,
    order: Order,
    version: int,
    lines: list[tuple[str, int]] | None = None,
    address: str | None = None,
    note: str | None = None,
    message: str = "",
) -> Order | OrderChangeRequest:
    """The customer changes their order: applied at once while it waits for confirmation,
    otherwise recorded as a request for the merchant (a newer request replaces an open one).
    Returns the changed order, or the request."""
    actor = customer_actor(order)
    order = editing.lock(order, version)
    message = " ".join(str(message or "").split())[:MAX_MESSAGE]
    if states.customer_changes_freely(order.status) and not _items_held(order, lines):
        return editing.apply_edit(actor=actor, order=order, lines=lines, address=address,
                                  note=note, reason=message)
    wanted = _request_fields(order, lines=lines, address=address, note=note)
    if not wanted:
        raise InvalidInput(_("Nothing to change: the order already looks like this."),
                           code="no_change")
    replaced = _close_open_request(order, ChangeRequestStatus.WITHDRAWN, by=actor)
    request = OrderChangeRequest.objects.create(
        shop_id=order.shop_id, order=order, base_version=order.version,
        customer_message=message, **wanted,
    )
    if replaced is None:
        OrderFlag.objects.create(shop_id=order.shop_id, order=order, code=FLAG,
                                 data={"request": request.pk})
    else:
        OrderFlag.objects.filter(order=order, code=FLAG, resolved_at__isnull=True).update(
            data={"request": request.pk})
    order.needs_attention = True
    order.version += 1
    order.save(update_fields=["needs_attention", "version", "updated_at"])
    events.change_requested(order, actor=actor, request=request, replaced=replaced,
                            note=message)
    return request


def _items_held(order: Order, lines) -> bool:
    """Whether new items would skip a rule another app keeps for this order (a group buy's
    limits and prices): then even a change made while the order waits for confirmation is
    a request for the merchant."""
    if lines is None:
        return False
    current = sorted((line.sku, line.quantity) for line in order.lines.all())
    if sorted((sku, quantity) for sku, quantity in lines) == current:
        return False
    return any(hooks.collect("orders.items_held", order=order))


def _request_fields(order: Order, *, lines, address, note) -> dict:
    """What the request asks for, checked now so the merchant never sees a request that
    could not be applied for a reason the customer could have fixed."""
    wanted: dict = {}
    if lines is not None:
        variants = variants_for_lines(order.shop, lines)
        asked = [{"sku": v.sku, "quantity": q} for v, q in variants]
        current = [{"sku": line.sku, "quantity": line.quantity} for line in order.lines.all()]
        if asked != current:
            wanted["lines"] = asked
    if address is not None:
        line = " ".join(str(address).split())
        if len(line) > 200:
            message = _("An address can be at most 200 characters.")
            raise InvalidInput(message, fields={"address": message})
        if line and line != editing.address_line(order):
            wanted["address"] = line
    if note is not None and note[:500] != order.note:
        wanted["note"] = note[:500]
    return wanted


def _close_open_request(order: Order, status: str, *, by: Actor, note: str = "") -> int | None:
    open_request = OrderChangeRequest.objects.filter(
        order=order, status=ChangeRequestStatus.PENDING
    ).first()
    if open_request is None:
        return None
    open_request.status = status
    open_request.decided_by = by.label[:150]
    open_request.decided_at = timezone.now()
    open_request.decision_note = note[:300]
    open_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return open_request.pk


@transaction.atomic
def withdraw_by_customer(*, order: Order) -> Order:
    """The customer takes back their open request."""
    actor = customer_actor(order)
    order = Order.objects.select_for_update().get(pk=order.pk)
    withdrawn = _close_open_request(order, ChangeRequestStatus.WITHDRAWN, by=actor)
    if withdrawn is None:
        raise Conflict(_("There is no open change request on this order."),
                       code="no_open_request")
    _settle_flag(order, actor)
    events.change_decided(order, actor=actor, request_id=withdrawn,
                          outcome=ChangeRequestStatus.WITHDRAWN)
    return order


def _open_request(actor: Actor, order: Order, request_id: int) -> OrderChangeRequest:
    request = OrderChangeRequest.objects.select_for_update().filter(
        pk=request_id, order=order, shop_id=actor.shop_id
    ).first()
    if request is None:
        raise NotFound(_("No such change request on this order."))
    if request.status != ChangeRequestStatus.PENDING:
        raise Conflict(
            _("This request was already %(status)s.")
            % {"status": ChangeRequestStatus(request.status).label},
            code="request_closed",
        )
    return request


@transaction.atomic
def approve_change(*, actor: Actor, order: Order, request_id: int, note: str = "") -> Order:
    """The merchant agrees: the request is applied to the order as it is now (stock for the
    difference is reserved, or the approval fails with the reason and nothing changes)."""
    require(actor, "orders.edit", order.shop)
    order = editing.lock(order, None)
    request = _open_request(actor, order, request_id)
    note = " ".join(str(note or "").split())[:300]
    order = editing.apply_edit(
        actor=actor, order=order,
        lines=[(line["sku"], line["quantity"]) for line in request.lines]
        if request.lines is not None else None,
        address=request.address or None,
        note=request.note or None,
        reason=note or _("Change requested by the customer"),
    )
    _decide(actor, order, request, ChangeRequestStatus.APPROVED, note)
    return order


@transaction.atomic
def decline_change(*, actor: Actor, order: Order, request_id: int, note: str = "") -> Order:
    """The merchant says no: the order stays as it is, the customer sees why."""
    require(actor, "orders.edit", order.shop)
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=actor.shop_id
    )
    request = _open_request(actor, order, request_id)
    note = " ".join(str(note or "").split())[:300]
    _decide(actor, order, request, ChangeRequestStatus.REJECTED, note)
    return order


def _decide(actor: Actor, order: Order, request: OrderChangeRequest, status: str,
            note: str) -> None:
    request.status = status
    request.decided_by = actor.label[:150]
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _settle_flag(order, actor)
    events.change_decided(order, actor=actor, request_id=request.pk, outcome=status,
                          note=note)


def _settle_flag(order: Order, actor: Actor) -> None:
    """The request is closed: its flag is resolved, and the order needs attention only for
    what else is open."""
    OrderFlag.objects.filter(order=order, code=FLAG, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor.label[:150])
    order.needs_attention = order.flags.filter(resolved_at__isnull=True).exists()
    order.version += 1
    order.save(update_fields=["needs_attention", "version", "updated_at"])
