"""API shapes for shops, staff and tokens."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from .config import shop_settings
from .models import Role


class ShopOut(Schema):
    id: int
    slug: str
    name: str
    currency: str
    timezone: str
    allow_backorders: bool

    @staticmethod
    def resolve_allow_backorders(shop) -> bool:
        return shop_settings(shop).allow_backorders


class ShopPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    timezone: str | None = Field(None, min_length=1, max_length=64)
    allow_backorders: bool | None = None


class MeOut(Schema):
    actor: str
    username: str | None
    token_name: str | None
    shop: ShopOut
    role: Role
    permissions: list[str]
    shops: list[ShopOut]


class MemberOut(Schema):
    id: int
    username: str
    email: str
    role: Role
    created_at: datetime


class MemberIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    role: Role


class MemberCreated(MemberOut):
    initial_password: str | None = None


class MemberPatch(Schema):
    role: Role


class TokenOut(Schema):
    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    role: Role


class TokenCreated(TokenOut):
    token: str
