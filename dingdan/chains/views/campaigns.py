"""The merchant's campaign pages: the list, the campaign form (items at campaign prices,
pickup points, cut-off), one campaign with its chain text to post, and pickup points.

Thin: writes are `services`, reads are `selectors`; a refusal becomes a message."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.chains.models import CampaignStatus, ChainImport, Fulfilment
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as services
from dingdan.chains.services.campaigns import ItemInput, accepts_new_entries
from dingdan.errors import InvalidInput
from dingdan.localtime import parse_local_time, shop_time
from dingdan.money import format_yuan, parse_yuan
from dingdan.shops import audit
from dingdan.shops.audit_selectors import history_for
from dingdan.shops.audit_text import visible_history
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number

FORM_ROWS = 3
MAX_FORM_ROWS = services.MAX_ITEMS


@staff_view
def campaign_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    campaigns = list(selectors.campaigns_for_shop(shop)[:200])
    return render(request, "chains/list.html", {
        "rows": [{"campaign": c, "cut_off": shop_time(shop, c.cut_off_at),
                  "is_taking_entries": accepts_new_entries(c)} for c in campaigns],
        "can_manage": role_allows(actor.role, "catalog.manage"),
    })


def _item_rows(request: HttpRequest) -> list[dict[str, str]]:
    post = request.POST
    columns = [post.getlist(name) for name in ("sku", "price", "limit", "cap")]
    rows = [
        {"sku": sku.strip()[:64], "price": price.strip()[:20], "limit": limit.strip()[:12],
         "cap": cap.strip()[:12]}
        for sku, price, limit, cap in zip(*columns, strict=False)
    ]
    return rows[:MAX_FORM_ROWS]


def _items(rows: list[dict[str, str]]) -> list[ItemInput]:
    return [
        ItemInput(
            sku=row["sku"],
            price_cents=parse_yuan(row["price"], f"items.{n}.price"),
            per_person_limit=parse_whole_number(row["limit"], f"items.{n}.limit",
                                                required=False),
            total_cap=parse_whole_number(row["cap"], f"items.{n}.cap", required=False),
        )
        # Numbered as the service numbers them: only the rows with a SKU are items.
        for n, row in enumerate(row for row in rows if row["sku"])
    ]


def _delivery_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        message = _("Enter a date, e.g. 2026-12-20.")
        raise InvalidInput(message, fields={"delivery_date": message}) from None


def _form_from_post(request: HttpRequest) -> dict:
    post = request.POST
    return {
        "title": post.get("title", "").strip()[:100],
        "cut_off": post.get("cut_off", "").strip()[:20],
        "delivery_date": post.get("delivery_date", "").strip()[:10],
        "fulfilment": post.get("fulfilment", Fulfilment.PICKUP),
        "rules": post.get("rules", "")[: services.MAX_RULES + 100],
        "status": post.get("status", ""),
        "points": [int(pk) for pk in post.getlist("points") if pk.isdigit()],
        "new_point_name": post.get("new_point_name", "").strip()[:60],
        "new_point_address": post.get("new_point_address", "").strip()[:200],
    }


# A service field (as in a refusal's `fields`) -> the form's input that holds it.
INPUTS = {"cut_off_at": "cut_off", "pickup_point_ids": "points", "name": "new_point_name",
          "address": "new_point_address"}
ITEM_INPUTS = ("sku", "price", "limit", "cap")


def _save(request: HttpRequest, form: dict, rows: list[dict[str, str]], campaign=None,
          errors: dict[str, str] | None = None):
    """Create or update the campaign from the form; field problems become messages, and
    are put in `errors` by the service's field names."""
    actor, shop = request.actor, request.actor.shop
    with refusal(request) as refused:
        if form["new_point_name"]:
            point = services.create_pickup_point(
                actor=actor, shop=shop, name=form["new_point_name"],
                address=form["new_point_address"])
            form["points"].append(point.pk)
            form["new_point_name"] = form["new_point_address"] = ""
        fields = {
            "title": form["title"],
            "cut_off_at": parse_local_time(form["cut_off"], shop.timezone, "cut_off_at"),
            "delivery_date": _delivery_date(form["delivery_date"]),
            "fulfilment": form["fulfilment"],
            "pickup_point_ids": form["points"] if form["fulfilment"] == Fulfilment.PICKUP
            else [],
            "rules": form["rules"],
            "items": _items(rows),
        }
        if campaign is None:
            return services.create_campaign(actor=actor, shop=shop, **fields)
        return services.update_campaign(actor=actor, campaign=campaign,
                                        status=form["status"] or None, **fields)
    if errors is not None:
        errors.update(refused.fields)
    return None


def _form_errors(fields: dict[str, str], filled: list[dict[str, str]]) -> dict[str, str]:
    """The refusal's fields by input id: "items.0.price" is the price of the first row
    with a SKU, shown as "price-<its row number>"."""
    errors = {INPUTS.get(name, name): message for name, message in fields.items()
              if not name.startswith("items.")}
    items = (number for number, row in enumerate(filled, 1) if row["sku"])
    for n, number in enumerate(items):
        for name in ITEM_INPUTS:
            if f"items.{n}.{name}" in fields:
                errors[f"{name}-{number}"] = fields[f"items.{n}.{name}"]
    return errors


def _form_page(request: HttpRequest, form: dict, rows: list[dict[str, str]], campaign=None,
               errors: dict[str, str] | None = None):
    shop = request.actor.shop
    filled = [row for row in rows if any(row.values())]
    blank = max(FORM_ROWS - len(filled), len(rows) - len(filled), 1)
    return render(request, "chains/form.html", {
        "campaign": campaign,
        "form": form,
        "rows": filled + [{"sku": "", "price": "", "limit": "", "cap": ""}] * blank,
        "points": selectors.pickup_points_for_shop(shop),
        "fulfilments": Fulfilment.choices,
        "statuses": CampaignStatus.choices,
        "skus": Variant.objects.filter(shop=shop, is_active=True, product__is_active=True)
        .select_related("product").order_by("product__name", "id")[:2000],
        "field_errors": _form_errors(errors or {}, filled),
    })


def _handle_form(request: HttpRequest, form: dict, rows, campaign=None) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        form, rows = _form_from_post(request), _item_rows(request)
        if request.POST.get("op") == "more_rows":
            rows += [{"sku": "", "price": "", "limit": "", "cap": ""}] * FORM_ROWS
        else:
            saved = _save(request, form, rows, campaign, errors)
            if saved:
                messages.success(request, _("Campaign %(title)s saved.") % {
                    "title": saved.title})
                return redirect("chains:detail", campaign_id=saved.pk)
    return _form_page(request, form, rows, campaign, errors)


@staff_view
def campaign_new(request: HttpRequest) -> HttpResponse:
    require(request.actor, "catalog.manage", request.actor.shop)
    shop = request.actor.shop
    tomorrow = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(shop.timezone))
    tomorrow = (tomorrow + dt.timedelta(days=1)).replace(hour=20, minute=0)
    form = {"title": "", "cut_off": tomorrow.strftime("%Y-%m-%dT%H:%M"),
            "delivery_date": (tomorrow.date() + dt.timedelta(days=1)).isoformat(),
            "fulfilment": Fulfilment.PICKUP, "rules": "", "status": "",
            "points": [p.pk for p in selectors.pickup_points_for_shop(shop, active=True)],
            "new_point_name": "", "new_point_address": ""}
    return _handle_form(request, form, [])


@staff_view
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "catalog.manage", shop)
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    zone = zoneinfo.ZoneInfo(shop.timezone)
    form = {
        "title": campaign.title,
        "cut_off": timezone.localtime(campaign.cut_off_at, zone).strftime("%Y-%m-%dT%H:%M"),
        "delivery_date": campaign.delivery_date.isoformat() if campaign.delivery_date else "",
        "fulfilment": campaign.fulfilment, "rules": campaign.rules, "status": campaign.status,
        "points": [p.pk for p in selectors.campaign_points(campaign)],
        "new_point_name": "", "new_point_address": "",
    }
    rows = [
        {"sku": item.variant.sku, "price": format_yuan(item.price_cents),
         "limit": str(item.per_person_limit or ""), "cap": str(item.total_cap or "")}
        for item in selectors.campaign_items(campaign)
    ]
    return _handle_form(request, form, rows, campaign)


@staff_view
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    items = selectors.campaign_items(campaign)
    drafts = ChainImport.objects.filter(shop=shop, campaign=campaign).only(
        "pk", "status", "created_at", "created_by", "result")[:10]
    return render(request, "chains/detail.html", {
        "campaign": campaign,
        "cut_off": shop_time(shop, campaign.cut_off_at),
        "is_taking_entries": accepts_new_entries(campaign),
        "items": items,
        "points": selectors.campaign_points(campaign),
        "chain_text": chain_text(campaign),
        "join_link": request.build_absolute_uri(
            reverse("join:page", args=[campaign.join_token])),
        "entries": list(selectors.entries_of_campaign(campaign)[:500]),
        "imports": [{"draft": d, "at": shop_time(shop, d.created_at)} for d in drafts],
        "can_import": role_allows(actor.role, "orders.create"),
        "can_manage": role_allows(actor.role, "catalog.manage"),
        "can_batch": role_allows(actor.role, "orders.transition"),
        "history": visible_history(actor, history_for(shop, audit.CAMPAIGN, campaign.pk)),
    })


# What the pickup point forms keep of what was typed, at most (the service says what fits).
POINT_INPUTS = {"name": 300, "address": 300, "aliases": 2000}


@staff_view
def pickup_points(request: HttpRequest) -> HttpResponse:
    """The shop's pickup points, each editable, and a form for a new one. A refused form
    is shown again as typed, each field's message at its input; the other forms are as
    saved."""
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    form = dict.fromkeys(POINT_INPUTS, "")
    edited: dict = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        require(actor, "catalog.manage", shop)
        typed = {key: request.POST.get(key, "").strip()[:most]
                 for key, most in POINT_INPUTS.items()}
        point_id = request.POST.get("point_id", "")
        if point_id.isdigit():
            point = selectors.pickup_point_in_shop(shop, int(point_id))
            is_active = request.POST.get("is_active") == "on"
            if attempt(request, lambda: services.update_pickup_point(
                actor=actor, point=point, name=typed["name"], address=typed["address"],
                aliases=typed["aliases"], is_active=is_active,
            ), _("Pickup point saved."), errors=errors,
                inputs={key: f"{key}-{point.pk}" for key in POINT_INPUTS}):
                return redirect("chains:points")
            edited = {"pk": point.pk, **typed, "is_active": is_active}
        else:
            form = typed
            if attempt(request, lambda: services.create_pickup_point(
                actor=actor, shop=shop, name=typed["name"], address=typed["address"],
                aliases=typed["aliases"],
            ), _("Pickup point added."), errors=errors):
                return redirect("chains:points")
    return render(request, "chains/points.html", {
        # Each point with the values its form shows: as typed for the refused one.
        "points": [
            {"point": point, "name": point.name, "address": point.address,
             "aliases": "|".join(point.aliases), "is_active": point.is_active,
             **(edited if point.pk == edited.get("pk") else {})}
            for point in selectors.pickup_points_for_shop(shop)
        ],
        "form": form,
        "can_manage": role_allows(actor.role, "catalog.manage"),
        "field_errors": errors,
    })
