"""Template context for the back-office shell: current shop, the user's shops, navigation."""

from django.http import HttpRequest
from django.urls import reverse

from dingdan.shops import selectors
from dingdan.shops.permissions import role_allows

from .nav import NAV


def shell(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    items = []
    for item in NAV:
        if role_allows(actor.role, item.action):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": request.path == url})
    return {
        "actor": actor,
        "current_shop": actor.shop,
        "my_shops": [m.shop for m in selectors.memberships_for_user(request.user)],
        "nav_items": items,
    }
