"""A campaign's summaries and pick lists: on screen, as CSV/XLSX files, as a printable page
(one pickup point per sheet of paper), and the batch confirmation after the cut-off."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan import spreadsheets
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors import exports
from dingdan.chains.selectors.summaries import campaign_summary
from dingdan.chains.services import confirming
from dingdan.chains.services.campaigns import accepts_new_entries
from dingdan.customers.privacy import may_see_pii
from dingdan.errors import NotFound
from dingdan.localtime import shop_time
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view


def _summary_context(request: HttpRequest, campaign_id: int) -> dict:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    return {
        "campaign": campaign,
        "cut_off": shop_time(shop, campaign.cut_off_at),
        "is_past_cut_off": not accepts_new_entries(campaign),
        "summary": campaign_summary(campaign, pii=may_see_pii(actor)),
        "exports": [(kind, label) for kind, label in (
            ("products", _("By product")), ("points", _("By pickup point")),
            ("picklists", _("Pick lists")))],
        "can_export": role_allows(actor.role, "exchange.export"),
        "can_batch": role_allows(actor.role, "orders.transition"),
    }


@staff_view
def campaign_summary_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return render(request, "chains/summary.html", _summary_context(request, campaign_id))


@staff_view
def campaign_print(request: HttpRequest, campaign_id: int) -> HttpResponse:
    context = _summary_context(request, campaign_id)
    context["printed_at"] = shop_time(request.actor.shop, timezone.now())
    return render(request, "chains/print.html", context)


@staff_view
def campaign_export(request: HttpRequest, campaign_id: int, kind: str,
                    fmt: str) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise NotFound(_("Not found."))
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    data = exports.export_campaign(actor=actor, campaign=campaign, kind=kind, fmt=fmt)
    content_type = (
        spreadsheets.CSV_CONTENT_TYPE if fmt == "csv" else spreadsheets.XLSX_CONTENT_TYPE
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"{shop.slug}-campaign-{campaign.pk}-{kind}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view
@require_POST
def campaign_batch_confirm(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    require(actor, "orders.transition", shop)
    result = attempt(request, lambda: confirming.batch_confirm(actor=actor, campaign=campaign))
    if isinstance(result, dict):
        if result["succeeded"]:
            messages.success(request, _("Accepted %(n)d orders: %(numbers)s") % {
                "n": len(result["succeeded"]),
                "numbers": ", ".join(row["number"] for row in result["succeeded"])})
        elif not result["failed"]:
            messages.info(request, _("No order of this campaign is waiting for confirmation."))
        numbers = dict(
            selectors.entries_of_campaign(campaign)
            .filter(order_id__in=[row["id"] for row in result["failed"]])
            .values_list("order_id", "order__number")
        )
        for row in result["failed"]:
            messages.error(request, _("Not accepted %(number)s: %(reason)s") % {
                "number": numbers.get(row["id"], f"#{row['id']}"),
                "reason": row["error"]["message"]})
    return redirect("chains:summary", campaign_id=campaign.pk)
