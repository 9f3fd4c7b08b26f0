"""The shop a logged-in staff member is working in, chosen with the shop switcher."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dingdan.errors import PermissionDenied
from dingdan.shops import selectors
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership

SESSION_KEY = "dingdan_shop_id"


def current_membership(request: HttpRequest, *, slug: str | None = None) -> Membership:
    """The membership named by `slug`, else the session's choice, else the user's first shop."""
    user = request.user
    if slug:
        return selectors.membership_in_shop(user, slug=slug)
    shop_id = request.session.get(SESSION_KEY)
    if shop_id is not None:
        membership = selectors.memberships_for_user(user).filter(shop_id=shop_id).first()
        if membership is not None:
            return membership
    membership = selectors.memberships_for_user(user).first()
    if membership is None:
        raise PermissionDenied(
            _("Your account does not work in any shop yet; ask a shop owner to add you."),
            code="no_shop",
        )
    return membership


def staff_actor(request: HttpRequest, *, slug: str | None = None) -> Actor:
    return Actor.staff(current_membership(request, slug=slug))


def choose_shop(request: HttpRequest, slug: str) -> Membership:
    """Switch the session to another of the user's shops; a foreign shop is not found."""
    membership = selectors.membership_in_shop(request.user, slug=slug)
    request.session[SESSION_KEY] = membership.shop_id
    return membership
