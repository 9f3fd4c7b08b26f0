"""A shop's settings, typed: what each one means, its default, what it may hold and where
it shows on the settings page. `shop_settings(shop)` is the one way to read them.

They live in the shop's `settings` JSON, except the time zone, which is a column of its own.
Reading forgives what older versions stored (`requires_prepayment: true` is prepayment
terms, a value that no longer validates falls back to its default); writing, through
`shops.services.update_shop_settings`, forgives nothing.

Labels and help texts are marked with `gettext_noop`: English in the OpenAPI document,
translated when a page shows them (`label()`, `help_text()`)."""

import string
import zoneinfo
from functools import cache
from typing import Annotated, Any, Literal

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

MAX_FEE_CENTS = 10_000_000  # ¥100,000.00: a shipping fee beyond is a typing slip
MAX_THRESHOLD_CENTS = 1_000_000_000  # ¥10,000,000.00
MAX_NUMBER_LENGTH = 40  # Order.number
DEFAULT_PATTERN = "{date}-{seq:04d}"
DEFAULT_TIMEZONE = "Asia/Shanghai"

# What an order number pattern may hold, with an example value of each.
PATTERN_TOKENS: dict[str, Any] = {"date": "20261122", "time": "153045", "seq": 1, "rand": "1234"}
UNIQUE_TOKENS = ("seq", "rand")  # one of them keeps two numbers of a day apart

# The order's delivery methods (orders.models.DeliveryMethod; shops sit below orders).
DELIVERY_METHODS = {
    "express": _("Express delivery"),
    "local": _("Local delivery"),
    "pickup": _("Self-pickup"),
    "service": _("Service appointment"),
}
DeliveryMethodName = Literal["express", "local", "pickup", "service"]
Fee = Annotated[int, Field(ge=0, le=MAX_FEE_CENTS)]

GROUPS = {
    "payment": _("Payment terms"),
    "numbering": _("Order numbers"),
    "shipping": _("Shipping fee"),
    "tax": _("Tax"),
    "stock": _("Stock"),
    "region": _("Language and time zone"),
}

CHOICE_LABELS = {
    "payment_terms": {
        "prepayment": _("Payment first: orders wait for payment (待付款) before you confirm them"),
        "on_delivery": _("Payment on delivery"),
        "credit": _("On credit: the customer pays within the credit days"),
    },
    "order_number_scheme": {
        "timestamp": _("Date and time with 4 random digits, e.g. 2611221530451234"),
        "daily": _("Date and a serial that restarts every day, e.g. 20261122-0001"),
        "pattern": _("My own pattern"),
    },
    "reserve_stock_on": {
        "placement": _("When the order arrives"),
        "acceptance": _("When I accept the order"),
    },
    "language": {"zh-hans": "简体中文", "en": "English"},
}


def setting(default: Any, *, group: str, title: str, description: str, **constraints) -> Any:
    """A field of ShopSettings: its default, page group, label and help (both gettext_noop)."""
    return Field(default, title=title, description=description,
                 json_schema_extra={"x-group": group}, **constraints)


# Unknown keys are refused; every key is in an answer, so the answer's schema requires them.
MODEL_CONFIG = ConfigDict(
    frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def pattern_problem(pattern: str) -> str | None:
    """Why an order number pattern cannot be used, or None when it can."""
    allowed = ", ".join("{" + token + "}" for token in PATTERN_TOKENS)
    refusal = gettext(
        "A pattern may hold only %(tokens)s (e.g. {seq:04d} for a 4-digit serial) and "
        "must hold {seq} or {rand}."
    ) % {"tokens": allowed}
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return refusal
    names = set()
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PATTERN_TOKENS or conversion or "{" in (spec or ""):
            return refusal
        names.add(name)
    if not names & set(UNIQUE_TOKENS):
        return refusal
    try:
        example = pattern.format(**{**PATTERN_TOKENS, "seq": 9999})
    except (ValueError, TypeError):
        return refusal
    if len(example) > MAX_NUMBER_LENGTH or not example.strip():
        return gettext("An order number has at most %(n)d characters; this pattern makes "
                       "%(example)s.") % {"n": MAX_NUMBER_LENGTH, "example": example}
    return None


class ShippingRules(BaseModel):
    """The fee per order: a flat fee, one per delivery method, free above an amount."""

    model_config = MODEL_CONFIG

    flat_cents: int = Field(
        0, ge=0, le=MAX_FEE_CENTS, title=gettext_noop("Flat fee"),
        description=gettext_noop("Charged for express and local delivery, in fen (0 = free)."),
    )
    free_over_cents: int | None = Field(
        None, ge=0, le=MAX_THRESHOLD_CENTS, title=gettext_noop("Free from"),
        description=gettext_noop(
            "Orders whose goods come to this amount or more ship free, in fen; empty: never free."
        ),
    )
    by_method: dict[DeliveryMethodName, Fee] = Field(
        default_factory=dict, title=gettext_noop("Fee per delivery method"),
        description=gettext_noop("A fee in fen for a delivery method (express, local, pickup, "
                         "service) instead of the flat fee; pickup and services are free "
                         "unless set here."),
    )


class ShopSettings(BaseModel):
    """Everything a merchant chooses about how their shop works."""

    model_config = MODEL_CONFIG

    payment_terms: Literal["prepayment", "on_delivery", "credit"] = setting(
        "on_delivery", group="payment", title=gettext_noop("Payment terms"),
        description=gettext_noop("prepayment: customers pay before you confirm, orders start as "
                         "待付款 and ship only when paid; on_delivery: customers pay on "
                         "delivery; credit: customers pay within the credit days."),
    )
    credit_days: int | None = setting(
        None, group="payment", title=gettext_noop("Credit days"), ge=1, le=365,
        validate_default=True,
        description=gettext_noop("With credit terms, the days a customer has to pay (1–365)."),
    )
    accept_paid_orders: bool = setting(
        False, group="payment", title=gettext_noop("Accept orders once paid"),
        description=gettext_noop("With payment first: an order paid in full is accepted at "
                         "once instead of waiting for your confirmation (待确认)."),
    )
    pay_at_pickup: bool = setting(
        False, group="payment", title=gettext_noop("Pay at pickup"),
        description=gettext_noop("With payment first: a customer may collect a self-pickup "
                         "order and pay at the counter; otherwise its pickup code works only "
                         "once the order is paid."),
    )
    payment_instructions: str = setting(
        "", group="payment", title=gettext_noop("How to pay"), max_length=1000,
        description=gettext_noop("Shown to customers on their order link while money is due: "
                         "bank name, account holder and number, your WeChat or Alipay ID."),
    )
    order_number_scheme: Literal["timestamp", "daily", "pattern"] = setting(
        "timestamp", group="numbering", title=gettext_noop("Order number scheme"),
        description=gettext_noop("timestamp: shop time to the second and 4 random digits; daily: "
                         "the date and a serial that restarts every day; pattern: your own "
                         "pattern below."),
    )
    order_number_pattern: str = setting(
        DEFAULT_PATTERN, group="numbering", title=gettext_noop("Order number pattern"),
        description=gettext_noop("For the pattern scheme: text with {date} (20261122), {time} "
                         "(153045), {seq} (the day's serial, {seq:04d} for 4 digits) and "
                         "{rand} (4 random digits); it must hold {seq} or {rand}."),
    )
    shipping: ShippingRules = setting(
        ShippingRules(), group="shipping", title=gettext_noop("Shipping fee"),
        description=gettext_noop("How the shipping fee of an order is worked out."),
    )
    tax_rate_bp: int = setting(
        0, group="tax", title=gettext_noop("Tax rate"), ge=0, le=10_000,
        description=gettext_noop("Tax added to the goods, in basis points: 600 is 6%, 0 none."),
    )
    complete_on_receipt: bool = setting(
        False, group="shipping", title=gettext_noop("Complete orders on receipt"),
        description=gettext_noop("When the customer confirms on their order link that "
                         "everything arrived, the order is completed (已完成) instead of "
                         "delivered (已送达)."),
    )
    reserve_stock_on: Literal["placement", "acceptance"] = setting(
        "placement", group="stock", title=gettext_noop("Reserve stock"),
        description=gettext_noop(
            "placement: stock is held as soon as an order arrives; acceptance: only when you "
            "accept it."
        ),
    )
    allow_backorders: bool = setting(
        False, group="stock", title=gettext_noop("Take orders beyond stock"),
        description=gettext_noop("Orders may ask for more than is in stock: what is missing waits "
                         "and is reserved first when stock arrives."),
    )
    language: Literal["zh-hans", "en"] = setting(
        "zh-hans", group="region", title=gettext_noop("Language"),
        description=gettext_noop("The language of your customer-facing pages, group-buy posts and "
                         "messages to customers."),
    )
    timezone: str = setting(
        DEFAULT_TIMEZONE, group="region", title=gettext_noop("Time zone"),
        description=gettext_noop("The shop's time zone: order numbers, reports and timelines use "
                         "its dates and times."),
    )

    @field_validator("credit_days")
    @classmethod
    def _credit_needs_days(cls, days: int | None, info: ValidationInfo) -> int | None:
        writing = bool(info.context and info.context.get("writing"))
        if writing and days is None and info.data.get("payment_terms") == "credit":
            raise ValueError(gettext("With credit terms, say within how many days "
                                     "(1–365) customers pay."))
        return days

    @field_validator("order_number_pattern")
    @classmethod
    def _pattern_makes_numbers(cls, pattern: str) -> str:
        problem = pattern_problem(pattern)
        if problem:
            raise ValueError(problem)
        return pattern

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        if zone not in _zones():
            raise ValueError(gettext("Unknown time zone: %(zone)s") % {"zone": zone})
        return zone

    @property
    def requires_prepayment(self) -> bool:
        return self.payment_terms == "prepayment"

    @property
    def reserves_at_placement(self) -> bool:
        return self.reserve_stock_on == "placement"

    def stored(self) -> dict[str, Any]:
        """What goes into `Shop.settings` (the time zone has a column of its own)."""
        return self.model_dump(mode="json", exclude={"timezone"})


FIELDS = tuple(ShopSettings.model_fields)
COLUMNS = {"timezone"}
LEGACY_KEYS = {"requires_prepayment"}


def label(name: str):
    return _(ShopSettings.model_fields[name].title)


def help_text(name: str):
    return _(ShopSettings.model_fields[name].description)


def group_of(name: str) -> str:
    return ShopSettings.model_fields[name].json_schema_extra["x-group"]


def _upgraded(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored JSON in today's keys: older shops said `requires_prepayment`, and a missing
    or empty pattern meant the default one."""
    data = {key: value for key, value in stored.items() if key in ShopSettings.model_fields}
    if "payment_terms" not in data and stored.get("requires_prepayment"):
        data["payment_terms"] = "prepayment"
    if not data.get("order_number_pattern"):
        data.pop("order_number_pattern", None)
    language = data.get("language")
    if isinstance(language, str):
        language = language.replace("_", "-").lower()
        data["language"] = "zh-hans" if language.startswith("zh") else language
    return data


def shop_settings(shop) -> ShopSettings:
    """The shop's settings, typed. A stored value that no longer validates is read as its
    default, so an old or hand-edited shop keeps working."""
    stored = shop.settings if isinstance(shop.settings, dict) else {}
    data = {**_upgraded(stored), "timezone": shop.timezone}
    for _attempt in range(len(FIELDS) + 1):
        try:
            return ShopSettings.model_validate(data)
        except ValidationError as exc:
            bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
            if not bad & set(data):
                break
            data = {key: value for key, value in data.items() if key not in bad}
    return ShopSettings()


def validated(current: ShopSettings, changes: dict[str, Any]) -> ShopSettings:
    """`current` with `changes` applied (a partial object; null resets a setting to its
    default, and inside `shipping` changes merge into the rules as in a JSON merge patch).
    Raises ValidationError naming every bad or unknown key."""
    data = current.model_dump()
    for key, value in changes.items():
        if key == "shipping" and isinstance(value, dict):
            data[key] = _merged(data[key], value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return ShopSettings.model_validate(data, strict=True, context={"writing": True})


def _merged(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    result = dict(target)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


def error_fields(exc: ValidationError) -> dict[str, str]:
    """Each bad key of a ValidationError (`shipping.flat_cents` for a nested one) with a
    message in the active language that says what the setting may hold."""
    fields: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"] if part != "[key]"]
        if not loc:
            continue
        if loc[:2] == ["shipping", "by_method"] and len(loc) > 2:
            loc = loc[:3]
        key = ".".join(loc)
        fields.setdefault(key, _message(loc, error))
    return fields


def _message(loc: list[str], error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return gettext("Unknown setting.")
    if loc[0] == "shipping":
        if len(loc) > 2 and loc[2] not in DELIVERY_METHODS:
            return gettext("Unknown delivery method; use one of: %(methods)s.") % {
                "methods": ", ".join(DELIVERY_METHODS)}
        if len(loc) == 1:
            return gettext("Must be an object such as {\"flat_cents\": 800}.")
        if loc[1] == "free_over_cents":
            return gettext("An amount from ¥0.00 to ¥10,000,000.00, or empty for never.")
        return gettext("An amount from ¥0.00 to ¥100,000.00.")
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    name = loc[0]
    if name in CHOICE_LABELS:
        return gettext("Must be one of: %(choices)s.") % {
            "choices": ", ".join(CHOICE_LABELS[name])}
    return {
        "credit_days": lambda: gettext("Credit days are a whole number from 1 to 365."),
        "order_number_pattern": lambda: gettext("The pattern must be text."),
        "payment_instructions": lambda: gettext("Text of at most 1000 characters."),
        "tax_rate_bp": lambda: gettext(
            "The tax rate is from 0% to 100% (0 to 10000 basis points)."),
        "allow_backorders": lambda: gettext("Must be true or false."),
        "pay_at_pickup": lambda: gettext("Must be true or false."),
        "timezone": lambda: gettext("A time zone such as Asia/Shanghai."),
    }.get(name, lambda: gettext("Invalid value."))()
