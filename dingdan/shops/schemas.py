"""API shapes for shops, staff and tokens."""

from datetime import datetime
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, create_model

from dingdan.shops.config import ShopSettings, shop_settings
from dingdan.shops.models import Role


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


# PATCH /shop/settings: any of the settings; the body is read by the service, so an unknown
# key or a bad value answers 400 naming it. This model only documents the body.
ShopSettingsPatch = create_model(
    "ShopSettingsPatch",
    __doc__="Some of the shop's settings; the others keep their values. null resets a "
            "setting to its default; inside `shipping`, keys merge into the current rules.",
    **{
        name: (info.annotation | None, Field(None, title=info.title,
                                             description=info.description))
        for name, info in ShopSettings.model_fields.items()
    },
)


def settings_patch_body() -> dict[str, Any]:
    """The OpenAPI request body of PATCH /shop/settings."""
    schema = ShopSettingsPatch.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)  # ShippingRules is in the document by the answer's schema
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _json_type(annotation: Any) -> Any:
    """The JSON type behind a setting's type: a choice is text, a range is a whole number."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _shape_of(annotation, extra="forbid")
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return str
    if origin is Annotated:
        return _json_type(args[0])
    if origin is dict:
        return dict[str, _json_type(args[1]) | None]
    if origin in (Union, UnionType):
        return Union[tuple(_json_type(arg) for arg in args if arg is not NoneType)]  # noqa: UP007
    return annotation


def _shape_of(model: type[BaseModel], *, extra: str) -> type[BaseModel]:
    return create_model(
        f"{model.__name__}Shape",
        __config__=ConfigDict(strict=True, extra=extra),
        **{name: (_json_type(info.annotation) | None, None)
           for name, info in model.model_fields.items()},
    )


# Like every other body, a value of the wrong JSON type answers 422; what the values mean
# (a choice, a range, an unknown setting) is the service's to judge, with a 400.
ShopSettingsShape = _shape_of(ShopSettings, extra="allow")
