"""The merchant's stock pages: levels with a low-stock filter, and one SKU's page to
receive, adjust, count and set its threshold, with the movement ledger.

Every write is one `inventory.services` call; a refusal becomes a message on the page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dingdan.catalog.selectors import skus_for_shop
from dingdan.errors import NotFound
from dingdan.inventory import selectors
from dingdan.inventory.services import stock as services
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view
from dingdan.whole_numbers import parse_whole_number

PAGE_SIZE = 50


@staff_view
def stock_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "inventory.view", shop)
    q = request.GET.get("q", "").strip()[:100]
    low_only = request.GET.get("low") == "1"
    levels = selectors.levels_for_shop(shop, q=q or None, low_only=low_only)
    page = Paginator(levels, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {"q": q, "low": "1" if low_only else ""}
    return render(request, "inventory/list.html", {
        "page": page,
        "q": q,
        "low_only": low_only,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
    })


# Each form's service fields (as in a refusal's `fields`) -> the input that holds them;
# the forms share input names ("note"), so an error is named by the input's id.
INPUTS = {
    "receive": {"quantity": "receive-quantity", "note": "receive-note"},
    "adjust": {"delta": "adjust-delta", "reason": "adjust-reason", "note": "adjust-note"},
    "count": {"counted": "count-counted", "note": "count-note"},
    "threshold": {"threshold": "threshold"},
}


def _operation(request: HttpRequest, variant, errors: dict[str, str]) -> None:
    """Run the posted form's service call; bad numbers are refused before anything changes
    and the refused form's field errors are put in `errors`."""
    actor, shop, post = request.actor, request.actor.shop, request.POST
    note = post.get("note", "").strip()
    operation = post.get("op")
    shown = {"errors": errors, "inputs": INPUTS.get(operation)}
    if operation == "receive":
        attempt(request, lambda: services.receive_stock(
            actor=actor, shop=shop, variant=variant,
            quantity=parse_whole_number(post.get("quantity"), "quantity"), note=note,
        ), _("Stock received."), **shown)
    elif operation == "adjust":
        attempt(request, lambda: services.adjust_stock(
            actor=actor, shop=shop, variant=variant,
            delta=parse_whole_number(post.get("delta"), "delta"),
            reason=post.get("reason", ""), note=note,
        ), _("Stock adjusted."), **shown)
    elif operation == "count":
        attempt(request, lambda: services.count_stock(
            actor=actor, shop=shop, variant=variant,
            counted=parse_whole_number(post.get("counted"), "counted"), note=note,
        ), _("Stock count recorded."), **shown)
    elif operation == "threshold":
        attempt(request, lambda: services.set_low_stock_threshold(
            actor=actor, shop=shop, variant=variant,
            threshold=parse_whole_number(post.get("threshold"), "threshold", required=False),
        ), _("Low-stock threshold saved."), **shown)


@staff_view
def stock_detail(request: HttpRequest, variant_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "inventory.view", shop)
    variant = skus_for_shop(shop).filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(_("Product not found."))
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        _operation(request, variant, errors)
        if not errors:
            return redirect("inventory:detail", variant_id=variant.pk)
        # The refused form is shown again with its errors and what was typed in it.
        inputs = INPUTS.get(request.POST.get("op", ""), {})
        typed = {inputs[key]: value for key, value in request.POST.items() if key in inputs}
    movements = Paginator(selectors.movements_for_variant(shop, variant), PAGE_SIZE)
    level = selectors.level_for_variant(variant)
    return render(request, "inventory/detail.html", {
        "variant": variant,
        "level": level,
        "movements": movements.get_page(request.GET.get("page")),
        "backorders": selectors.waiting_backorders(shop, variant),
        "can_receive": role_allows(actor.role, "inventory.receive"),
        "can_adjust": role_allows(actor.role, "inventory.adjust"),
        "can_edit_product": role_allows(actor.role, "catalog.view"),
        "field_errors": errors,
        "typed": typed,
    })
