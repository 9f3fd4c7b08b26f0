"""The order as its customer sees it: what happened, in their words, without staff names,
internal notes or review flags."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dingdan.fulfillment import events as fulfillment_events
from dingdan.localtime import shop_time
from dingdan.money import format_yuan
from dingdan.orders.models import ChangeRequestStatus, Channel, Order, OrderChangeRequest
from dingdan.orders.selectors.presentation import choice_label
from dingdan.orders.states import Status
from dingdan.shops.actors import ActorKind

SHOWN = {"placed", "status_changed", "edited", "change_requested", "change_decided",
         "payment_reported", "reported_payment_confirmed", "reported_payment_rejected",
         *fulfillment_events.SUBSTITUTE_KINDS}
CUSTOMER_FIELDS = {"lines", "address", "note", "delivery_method"}



@dataclass(frozen=True)
class Entry:
    sentence: str
    note: str
    at: str


def _who(kind: str) -> str:
    return _("You") if kind == ActorKind.CUSTOMER else _("The shop")


def _sentence(event) -> str | None:
    who = _who(event.actor_kind)
    data = event.data or {}
    if event.kind == "placed":
        return _("%(who)s placed the order via %(channel)s") % {
            "who": who, "channel": choice_label(Channel, data.get("channel", ""))}
    if event.kind == "status_changed":
        return _("Status: %(status)s") % {"status": choice_label(Status, data.get("to", ""))}
    if event.kind == "edited":
        if not CUSTOMER_FIELDS & set(data.get("changes") or {}):
            return None  # internal notes and the like are the shop's own business
        return _("%(who)s changed the order") % {"who": who}
    if event.kind == "change_requested":
        return _("You asked for a change")
    if event.kind in fulfillment_events.SUBSTITUTE_KINDS:
        return _substitute_sentence(event.kind, data)
    if event.kind == "payment_reported":
        return _("You reported paying ¥%(amount)s") % {
            "amount": format_yuan(data.get("amount_cents"))}
    if event.kind == "reported_payment_confirmed":
        return _("The shop confirmed your payment of ¥%(amount)s") % {
            "amount": format_yuan(data.get("amount_cents"))}
    if event.kind == "reported_payment_rejected":
        return _("The shop could not confirm your payment of ¥%(amount)s") % {
            "amount": format_yuan(data.get("amount_cents"))}
    if event.kind == "change_decided":
        return {
            ChangeRequestStatus.APPROVED: _("The shop accepted your change"),
            ChangeRequestStatus.REJECTED: _("The shop declined your change"),
        }.get(data.get("outcome"), _("You withdrew your change request"))
    return None


def _substitute_sentence(kind: str, data: dict) -> str:
    words = {"name": data.get("name", ""), "original": data.get("original_name", ""),
             "quantity": data.get("quantity", "")}
    if kind == fulfillment_events.SUBSTITUTE_OFFERED:
        return _("The shop offered %(name)s × %(quantity)s instead of %(original)s") % words
    if kind == fulfillment_events.SUBSTITUTE_ACCEPTED:
        return _("You accepted %(name)s × %(quantity)s instead of %(original)s") % words
    if kind == fulfillment_events.SUBSTITUTE_DECLINED:
        return _("You declined %(name)s instead of %(original)s") % words
    return _("The shop withdrew its offer of %(name)s") % words


def history(order: Order) -> list[Entry]:
    entries = []
    for event in order.events.filter(kind__in=SHOWN).order_by("id"):
        sentence = _sentence(event)
        if sentence is None:
            continue
        # Status notes carry tracking numbers and the like; edit reasons stay internal
        # unless the customer wrote them.
        visible = event.kind in {"status_changed", "change_decided",
                                  "reported_payment_rejected"} or (
            event.actor_kind == ActorKind.CUSTOMER)
        entries.append(Entry(sentence, event.note if visible else "",
                             shop_time(order.shop, event.created_at)))
    return entries


def latest_request(order: Order) -> OrderChangeRequest | None:
    return OrderChangeRequest.objects.filter(order=order).order_by("-id").first()


def address_of(order: Order) -> str:
    return "".join((order.province, order.city, order.district, order.address_detail))
