"""The audit log page: every change to the shop's products, stock, customers, staff, tokens,
settings and group buys, newest first, filtered by who, what, action and dates."""

import datetime as dt
import zoneinfo

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from dingdan.shops import audit_selectors, selectors
from dingdan.shops.audit_text import action_label, object_type_label, present
from dingdan.shops.permissions import require
from dingdan.ui.decorators import staff_view

PAGE_SIZE = 50


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _start_of(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def _who(text: str) -> tuple[int | None, int | None]:
    """"user:5" or "token:3" → (user id, token id)."""
    kind, _sep, number = text.partition(":")
    if not number.isdigit():
        return None, None
    return (int(number), None) if kind == "user" else (None, int(number)) if kind == "token" \
        else (None, None)


@staff_view
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    shop = actor.shop
    require(actor, "audit.view", shop)
    zone = zoneinfo.ZoneInfo(shop.timezone)
    form = {key: request.GET.get(key, "").strip()[:40]
            for key in ("who", "what", "action", "since", "until")}
    user_id, token_id = _who(form["who"])
    since, until = _date(form["since"]), _date(form["until"])
    records = audit_selectors.audit_for_shop(
        shop,
        actor_user_id=user_id,
        actor_token_id=token_id,
        object_type=form["what"] or None,
        action=form["action"] or None,
        since=_start_of(since, zone) if since else None,
        until=_start_of(until + dt.timedelta(days=1), zone) if until else None,
    ).select_related("actor_user", "actor_token")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in form.items() if value})
    return render(request, "web/audit.html", {
        "form": form,
        "page": page,
        "entries": present(page.object_list, actor),
        "query": query,
        "people": [(f"user:{m.user_id}", m.user.get_username())
                   for m in selectors.members_for_shop(shop)],
        "tokens": [(f"token:{t.pk}", t.name)
                   for t in selectors.tokens_for_shop(shop, include_revoked=True)],
        "object_types": [(value, object_type_label(value))
                         for value in audit_selectors.object_types_in_use(shop)],
        "actions": [(value, action_label(value))
                    for value in audit_selectors.actions_in_use(shop)],
    })
