"""REST endpoints for the current shop, its staff and its API tokens."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import ValidationError
from pydantic import ValidationError as ShapeError

from dingdan.api.errors import with_errors
from dingdan.errors import InvalidInput
from dingdan.shops import selectors
from dingdan.shops.config import ShopSettings, shop_settings
from dingdan.shops.models import Membership
from dingdan.shops.permissions import MATRIX, require
from dingdan.shops.schemas import (
    MemberCreated,
    MemberIn,
    MemberOut,
    MemberPatch,
    MeOut,
    ShopOut,
    ShopPatch,
    ShopSettingsShape,
    TokenCreated,
    TokenIn,
    TokenOut,
    settings_patch_body,
)
from dingdan.shops.services import shops as services

router = Router(tags=["shop"])


def _member_out(member: Membership) -> dict:
    return {
        "id": member.pk,
        "username": member.user.get_username(),
        "email": member.user.email,
        "role": member.role,
        "created_at": member.created_at,
    }


@router.get("/me", response=with_errors(MeOut))
def who_am_i(request: HttpRequest):
    """Who is calling, in which shop, with which role and permissions."""
    actor = request.auth
    if actor.user is not None:
        shops = [m.shop for m in selectors.memberships_for_user(actor.user)]
    else:
        shops = [actor.shop]
    return {
        "actor": actor.kind,
        "username": actor.user.get_username() if actor.user else None,
        "token_name": actor.token.name if actor.token else None,
        "shop": actor.shop,
        "role": actor.role,
        "permissions": sorted(MATRIX[actor.role]),
        "shops": shops,
    }


@router.get("/shop", response=with_errors(ShopOut))
def get_shop(request: HttpRequest):
    actor = request.auth
    require(actor, "shop.view", actor.shop)
    return actor.shop


@router.patch("/shop", response=with_errors(ShopOut))
def patch_shop(request: HttpRequest, payload: ShopPatch):
    actor = request.auth
    return services.update_shop(
        actor=actor, shop=actor.shop, name=payload.name, timezone_name=payload.timezone,
        allow_backorders=payload.allow_backorders,
    )


@router.get("/shop/settings", response=with_errors(ShopSettings))
def get_shop_settings(request: HttpRequest):
    """Every setting of the shop, with its current value."""
    actor = request.auth
    require(actor, "shop.view", actor.shop)
    return shop_settings(actor.shop)


@router.patch(
    "/shop/settings", response=with_errors(ShopSettings),
    openapi_extra={"requestBody": settings_patch_body()},
)
def patch_shop_settings(request: HttpRequest):
    """Change some settings; the answer is all of them. An unknown key or a bad value
    changes nothing and answers 400 `validation_error`, naming each key in `fields`."""
    actor = request.auth
    try:
        changes = json.loads(request.body or b"{}")
    except ValueError:
        raise InvalidInput(_("The request body is not valid JSON."), code="invalid_json") from None
    if isinstance(changes, dict):
        try:
            ShopSettingsShape.model_validate(changes)
        except ShapeError as exc:
            raise ValidationError(exc.errors(include_url=False)) from None
    return services.update_shop_settings(actor=actor, shop=actor.shop, changes=changes)


@router.get("/shop/members", response=with_errors(list[MemberOut]), tags=["staff"])
def list_members(request: HttpRequest):
    actor = request.auth
    require(actor, "members.view", actor.shop)
    return [_member_out(m) for m in selectors.members_for_shop(actor.shop)]


@router.post("/shop/members", response=with_errors({201: MemberCreated}, 409), tags=["staff"])
def add_member(request: HttpRequest, payload: MemberIn):
    actor = request.auth
    member, password = services.add_member(
        actor=actor, shop=actor.shop, email=payload.email, role=payload.role
    )
    return Status(201, {**_member_out(member), "initial_password": password})


@router.patch(
    "/shop/members/{member_id}", response=with_errors(MemberOut, 409), tags=["staff"]
)
def change_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    actor = request.auth
    require(actor, "members.manage", actor.shop)
    member = selectors.member_in_shop(actor.shop, member_id)
    member = services.change_member_role(
        actor=actor, shop=actor.shop, membership=member, role=payload.role
    )
    return _member_out(member)


@router.delete(
    "/shop/members/{member_id}", response=with_errors({204: None}, 409), tags=["staff"]
)
def remove_member(request: HttpRequest, member_id: int):
    actor = request.auth
    require(actor, "members.manage", actor.shop)
    member = selectors.member_in_shop(actor.shop, member_id)
    services.remove_member(actor=actor, shop=actor.shop, membership=member)
    return Status(204, None)


@router.get("/tokens", response=with_errors(list[TokenOut]), tags=["tokens"])
def list_tokens(request: HttpRequest, include_revoked: bool = False):
    actor = request.auth
    require(actor, "tokens.manage", actor.shop)
    return list(selectors.tokens_for_shop(actor.shop, include_revoked=include_revoked))


@router.post("/tokens", response=with_errors({201: TokenCreated}), tags=["tokens"])
def create_token(request: HttpRequest, payload: TokenIn):
    """The secret is in this answer only; store it now."""
    actor = request.auth
    token, secret = services.create_token(
        actor=actor, shop=actor.shop, name=payload.name, role=payload.role
    )
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", response=with_errors(TokenOut), tags=["tokens"])
def revoke_token(request: HttpRequest, token_id: int):
    actor = request.auth
    require(actor, "tokens.manage", actor.shop)
    token = selectors.token_in_shop(actor.shop, token_id)
    return services.revoke_token(actor=actor, shop=actor.shop, token=token)
