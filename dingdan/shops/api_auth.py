"""API authentication: a shop's API token, or the logged-in user's session (with CSRF).

Either way the request ends up with an `Actor` for exactly one shop in `request.auth`."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer

from dingdan.errors import AuthenticationFailed, NotFound
from dingdan.shops import selectors
from dingdan.shops.actors import Actor
from dingdan.shops.context import staff_actor

SHOP_HEADER = "X-Shop"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token decides the shop and the role."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        api_token = selectors.active_token_for_secret(token.strip())
        if api_token is None:
            raise AuthenticationFailed(
                _("The API token is unknown or has been revoked."), code="invalid_token"
            )
        wanted = request.headers.get(SHOP_HEADER)
        if wanted and wanted != api_token.shop.slug:
            raise NotFound(_("Shop not found."), code="shop_not_found")
        return Actor.api(api_token)


class SessionAuth(APIKeyCookie):
    """The merchant UI's login works for the API too; the shop is the `X-Shop` header's,
    else the one chosen in the UI."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        return staff_actor(request, slug=request.headers.get(SHOP_HEADER) or None)
