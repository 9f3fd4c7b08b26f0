"""A courier's phone page: today's local deliveries (where, whom to call, what), each marked
delivered (a photo if they like) or not delivered with the reason."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dingdan.fulfillment.selectors import shipments as selectors
from dingdan.fulfillment.selectors.deliveries import deliveries_for
from dingdan.fulfillment.services import local_delivery
from dingdan.images import MAX_IMAGE_BYTES
from dingdan.shops.permissions import require
from dingdan.ui.decorators import form_errors, staff_view
from dingdan.ui.errors import Show, refusal


def _page(request, *, errors=None, status=200, focus: int | None = None) -> HttpResponse:
    actor = request.actor
    today = timezone.now().astimezone(ZoneInfo(actor.shop.timezone)).date()
    return render(request, "fulfillment/deliveries.html", {
        "rows": deliveries_for(actor, today), "today": today, "errors": errors or {},
        "focus": focus}, status=status)


@staff_view
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    require(request.actor, "fulfillment.ship", request.actor.shop)
    return _page(request)


def _act(request, shipment_id: int, action, success: str) -> HttpResponse:
    actor = request.actor
    require(actor, "fulfillment.ship", actor.shop)
    shipment = selectors.shipment_in_shop(actor.shop, shipment_id)
    with refusal(request, show=Show.MESSAGE, passing=(403, 404)) as refused:
        action(actor, shipment)
    if not refused:
        messages.success(request, success)
        return redirect("fulfillment:deliveries")
    errors = {f"{name}-{shipment.pk}": message
              for name, message in form_errors(refused.fields).items()}
    return _page(request, errors=errors, status=refused.status, focus=shipment.pk)


@staff_view
@require_POST
def delivered(request: HttpRequest, shipment_id: int) -> HttpResponse:
    upload = request.FILES.get("photo")
    photo = upload.read(MAX_IMAGE_BYTES + 1) if upload else None
    return _act(request, shipment_id, lambda actor, shipment: local_delivery.delivered_locally(
        actor=actor, shipment=shipment, photo=photo), _("Marked delivered."))


@staff_view
@require_POST
def failed(request: HttpRequest, shipment_id: int) -> HttpResponse:
    return _act(request, shipment_id, lambda actor, shipment: local_delivery.delivery_failed(
        actor=actor, shipment=shipment, reason=request.POST.get("reason", "")),
        _("Recorded: not delivered."))
