"""The pickup counter on a phone: staff type (or scan) the customer's pickup code and hand
the goods over — everything at once, or, after looking the code up, only chosen lines; the
page then says whose order it was and what went."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dingdan.fulfillment.services import pickups
from dingdan.shops.permissions import require
from dingdan.ui.decorators import staff_view
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number


def _chosen_lines(request: HttpRequest, shipment) -> list[dict]:
    """The quantities typed for each line waiting under the code (0: not now)."""
    lines = []
    for line in shipment.lines.all():
        name = f"qty-{line.order_line_id}"
        quantity = parse_whole_number(request.POST.get(name, "0") or "0", name)
        if quantity:
            lines.append({"line_id": line.order_line_id, "quantity": quantity})
    return lines


@staff_view
@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "fulfillment.ship", actor.shop)
    context = {"code": "", "field_errors": {}, "redemption": None, "choosing": None,
               "typed": {}}
    if request.method == "POST":
        code, op = request.POST.get("code", ""), request.POST.get("op", "all")
        with refusal(passing=(403,)) as refused:
            if op == "look":
                context["choosing"] = pickups.look_up_pickup_code(actor=actor, code=code)
            elif op == "partial":
                waiting = pickups.look_up_pickup_code(actor=actor, code=code)
                context["choosing"] = waiting
                context["typed"] = request.POST
                context["redemption"] = pickups.redeem_pickup_code(
                    actor=actor, code=code, lines=_chosen_lines(request, waiting))
                context["choosing"], context["typed"] = None, {}
            else:
                context["redemption"] = pickups.redeem_pickup_code(actor=actor, code=code)
        if refused:
            # A refusal of the lines is shown at them; any other is about the code.
            context["code"] = code[:32]
            line_errors = {k: v for k, v in refused.fields.items()
                           if k.startswith(("lines", "qty-"))}
            if context["choosing"] is not None and line_errors:
                context["field_errors"] = {"lines": next(iter(line_errors.values()))}
            else:
                context["choosing"] = None
                context["field_errors"] = {"code": refused.fields.get("code")
                                           or refused.message}
    if context["choosing"] is not None:
        context["code"] = request.POST.get("code", "")[:32]
        context["rows"] = [(line, context["typed"].get(f"qty-{line.order_line_id}",
                                                      line.quantity))
                           for line in context["choosing"].lines.all()]
    return render(request, "fulfillment/redeem_pickup.html", context)
