"""The shop settings page's fields: amounts in 元 and the tax rate in percent on the page,
fen and basis points in the settings. Turns the posted form into `update_shop_settings`
changes, and settings (or a refused post) back into what the fields show."""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dingdan.errors import InvalidInput
from dingdan.money import format_yuan, parse_yuan
from dingdan.shops import config
from dingdan.shops.config import ShopSettings
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number

_UNREADABLE = object()
_PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?$")

# A settings key (as in an error's `fields`) -> the form field that holds it.
METHOD_FIELDS = {method: f"shipping_{method}" for method in config.DELIVERY_METHODS}
INPUT_FOR = {
    "shipping": "shipping_flat",
    "shipping.flat_cents": "shipping_flat",
    "shipping.free_over_cents": "shipping_free_over",
    "tax_rate_bp": "tax_rate",
    **{f"shipping.by_method.{method}": name for method, name in METHOD_FIELDS.items()},
}
SHIPPING_HELP = {
    "shipping_flat": gettext_lazy("Charged for express and local delivery, in yuan (0 = free)."),
    "shipping_free_over": gettext_lazy(
        "Orders whose goods come to this amount or more ship free; empty: never free."),
    "methods": gettext_lazy(
        "A fee in yuan for one delivery method instead of the flat fee; empty: the usual "
        "rule (pickup and services are free)."),
}
TAX_HELP = gettext_lazy("Added on top of the goods, in percent, e.g. 6 or 6.5; 0 for none.")


def values_of(settings: ShopSettings) -> dict[str, str]:
    """What each form field shows for these settings."""
    values = settings.model_dump(mode="json")
    values["credit_days"] = "" if settings.credit_days is None else str(settings.credit_days)
    values["shipping_flat"] = format_yuan(settings.shipping.flat_cents)
    values["shipping_free_over"] = format_yuan(settings.shipping.free_over_cents)
    for method, name in METHOD_FIELDS.items():
        values[name] = format_yuan(settings.shipping.by_method.get(method))
    bp = settings.tax_rate_bp
    values["tax_rate"] = f"{bp // 100}" if bp % 100 == 0 else f"{bp // 100}.{bp % 100:02d}"
    return values


def values_posted(post) -> dict[str, str]:
    """What the merchant typed, to show again when the post is refused."""
    values = {name: post.get(name, "") for name in config.FIELDS}
    for name in ("shipping_flat", "shipping_free_over", "tax_rate", *METHOD_FIELDS.values()):
        values[name] = post.get(name, "")
    values["allow_backorders"] = post.get("allow_backorders") == "on"
    return values


def _percent_as_bp(text: str) -> int:
    cleaned = "".join(unicodedata.normalize("NFKC", str(text or "")).split()).removesuffix("%")
    match = _PERCENT.match(cleaned)
    if match is None:
        message = _("Write the tax rate in percent, e.g. 6 or 6.5 (at most two decimals).")
        raise InvalidInput(message, fields={"tax_rate": message})
    return int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))


def changes_from(post) -> tuple[dict, dict[str, str]]:
    """The settings the form sets and the fields it could not read (by form field).
    A field missing from the post leaves its setting as it is."""
    changes: dict = {}
    errors: dict[str, str] = {}

    def read(name: str, convert):
        with refusal(catch=InvalidInput) as refused:
            return convert(post.get(name, ""))
        errors[name] = refused.messages()[0]
        return _UNREADABLE

    for name in ("payment_terms", "order_number_scheme", "order_number_pattern",
                 "reserve_stock_on", "language", "timezone"):
        if name in post:
            changes[name] = post.get(name, "").strip()
    if "payment_instructions" in post:  # several lines: keep them, trim the ends
        changes["payment_instructions"] = post.get("payment_instructions", "").strip()
    if "credit_days" in post:
        changes["credit_days"] = read(
            "credit_days", lambda text: parse_whole_number(text, "credit_days", required=False))
    if "allow_backorders" in post:  # a hidden "off" before the checkbox, "on" after it
        changes["allow_backorders"] = post.get("allow_backorders") == "on"
    shipping: dict = {}
    if "shipping_flat" in post:
        flat = read("shipping_flat", lambda text: parse_yuan(text, required=False))
        shipping["flat_cents"] = 0 if flat is None else flat
    if "shipping_free_over" in post:
        shipping["free_over_cents"] = read(
            "shipping_free_over", lambda text: parse_yuan(text, required=False))
    by_method = {
        method: read(name, lambda text: parse_yuan(text, required=False))
        for method, name in METHOD_FIELDS.items() if name in post
    }
    if by_method:
        shipping["by_method"] = _readable(by_method)  # None removes a method's own fee
    if shipping:
        changes["shipping"] = _readable(shipping)
    if "tax_rate" in post:
        changes["tax_rate_bp"] = read("tax_rate", _percent_as_bp)
    return _readable(changes), errors


def _readable(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not _UNREADABLE}


def form_errors(fields: dict[str, str]) -> dict[str, str]:
    """A refusal's `fields` (settings keys) by the form field that shows each."""
    return {INPUT_FOR.get(key, key): message for key, message in fields.items()}
