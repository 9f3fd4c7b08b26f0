"""Reads for shops, staff and tokens, always scoped to one shop or one user."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound
from dingdan.shops.models import ApiToken, Membership, Shop
from dingdan.shops.tokens import hash_secret

# A token's last use is written at most this often, so reads don't each become a write.
LAST_USED_RESOLUTION_SECONDS = 60


def memberships_for_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("shop").order_by("shop__name")


def membership_in_shop(user, *, slug: str | None = None, shop_id: int | None = None) -> Membership:
    """The user's membership of one shop; a shop they don't work in is simply not found."""
    memberships = memberships_for_user(user)
    if slug is not None:
        memberships = memberships.filter(shop__slug=slug)
    if shop_id is not None:
        memberships = memberships.filter(shop_id=shop_id)
    membership = memberships.first()
    if membership is None:
        raise NotFound(_("Shop not found."), code="shop_not_found")
    return membership


def members_for_shop(shop: Shop) -> QuerySet[Membership]:
    return Membership.objects.filter(shop=shop).select_related("user").order_by("id")


def member_in_shop(shop: Shop, member_id: int) -> Membership:
    member = members_for_shop(shop).filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Staff member not found."), code="member_not_found")
    return member


def tokens_for_shop(shop: Shop, *, include_revoked: bool = False) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.filter(shop=shop)
    if not include_revoked:
        tokens = tokens.filter(revoked_at__isnull=True)
    return tokens


def token_in_shop(shop: Shop, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(shop=shop, pk=token_id).first()
    if token is None:
        raise NotFound(_("API token not found."), code="token_not_found")
    return token


def active_token_for_secret(secret: str) -> ApiToken | None:
    """The live token a secret belongs to, or None; notes when it was last used."""
    token = (
        ApiToken.objects.select_related("shop")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = token.last_used_at is None or (
        (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    )
    if stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
