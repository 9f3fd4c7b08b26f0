"""The merchant's answer to a customer's change request, from the order page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import customer_changes
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view


@require_POST
@staff_view
def decide_change(request: HttpRequest, order_id: int, request_id: int) -> HttpResponse:
    actor = request.actor
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    note = request.POST.get("note", "")
    if request.POST.get("decision") == "approve":
        attempt(request, lambda: customer_changes.approve_change(
            actor=actor, order=order, request_id=request_id, note=note,
        ), _("The change is applied to the order."))
    else:
        attempt(request, lambda: customer_changes.decline_change(
            actor=actor, order=order, request_id=request_id, note=note,
        ), _("The change is declined; the customer sees your note."))
    return redirect("orders:detail", order_id=order.pk)
