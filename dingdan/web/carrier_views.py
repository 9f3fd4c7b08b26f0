"""The carriers page: the common carriers with their number rules and tracking pages, and
the shop's own (a local courier firm), which the owner adds and removes here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.fulfillment.selectors.carriers import carriers_for_shop
from dingdan.fulfillment.services import carriers as services
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view

FIELDS = ("code", "name", "pattern", "url_template")


@staff_view
def carrier_settings(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    errors: dict[str, str] = {}
    typed = {field: request.POST.get(field, "").strip() for field in FIELDS}
    if request.method == "POST":
        added = attempt(request, lambda: services.add_shop_carrier(
            actor=actor, shop=actor.shop, **typed), success=_("Carrier added."), errors=errors)
        if added:
            return redirect("web:carrier_settings")
    carriers = carriers_for_shop(actor.shop)
    return render(request, "web/carrier_settings.html", {
        "builtin": [c for c in carriers if c["is_builtin"]],
        "own": [c for c in carriers if not c["is_builtin"]],
        "typed": typed if request.method == "POST" else {},
        "field_errors": errors,
    }, status=400 if errors else 200)


@staff_view
@require_POST
def remove_carrier(request: HttpRequest, code: str) -> HttpResponse:
    actor = request.actor
    attempt(request, lambda: services.remove_shop_carrier(actor=actor, shop=actor.shop,
                                                          code=code),
            success=_("Carrier removed."))
    return redirect("web:carrier_settings")
