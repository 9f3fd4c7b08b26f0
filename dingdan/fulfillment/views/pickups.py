"""The pickup counter on a phone: staff type (or scan) the customer's pickup code and hand
the goods over; the page then says whose order it was and what went."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dingdan.fulfillment.services import pickups
from dingdan.shops.permissions import require
from dingdan.ui.decorators import staff_view
from dingdan.ui.errors import refusal


@staff_view
@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "fulfillment.ship", actor.shop)
    context = {"code": "", "field_errors": {}, "redemption": None}
    if request.method == "POST":
        code = request.POST.get("code", "")
        with refusal(passing=(403,)) as refused:
            context["redemption"] = pickups.redeem_pickup_code(actor=actor, code=code)
        if refused:
            # Every refusal is about the code: shown next to it, the code kept as typed.
            context["code"] = code[:32]
            context["field_errors"] = {"code": refused.fields.get("code") or refused.message}
    return render(request, "fulfillment/redeem_pickup.html", context)
