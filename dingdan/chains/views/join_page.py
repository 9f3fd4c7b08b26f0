"""A campaign's public join page at /join/<token>/: the customer picks quantities, gives a
name, phone and pickup point (or address) and joins; the order's own page opens next. No
login: the link is the key. Rate limited per client, CSRF-protected like every form; a
wrong or replaced token is a plain 404. Staff replace the link from the campaign page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dingdan import ratelimit
from dingdan.chains.models import Campaign, Fulfilment
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors import join_page as offer
from dingdan.chains.services import joining
from dingdan.chains.services.campaigns import accepts_new_entries
from dingdan.errors import InvalidInput, NotFound
from dingdan.localtime import shop_time
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number

# Every request to a join page (a wrong token too) counts; joining counts once more.
PAGE_RATE = ratelimit.Rate("join-page", requests=60, seconds=60)
JOIN_RATE = ratelimit.Rate("join-submit", requests=10, seconds=60)
# The service's field -> the form's input.
INPUTS = {"pickup_point": "point"}


@require_http_methods(["GET", "POST"])
def join_page(request: HttpRequest, token: str) -> HttpResponse:
    client = ratelimit.client_address(request)
    wait = ratelimit.take(PAGE_RATE, client)
    if not wait and request.method == "POST":
        wait = ratelimit.take(JOIN_RATE, client)
    if wait:
        return _too_many(request, wait)
    try:
        campaign = offer.campaign_for_join_link(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    offered = offer.offered_items(campaign)
    typed, field_errors, problem, status = {}, {}, "", 200
    if request.method == "POST":
        typed = request.POST
        with refusal() as refused:
            order = joining.join_campaign(campaign=campaign, **_form(request, offered))
            done = reverse("storefront:order", args=[order.link_token])
            return redirect(f"{done}?done=joined")
        problem, status = refused.message, refused.status
        field_errors = _field_errors(refused.fields, offered)
        campaign.refresh_from_db()
        offered = offer.offered_items(campaign)
    response = render(request, "chains/join.html",
                      _context(campaign, offered, typed, field_errors, problem), status=status)
    response["Referrer-Policy"] = "same-origin"  # the link never leaks to other sites
    response["X-Robots-Tag"] = "noindex"
    return response


def _form(request: HttpRequest, offered: list[offer.OfferedItem]) -> dict:
    post = request.POST
    quantities = {}
    for row in offered:
        text = post.get(f"qty-{row.item.pk}", "")
        try:
            quantities[row.item.variant.sku] = parse_whole_number(
                text, f"qty-{row.item.pk}", required=False) or 0
        except InvalidInput:
            quantities[row.item.variant.sku] = text  # the service names the field
    point = post.get("point", "")
    return {
        "customer": post.get("customer", "")[:200],
        "phone": post.get("phone", "")[:40],
        "quantities": quantities,
        "pickup_point_id": int(point) if point.isdigit() else None,
        "address": post.get("address", "")[:400],
    }


def _field_errors(fields: dict[str, str], offered: list[offer.OfferedItem]) -> dict[str, str]:
    inputs = {f"items.{row.item.variant.sku}": f"qty-{row.item.pk}" for row in offered}
    errors: dict[str, str] = {}
    for name, message in fields.items():
        errors.setdefault(inputs.get(name) or INPUTS.get(name, name), message)
    return errors


def countdown(seconds: int) -> str:
    """"2天 03:15:20" / "2 d 03:15:20"; the page's script counts down in the same format."""
    seconds = max(int(seconds), 0)
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{_('{d} d').replace('{d}', str(days))} {clock}" if days else clock


def _context(campaign: Campaign, offered, typed, field_errors: dict, problem: str) -> dict:
    shop = campaign.shop
    now = timezone.now()
    is_open = accepts_new_entries(campaign, now)
    left = int((campaign.cut_off_at - now).total_seconds())
    points = selectors.campaign_points(campaign) if campaign.fulfilment == Fulfilment.PICKUP \
        else []
    chosen_point = typed.get("point", str(points[0].pk) if len(points) == 1 else "")
    return {
        "campaign": campaign,
        "shop": shop,
        "is_open": is_open,
        "cut_off": shop_time(shop, campaign.cut_off_at),
        "seconds_left": max(left, 0),
        "countdown": countdown(left),
        "days_format": _("{d} d"),
        "rules": [line.strip() for line in campaign.rules.splitlines() if line.strip()],
        "rows": [{"offered": row, "input": f"qty-{row.item.pk}",
                  "quantity": typed.get(f"qty-{row.item.pk}", "")} for row in offered],
        "points": points,
        "chosen_point": chosen_point,
        "customer": typed.get("customer", ""),
        "phone": typed.get("phone", ""),
        "address": typed.get("address", ""),
        "field_errors": field_errors,
        "problem": problem,
    }


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "chains/join_busy.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


# -- for staff: the link on the campaign page -------------------------------------------------


@require_POST
@staff_view
def rotate_join_link(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "catalog.manage", shop)
    campaign = selectors.campaign_in_shop(shop, campaign_id)
    attempt(request, lambda: joining.rotate_join_link(actor=actor, campaign=campaign),
            _("A new join link is ready; the old one no longer opens the page."))
    return redirect("chains:detail", campaign_id=campaign.pk)
