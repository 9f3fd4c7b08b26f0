"""Review from the order's page: resolve a flag with a note, add a follow-up reminder and
mark one done. Each is a small form that posts here and returns to the order."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.localtime import parse_local_time
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import review
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view


@staff_view
@require_POST
def resolve_flag(request: HttpRequest, order_id: int, code: str) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = selectors.order_in_shop(shop, order_id)
    attempt(request, lambda: review.resolve_flag(
        actor=actor, order=order, code=code, note=request.POST.get("note", "").strip()[:500],
    ), _("Flag resolved."))
    return redirect("orders:detail", order_id=order.pk)


@staff_view
@require_POST
def add_follow_up(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = selectors.order_in_shop(shop, order_id)
    attempt(request, lambda: review.add_follow_up(
        actor=actor, order=order,
        due_at=parse_local_time(request.POST.get("due_at"), shop.timezone),
        note=request.POST.get("note", "")[:300],
    ), _("Follow-up added."))
    return redirect("orders:detail", order_id=order.pk)


@staff_view
@require_POST
def complete_follow_up(request: HttpRequest, order_id: int, follow_up_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = selectors.order_in_shop(shop, order_id)
    attempt(request, lambda: review.complete_follow_up(
        actor=actor, order=order, follow_up_id=follow_up_id,
    ), _("Follow-up done."))
    return redirect("orders:detail", order_id=order.pk)
