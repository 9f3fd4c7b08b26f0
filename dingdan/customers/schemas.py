"""API shapes for customers. Clients we don't control rely on these names: change with care."""

from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationError, field_validator

from dingdan.customers.models import (
    CHANNEL_MAX,
    CITY_MAX,
    DETAIL_MAX,
    DISTRICT_MAX,
    EXTERNAL_ID_MAX,
    NAME_MAX,
    NOTE_MAX,
    PROVINCE_MAX,
    TAG_MAX,
)

PHONE_INPUT_MAX = 32
ADDRESS_LINE_MAX = 300
MAX_TAGS = 20
MAX_IDENTITIES = 20

TagName = Annotated[str, Field(min_length=1, max_length=TAG_MAX)]


class AddressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    province: str = Field("", max_length=PROVINCE_MAX)
    city: str = Field("", max_length=CITY_MAX)
    district: str = Field("", max_length=DISTRICT_MAX)
    detail: str = Field("", max_length=DETAIL_MAX)


class IdentityIn(Schema):
    channel: str = Field(..., min_length=1, max_length=CHANNEL_MAX, examples=["wechat"])
    external_id: str = Field(..., min_length=1, max_length=EXTERNAL_ID_MAX)


def _address_input(value: Any) -> Any:
    """One pasted line or an object of parts. Checked here so that a refusal names the field
    `address` (a plain union would report it under the name of each alternative)."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > ADDRESS_LINE_MAX:
            raise ValueError(_("Must be at most %(n)s characters.") % {"n": ADDRESS_LINE_MAX})
        return value
    if isinstance(value, dict):
        try:
            return AddressIn.model_validate(value)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                raise ValueError(
                    _("Unknown address field %(field)s; use province, city, district, detail.")
                    % {"field": where}
                ) from None
            if error["type"] == "string_too_long":
                raise ValueError(
                    _("%(field)s: must be at most %(n)s characters.")
                    % {"field": where, "n": error["ctx"]["max_length"]}
                ) from None
            raise ValueError(_("%(field)s: must be text.") % {"field": where}) from None
    raise ValueError(
        _("Must be one pasted line of text or an object with province, city, district, detail.")
    )


class CustomerIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX, examples=["王芳"])
    phone: str | None = Field(None, max_length=PHONE_INPUT_MAX, examples=["138 0013 8000"])
    address: str | AddressIn | None = Field(
        None,
        examples=["广东省深圳市南山区科技园路1号"],
        description="One pasted line or its parts.",
    )
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS, examples=[["VIP"]])
    note: str | None = Field("", max_length=NOTE_MAX)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=MAX_IDENTITIES)

    @field_validator("address", mode="before")
    @classmethod
    def _one_line_or_parts(cls, value: Any) -> Any:
        return _address_input(value)


class CustomerPatch(Schema):
    """Only the fields sent change. `phone` empty or null removes it; `tags` replaces all."""

    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    phone: str | None = Field(None, max_length=PHONE_INPUT_MAX)
    note: str | None = Field(None, max_length=NOTE_MAX)
    tags: list[TagName] | None = Field(None, max_length=MAX_TAGS)


class MergeIn(Schema):
    merge_id: int = Field(..., description="The duplicate to fold into this customer.")


class AddressOut(Schema):
    id: int
    province: str
    city: str
    district: str
    detail: str
    is_default: bool


class IdentityOut(Schema):
    channel: str
    external_id: str


class CustomerOut(Schema):
    id: int
    name: str
    phone: str | None
    addresses: list[AddressOut]
    tags: list[str]
    note: str
    identities: list[IdentityOut]
    created_at: datetime


class SummaryOut(Schema):
    orders_count: int
    spend_cents: int
    last_order_at: datetime | None


class CustomerDetailOut(CustomerOut):
    summary: SummaryOut
