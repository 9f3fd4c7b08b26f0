"""The 快递100 settings page: the owner enters the 授权key once; it is never shown again,
only masked. The salt pushes are signed with is made by dingdan and never typed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dingdan.fulfillment.selectors.tracking_accounts import masked_tracking_account, push_url_for
from dingdan.fulfillment.services.tracking_accounts import save_tracking_account
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view


@staff_view
def tracking_settings(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    errors: dict[str, str] = {}
    if request.method == "POST":
        saved = attempt(request, lambda: save_tracking_account(
            actor=actor, shop=actor.shop, key=request.POST.get("key", "")),
            success=_("Kuaidi100 settings saved."), errors=errors)
        if saved:
            return redirect("web:tracking_settings")
    return render(request, "web/tracking_settings.html", {
        "shown": masked_tracking_account(actor.shop), "field_errors": errors,
        "push_url": push_url_for(actor.shop),
    }, status=400 if errors else 200)
