"""Pasting a chain into a campaign: the preview table (each entry new, changed, unchanged
or after the cut-off, with its problems), fixing one entry inline, ticking which to import,
and the confirmation's report per entry."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dingdan.chains.models import ChainImport, Fulfilment, ImportStatus
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors import entry_checks
from dingdan.chains.selectors.reading import items_text
from dingdan.chains.services import confirming, previews
from dingdan.localtime import shop_time
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view
from dingdan.ui.errors import refusal

STATE_LABELS = {
    previews.NEW: gettext_lazy("new"),
    previews.CHANGED: gettext_lazy("changed"),
    previews.UNCHANGED: gettext_lazy("unchanged"),
    previews.AFTER_CUT_OFF: gettext_lazy("after cut-off"),
}
OUTCOME_LABELS = {
    confirming.CREATED: gettext_lazy("order created"),
    confirming.APPLIED: gettext_lazy("order changed"),
    confirming.FAILED: gettext_lazy("not imported"),
    confirming.ALREADY: gettext_lazy("already imported"),
}


def _names(draft: ChainImport) -> dict[str, str]:
    skus = {item["sku"] for entry in draft.entries for item in entry["items"]}
    skus |= {item["sku"] for entry in draft.entries
             for item in (entry.get("before") or {}).get("items", ())}
    return selectors.sku_names(draft.shop_id, skus)


def _items_line(items, unmatched, names) -> str:
    parts = [f"{names.get(i['sku'], i['sku'])} ×{i['quantity']}" for i in items]
    return ", ".join(parts + [f"?{text}" for text in unmatched])


def entry_row(entry: dict, names: dict[str, str]) -> dict:
    """One entry of the preview as the table shows it."""
    before = entry.get("before")
    return {
        **entry,
        "state_label": STATE_LABELS.get(entry["state"], entry["state"]),
        "items_line": _items_line(entry["items"], entry["unmatched"], names),
        "before_line": _items_line(before["items"], (), names) if before else "",
        # An overrun is said with its numbers below, not with the bare label.
        "problem_labels": [str(entry_checks.LABELS.get(code, code)) for code in entry["problems"]
                           if not (entry.get("over") and code in entry_checks.LIMIT_CODES)],
        "over_labels": [
            (_("%(name)s: at most %(n)s more for this person") if o["kind"] == "limit"
             else _("%(name)s: only %(n)s left")) % {"name": names.get(o["sku"], o["sku"]),
                                                     "n": o["allowed"]}
            for o in entry.get("over") or ()
        ],
        "is_choosable": entry["state"] in (previews.NEW, previews.CHANGED),
        "items_text": items_text(entry, names),
    }


@staff_view
@require_POST
def import_paste(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    require(actor, "orders.create", shop)
    draft = attempt(request, lambda: previews.preview_chain(
        actor=actor, campaign=campaign, text=request.POST.get("text", "")))
    if not draft:
        return redirect("chains:detail", campaign_id=campaign.pk)
    return redirect("chains:import", campaign_id=campaign.pk, import_id=draft.pk)


def _import_context(request: HttpRequest, campaign, draft: ChainImport) -> dict:
    names = _names(draft)
    rows = [entry_row(entry, names) for entry in draft.entries]
    counts = {state: sum(r["state"] == state for r in rows) for state in previews.STATES}
    result = draft.result or {}
    return {
        "campaign": campaign,
        "draft": draft,
        "rows": rows,
        "counts": [(STATE_LABELS[s], counts[s], s) for s in previews.STATES],
        "points": selectors.campaign_points(campaign),
        "is_pickup": campaign.fulfilment == Fulfilment.PICKUP,
        "is_draft": draft.status == ImportStatus.DRAFT,
        "at": shop_time(campaign.shop, draft.created_at),
        "outcomes": [{**o, "label": OUTCOME_LABELS.get(o["outcome"], o["outcome"])}
                     for o in result.get("entries", ())],
    }


@staff_view
def import_detail(request: HttpRequest, campaign_id: int, import_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.create", shop)
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    draft = selectors.import_in_campaign(campaign, import_id)
    return render(request, "chains/import.html", _import_context(request, campaign, draft))


@staff_view
@require_POST
def import_fix(request: HttpRequest, campaign_id: int, import_id: int,
               index: int) -> HttpResponse:
    """Save the merchant's correction of one entry. With htmx only the entry's rows come
    back (the other ticks stay as they are); without it, the whole page."""
    actor, shop = request.actor, request.actor.shop
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    draft = selectors.import_in_campaign(campaign, import_id)
    post = request.POST
    point = post.get("pickup_point", "")
    with refusal(passing=(403, 404)) as refused:
        previews.fix_entry(
            actor=actor, chain_import=draft, index=index,
            customer=post.get("customer", "")[:100], phone=post.get("phone", "")[:40],
            items=post.get("items", "")[:1000], address=post.get("address", "")[:200],
            pickup_point_id=int(point) if point.isdigit() else None,
        )
    error = refused.message if refused else None
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Entry %(n)s corrected.") % {"n": index + 1})
        return redirect("chains:import", campaign_id=campaign.pk, import_id=draft.pk)
    draft.refresh_from_db()
    context = _import_context(request, campaign, draft)
    return render(request, "chains/_entry.html", {
        **context, "row": context["rows"][index], "error": error,
        "saved": error is None,
    })


@staff_view
@require_POST
def import_confirm(request: HttpRequest, campaign_id: int, import_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    require(actor, "orders.create", shop)
    draft = selectors.import_in_campaign(campaign, import_id)
    keep = [int(i) for i in request.POST.getlist("keep") if i.isdigit()]
    result = attempt(request, lambda: confirming.confirm_import(
        actor=actor, chain_import=draft, selected=keep))
    if isinstance(result, dict):
        if result.get("already_confirmed"):
            messages.info(request, _("This import was already confirmed; nothing was "
                                     "created again."))
        else:
            messages.success(request, _(
                "%(created)d orders created, %(changed)d changed, %(failed)d not imported."
            ) % result)
    return redirect("chains:import", campaign_id=campaign.pk, import_id=draft.pk)
