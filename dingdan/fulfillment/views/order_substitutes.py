"""The order page's substitutes panel (through the `orders.page_context` hook): beside each
line with units still to ship, a form to offer another SKU for them, the open offer with
its withdraw button, and what became of earlier offers.

Thin: the form's fields become `offer_substitute`'s arguments (the price typed in 元, the
substitute's own price when left empty); a refused form is shown again as typed, each
message next to its input."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.fulfillment.models import SubstituteStatus
from dingdan.fulfillment.selectors import shipments as shipment_selectors
from dingdan.fulfillment.selectors import substitutes as selectors
from dingdan.fulfillment.services import substitutes
from dingdan.localtime import shop_time
from dingdan.money import parse_yuan
from dingdan.orders.selectors import orders as order_selectors
from dingdan.orders.services.substituting import MAY_SUBSTITUTE
from dingdan.orders.views.orders import render_order_page
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import form_errors, staff_view
from dingdan.ui.errors import Show, refusal
from dingdan.whole_numbers import parse_whole_number

TEMPLATE = "fulfillment/_order_substitutes.html"


def order_page_context(*, shop, order, actor=None) -> dict:
    panel = substitutes_panel(order, actor)
    return {"substitutes_panel": panel} if panel else {}


def _inputs(line_id: int) -> dict[str, str]:
    return {"variant_id": f"sub-variant-{line_id}", "quantity": f"sub-qty-{line_id}",
            "unit_price_cents": f"sub-price-{line_id}", "note": f"sub-note-{line_id}",
            "line_id": f"sub-variant-{line_id}"}


def substitutes_panel(order, actor, *, errors: dict | None = None, typed: dict | None = None,
                      open_line: int | None = None) -> dict | None:
    """What the panel shows, or None when there is nothing to show: no offer was ever made
    and this reader may not make one now."""
    role = getattr(actor, "role", None)
    may_offer = (bool(role) and role_allows(role, "orders.edit")
                 and order.status in MAY_SUBSTITUTE)
    offers = selectors.offers_of(order)
    open_by_line = {o.order_line_id: o for o in offers if o.status == SubstituteStatus.OFFERED}
    typed = typed or {}
    lines = []
    for t in shipment_selectors.lines_to_ship(order):
        if t.left <= 0 or t.line.variant.product.is_service:
            continue
        inputs = _inputs(t.line.pk)
        short = t.left - t.ready
        lines.append({
            "id": t.line.pk, "name": t.line.name, "sku": t.line.sku, "left": t.left,
            "short": short, "offer": open_by_line.get(t.line.pk), "inputs": inputs,
            "open": open_line == t.line.pk or (open_line is None and short > 0),
            "typed": {key: typed.get(name, "") for key, name in inputs.items()}
            if open_line == t.line.pk else {"quantity": short or t.left},
        })
    if not offers and not (may_offer and lines):
        return None
    return {
        "template": TEMPLATE,
        "order_id": order.pk,
        "may_offer": may_offer,
        "may_withdraw": bool(role) and role_allows(role, "orders.edit"),
        "lines": lines,
        "offers": [{"offer": o, "decided_at": shop_time(order.shop, o.decided_at)
                    if o.decided_at else ""} for o in offers],
        "choices": selectors.substitute_choices(order.shop) if may_offer and lines else [],
        "errors": errors or {},
    }


def _offer_arguments(request: HttpRequest, line_id: int) -> dict:
    post, names = request.POST, _inputs(line_id)
    price = parse_yuan(post.get(names["unit_price_cents"]), names["unit_price_cents"],
                       required=False)
    return {
        "line_id": line_id,
        "variant_id": parse_whole_number(post.get(names["variant_id"]), names["variant_id"]),
        "quantity": parse_whole_number(post.get(names["quantity"]), names["quantity"],
                                       required=False),
        "unit_price_cents": price,
        "note": post.get(names["note"], ""),
    }


@staff_view
@require_POST
def offer(request: HttpRequest, order_id: int, line_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    with refusal(request, show=Show.MESSAGE, passing=(403, 404)) as refused:
        substitutes.offer_substitute(actor=actor, order=order,
                                     **_offer_arguments(request, line_id))
    if not refused:
        messages.success(request, _("Substitute offered: the customer decides on the order "
                                    "link."))
        return redirect("orders:detail", order_id=order.pk)
    names = _inputs(line_id)
    errors = form_errors(refused.fields, names)
    if not errors:
        errors[names["variant_id"]] = refused.message
    typed = {name: request.POST.get(name, "")[:300] for name in names.values()}
    order = order_selectors.order_in_shop(shop, order.pk, with_events=True)
    panel = substitutes_panel(order, actor, errors=errors, typed=typed, open_line=line_id)
    return render_order_page(request, order, extra={"substitutes_panel": panel})


@staff_view
@require_POST
def withdraw(request: HttpRequest, order_id: int, offer_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    found = selectors.offer_in_shop(shop, offer_id)
    if found.order_id != order.pk:
        return redirect("orders:detail", order_id=order.pk)
    with refusal(request, show=Show.MESSAGE, passing=(403, 404)) as refused:
        substitutes.withdraw_substitute(actor=actor, offer=found)
    if not refused:
        messages.success(request, _("Offer withdrawn."))
    return redirect("orders:detail", order_id=order.pk)
