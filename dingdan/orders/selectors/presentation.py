"""Orders put into words for the merchant's pages: timeline sentences, line summaries, the
moves a role may make. Read-only: nothing here writes, and the language is the one active
when it is called."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.catalog.models import Variant
from dingdan.localtime import shop_time
from dingdan.money import format_yuan
from dingdan.orders import states
from dingdan.orders.models import Channel, DeliveryMethod, Order, OrderEvent, OrderTag, Priority
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services.review import flag_message
from dingdan.orders.states import CancelReason, Status
from dingdan.shops.actors import ActorKind
from dingdan.shops.models import Shop
from dingdan.shops.permissions import role_allows

SUMMARY_LINES = 3
MAX_PICKER_SKUS = 2000


def choice_label(choices, value) -> str:
    """The label of `value` among `choices` in the active language; the value itself when
    it is not one of them (an event written before a choice was renamed)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def actor_name(event: OrderEvent) -> str:
    """Who did it: a person or token by name, otherwise what kind of actor it was."""
    if event.actor_kind in (ActorKind.STAFF, ActorKind.API) and event.actor_label:
        return event.actor_label
    return {
        ActorKind.CUSTOMER: _("The customer"),
        ActorKind.SYSTEM: _("The system"),
        ActorKind.RULE: _("An automation rule"),
        ActorKind.API: _("An API client"),
        ActorKind.STAFF: _("A staff member"),
    }.get(event.actor_kind, event.actor_label or event.actor_kind)


def _field_name(field: str) -> str:
    return {
        "lines": _("the products"),
        "delivery_method": _("the delivery method"),
        "address": _("the address"),
        "note": _("the customer's note"),
        "internal_note": _("the internal note"),
        "assignee": _("the assignee"),
        "priority": _("the priority"),
        "tags": _("the tags"),
    }.get(field, field)


def _edit_sentence(actor: str, changes: dict) -> str:
    if len(changes) == 1:
        field, change = next(iter(changes.items()))
        before, after = change.get("before"), change.get("after")
        if field == "assignee":
            if after:
                return _("%(actor)s assigned the order to %(name)s") % {
                    "actor": actor, "name": after}
            return _("%(actor)s unassigned the order") % {"actor": actor}
        if field == "priority":
            return _("%(actor)s changed the priority from %(before)s to %(after)s") % {
                "actor": actor, "before": choice_label(Priority, before),
                "after": choice_label(Priority, after)}
        if field == "delivery_method":
            return _("%(actor)s changed the delivery method from %(before)s to %(after)s") % {
                "actor": actor, "before": choice_label(DeliveryMethod, before),
                "after": choice_label(DeliveryMethod, after)}
        if field == "tags":
            if not after:
                return _("%(actor)s removed all tags") % {"actor": actor}
            return _("%(actor)s set the tags to %(tags)s") % {
                "actor": actor, "tags": ", ".join(after)}
        if field == "internal_note":
            return _("%(actor)s changed the internal note to “%(after)s”") % {
                "actor": actor, "after": after}
    return _("%(actor)s changed %(fields)s") % {
        "actor": actor,
        "fields": ", ".join(
            f"{_field_name(f)} ({_lines_change(c)})" if f == "lines" and isinstance(c, dict)
            else _field_name(f)
            for f, c in sorted(changes.items(), key=_field_order)
        ),
    }


# PostgreSQL's jsonb keeps no key order: sentences list fields in this one.
FIELD_ORDER = ["lines", "delivery_method", "address", "note", "internal_note"]


def _field_order(item: tuple[str, object]) -> tuple[int, str]:
    field = item[0]
    return (FIELD_ORDER.index(field) if field in FIELD_ORDER else len(FIELD_ORDER), field)


def _lines_change(change: dict) -> str:
    """ "CM-500 ×1→×3, +LM-125 ×2, −MG-1": what happened to each SKU's quantity."""
    def quantities(lines) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in lines or []:
            totals[line["sku"]] = totals.get(line["sku"], 0) + line["quantity"]
        return totals

    before, after = quantities(change.get("before")), quantities(change.get("after"))
    parts = []
    for sku in [*before, *(s for s in after if s not in before)]:
        if sku not in after:
            parts.append(f"−{sku}")
        elif sku not in before:
            parts.append(f"+{sku} ×{after[sku]}")
        elif before[sku] != after[sku]:
            parts.append(f"{sku} ×{before[sku]}→×{after[sku]}")
    return ", ".join(parts)


def _reprice_sentence(actor: str, changes: dict) -> str:
    parts = []
    prices_first = sorted(changes.items(), key=lambda item: (
        0 if item[0].startswith("price:") else 1 if item[0] == "discount_cents" else 2, item[0]))
    for field, change in prices_first:
        amounts = {"before": format_yuan(change.get("before")),
                   "after": format_yuan(change.get("after"))}
        if field.startswith("price:"):
            parts.append(f"{field.removeprefix('price:')} ¥{amounts['before']}→¥{amounts['after']}")
        elif field == "discount_cents":
            parts.append(_("discount ¥%(before)s→¥%(after)s") % amounts)
        elif field == "total_cents":
            parts.append(_("total ¥%(before)s→¥%(after)s") % amounts)
    return _("%(actor)s changed the prices: %(what)s") % {"actor": actor,
                                                          "what": ", ".join(parts)}


def event_sentence(event: OrderEvent) -> str:
    """One timeline entry as a sentence, e.g. "张三 把状态从 待确认 改为 已接受"."""
    actor = actor_name(event)
    data = event.data or {}
    if event.kind == "placed":
        return _("%(actor)s placed the order via %(channel)s") % {
            "actor": actor, "channel": choice_label(Channel, data.get("channel", ""))}
    if event.kind == "status_changed" and data.get("cause") == "paid_in_full":
        return _("Paid in full: the order moved from %(before)s to %(after)s") % {
            "before": choice_label(Status, data.get("from", "")),
            "after": choice_label(Status, data.get("to", ""))}
    if event.kind == "status_changed" and data.get("cause") == "received_by_customer":
        return _("The customer confirmed receipt: the order is delivered")
    if event.kind == "status_changed" and data.get("cause") == "shipments_cancelled":
        return _("Every shipment was cancelled before it left: the order is accepted again")
    if event.kind == "status_changed" and data.get("cause") == "accepted_when_paid":
        return _("Paid in full: the shop accepts paid orders, so the order was accepted")
    if event.kind == "status_changed" and data.get("reason"):
        return _("%(actor)s cancelled the order (%(reason)s)") % {
            "actor": actor, "reason": choice_label(CancelReason, data["reason"])}
    if event.kind == "status_changed":
        return _("%(actor)s changed the status from %(before)s to %(after)s") % {
            "actor": actor, "before": choice_label(Status, data.get("from", "")),
            "after": choice_label(Status, data.get("to", ""))}
    if event.kind == "edited":
        return _edit_sentence(actor, data.get("changes") or {})
    if event.kind == "customer_merged":
        return _("%(actor)s merged this order's customer into another customer record") % {
            "actor": actor}
    if event.kind == "flagged":
        return _("%(actor)s flagged the order: %(reasons)s") % {
            "actor": actor,
            "reasons": " ".join(flag_message(code, {}) for code in data.get("codes", []))}
    if event.kind == "flag_resolved":
        return _("%(actor)s resolved a flag: %(reason)s") % {
            "actor": actor, "reason": flag_message(data.get("code", ""), {})}
    if event.kind == "follow_up_added":
        return _("%(actor)s added a follow-up: %(note)s") % {
            "actor": actor, "note": data.get("note", "")}
    if event.kind == "follow_up_done":
        return _("%(actor)s marked a follow-up done: %(note)s") % {
            "actor": actor, "note": data.get("note", "")}
    if event.kind == "repriced":
        return _reprice_sentence(actor, data.get("changes") or {})
    if event.kind == "change_requested":
        return _("%(actor)s asked to change %(fields)s") % {
            "actor": actor,
            "fields": ", ".join(_field_name(f) for f in ("lines", "address", "note")
                                if data.get(f))}
    if event.kind == "change_decided":
        outcome = data.get("outcome")
        if outcome == "approved":
            return _("%(actor)s approved the customer's change") % {"actor": actor}
        if outcome == "rejected":
            return _("%(actor)s declined the customer's change") % {"actor": actor}
        return _("%(actor)s withdrew the change request") % {"actor": actor}
    for sentence in hooks.collect("orders.event_sentence", event=event):
        if sentence:
            return sentence
    return _("%(actor)s: %(what)s") % {"actor": actor, "what": event.kind}


@dataclass(frozen=True)
class TimelineEntry:
    sentence: str
    note: str
    at: str
    actor_kind: str


def timeline(order: Order) -> list[TimelineEntry]:
    return [
        TimelineEntry(event_sentence(e), e.note, shop_time(order.shop, e.created_at),
                      e.actor_kind)
        for e in order.events.all()
    ]


def staff_moves(order: Order, role: str | None) -> list[states.Transition]:
    """The transitions a member of staff with this role may make from the order's status."""
    return [
        t for t in states.TRANSITIONS
        if t.source == order.status and ActorKind.STAFF in t.actors
        and role_allows(role, t.action)
    ]


def lines_summary(order: Order) -> str:
    """ "草莓 500g × 2, 鸡蛋 × 1 …" from the prefetched lines."""
    lines = selectors.lines_of(order)
    text = ", ".join(f"{line.name} × {line.quantity}" for line in lines[:SUMMARY_LINES])
    return text + (" …" if len(lines) > SUMMARY_LINES else "")


def tags_in_use(shop: Shop) -> list[str]:
    return list(
        OrderTag.objects.filter(shop=shop).order_by("tag").values_list("tag", flat=True)
        .distinct()
    )


def skus_on_sale(shop: Shop) -> list[Variant]:
    """What a new order may name, for the SKU picker."""
    return list(
        Variant.objects.filter(shop=shop, is_active=True, product__is_active=True)
        .select_related("product").order_by("sku")[:MAX_PICKER_SKUS]
    )
