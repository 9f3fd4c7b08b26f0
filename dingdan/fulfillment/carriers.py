"""The carriers a shop ships with, and their tracking numbers as merchants type them.

The common carriers are built in (`CARRIERS`); a shop adds its own (a local courier, a
freight line) as `ShopCarrier` rows, which `find_carrier` and `clean_tracking_number` take
into account. A built-in carrier checks the number's format where the format is known;
the rules lean towards accepting: a merchant kept from shipping by a rule that missed a
real number is worse than a typo that passes (the carrier's tracking page shows it soon
enough). Each rule says where it comes from."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dingdan.errors import InvalidInput

# 快递100 takes numbers of up to 32 characters; no carrier here uses more.
MAX_NUMBER_LENGTH = 32
SHOP_CARRIER_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
NUMBER_PLACEHOLDER = "{number}"
# What people type between groups of a number: spaces (full-width too, once NFKC has run),
# dashes of every width, underscores.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_]")
_KUAIDI100_PAGE = "https://www.kuaidi100.com/chaxun?com={com}&nu={number}"


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    return str(message) % params


# A refusal is shown later, maybe in another language than the one it was raised in: keep
# it lazy, placeholders and all.
_lazy_interpolate = lazy(_interpolate, str)


@dataclass(frozen=True)
class Carrier:
    """A carrier as the shipments code sees it, built in or the shop's own.

    `pattern` is matched against the whole cleaned number; `format_hint` says in the
    user's language what a number looks like. `uppercase`: the format's letters are
    capitals, so "sf1234…" is taken as "SF1234…"."""

    code: str
    name: Any  # a lazy translation for a built-in carrier, the shop's text for its own
    pattern: str | None = None
    format_hint: Any = None
    url_template: str | None = None
    uppercase: bool = False
    is_builtin: bool = False

    def tracking_url(self, number: str) -> str | None:
        """The public page that shows this number's journey, or None when there is none."""
        if not self.url_template or not number:
            return None
        return self.url_template.replace(NUMBER_PLACEHOLDER, quote(number, safe=""))


@dataclass(frozen=True)
class ShopCarrier:
    """A carrier a shop defined itself: the shape its stored row maps onto.

    `pattern` is an optional regular expression the whole number must match (letters as
    the shop wrote them); `url_template` an optional http(s) link with `{number}` in it."""

    code: str
    name: str
    pattern: str | None = None
    url_template: str | None = None

    def as_carrier(self) -> Carrier:
        return Carrier(
            code=self.code,
            name=self.name,
            pattern=self.pattern or None,
            url_template=self.url_template or None,
        )


def _builtin(code: str, name: Any, pattern: str, hint: Any, url: str) -> Carrier:
    return Carrier(
        code=code,
        name=name,
        pattern=pattern,
        format_hint=hint,
        url_template=url,
        uppercase=True,
        is_builtin=True,
    )


def _kuaidi100_page(com: str) -> str:
    """快递100's public query page for one company (its codes are in
    providers/kuaidi100.py's COMPANY_CODES, and a test keeps the two in step)."""
    return _KUAIDI100_PAGE.replace("{com}", com)


CARRIERS: dict[str, Carrier] = {
    carrier.code: carrier
    for carrier in (
        # 顺丰: since 2019 waybills read "SF" + 13 digits (SF1234567890123); a few carry a
        # letter after SF and other lengths are seen, so SF + 12–15 characters; the older
        # waybills are 12 digits (顺丰官网 once allowed only 12 digits). Tracking: SF's own
        # waybill page, which takes the number in its path.
        _builtin(
            "sf",
            _("SF Express"),
            r"SF[0-9A-Z]\d{11,14}|\d{12}",
            _("An SF Express number is SF followed by 12 to 15 digits, or 12 digits."),
            "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}",
        ),
        # 中通: 14 digits starting 73–78 now (e.g. 75 + 12 digits), 12 digits on older
        # waybills; digits only.
        _builtin(
            "zto",
            _("ZTO Express"),
            r"\d{12,15}",
            _("A ZTO Express number has 12 to 15 digits."),
            _kuaidi100_page("zhongtong"),
        ),
        # 圆通: "YT" + 13 digits now (YT6012345678901), seen with 10 to 18 digits after YT;
        # older waybills 10–12 letters and digits, or 88 + 16 (the rule 圆通官网 checked).
        _builtin(
            "yto",
            _("YTO Express"),
            r"YT\d{10,18}|[0-9A-Z]{10,12}|88[0-9A-Z]{16}",
            _("A YTO Express number is YT followed by 10 to 18 digits, or 10 to 12 letters "
              "and digits."),
            _kuaidi100_page("yuantong"),
        ),
        # 韵达: 15 digits starting 3 or 4 now, 13 digits on older waybills (韵达官网: 13).
        _builtin(
            "yunda",
            _("Yunda Express"),
            r"\d{13,15}",
            _("A Yunda Express number has 13 to 15 digits."),
            _kuaidi100_page("yunda"),
        ),
        # 申通: 77 or 43 + 12–15 digits now (773012345678901), 12–13 digits on older ones.
        _builtin(
            "sto",
            _("STO Express"),
            r"\d{12,17}",
            _("An STO Express number has 12 to 17 digits."),
            _kuaidi100_page("shentong"),
        ),
        # 极兔: "JT" + 13 digits (JT0001234567890); a digit more or less is allowed.
        _builtin(
            "jt",
            _("J&T Express"),
            r"JT\d{12,15}",
            _("A J&T Express number is JT followed by 12 to 15 digits."),
            _kuaidi100_page("jtexpress"),
        ),
        # 京东: "JD" + 13 letters and digits (JDVA01234567890, JDX012345678901, JD0…),
        # allowed 11–16; older waybills VA/VB + 11 digits or 10–13 digits.
        _builtin(
            "jd",
            _("JD Logistics"),
            r"JD[0-9A-Z]{11,16}|V[A-Z]\d{11}|\d{10,13}",
            _("A JD Logistics number is JD followed by 11 to 16 letters and digits, "
              "e.g. JDVA01234567890."),
            _kuaidi100_page("jd"),
        ),
        # 邮政/EMS: 13 digits at home (EMS 1…, 邮政快递包裹 9…; EMS's query takes 13
        # characters), P + letter + 11 digits, and the UPU S10 form abroad (EA123456789CN).
        _builtin(
            "ems",
            _("China Post / EMS"),
            r"\d{13}|P[A-Z]\d{11}|[A-Z]{2}\d{9}[A-Z]{2}",
            _("A China Post / EMS number has 13 digits, or is in the international form "
              "such as EA123456789CN."),
            _kuaidi100_page("ems"),
        ),
        # 德邦: "DPK" + 12 digits now (DPK300123456789), allowed 10–13; older waybills
        # 8–10 digits (德邦官网), allowed 8–12.
        _builtin(
            "deppon",
            _("Deppon Express"),
            r"DPK\d{10,13}|\d{8,12}",
            _("A Deppon Express number is DPK followed by 10 to 13 digits, or 8 to 12 "
              "digits."),
            _kuaidi100_page("debangwuliu"),
        ),
    )
}


def find_carrier(code: str, shop_carriers: Iterable[ShopCarrier] = ()) -> Carrier:
    """The built-in carrier with `code`, else the shop's own; InvalidInput on `carrier`
    when neither has it."""
    wanted = (code or "").strip().lower()
    if wanted in CARRIERS:
        return CARRIERS[wanted]
    for shop_carrier in shop_carriers:
        if shop_carrier.code == wanted:
            return shop_carrier.as_carrier()
    message = _lazy_interpolate(
        _("Unknown carrier: %(code)s"), {"code": (code or "").strip()[:40] or "-"}
    )
    raise InvalidInput(message, fields={"carrier": message})


def carrier_choices(shop_carriers: Iterable[ShopCarrier] = ()) -> list[tuple[str, Any]]:
    """(code, name) of every carrier a shop may pick: the built-in ones, then its own."""
    return [(carrier.code, carrier.name) for carrier in CARRIERS.values()] + [
        (carrier.code, carrier.name) for carrier in shop_carriers
    ]


def normalize_tracking_number(number: str, *, uppercase: bool = True) -> str:
    """`number` without spaces and dashes, full-width characters made plain, capitals
    when the format's letters are capitals."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", number or ""))
    return text.upper() if uppercase else text


def clean_tracking_number(
    carrier: str | Carrier, number: str, *, shop_carriers: Iterable[ShopCarrier] = ()
) -> str:
    """The number to store for `carrier` (a code or a Carrier), or InvalidInput on
    `tracking_number` saying in the user's language what is wrong."""
    if not isinstance(carrier, Carrier):
        carrier = find_carrier(carrier, shop_carriers)
    cleaned = normalize_tracking_number(number, uppercase=carrier.uppercase)
    if not cleaned:
        raise _refusal(_("Enter the tracking number."))
    if len(cleaned) > MAX_NUMBER_LENGTH or not cleaned.isascii() or not cleaned.isalnum():
        raise _refusal(
            _lazy_interpolate(
                _("A tracking number has at most %(max)s letters and digits."),
                {"max": MAX_NUMBER_LENGTH},
            )
        )
    if not carrier.pattern:
        return cleaned
    # A shop's pattern is written as the shop writes its numbers; "pt123456" typed for
    # `PT\d{6}` is still that number, in capitals.
    for candidate in dict.fromkeys((cleaned, cleaned.upper())):
        if re.fullmatch(carrier.pattern, candidate):
            return candidate
    hint = carrier.format_hint or _lazy_interpolate(
        _("This number does not look like a %(carrier)s number."), {"carrier": carrier.name}
    )
    raise _refusal(hint)


def tracking_url(
    carrier_code: str, number: str, *, shop_carriers: Iterable[ShopCarrier] = ()
) -> str | None:
    """The public tracking page for a number already cleaned, or None (an unknown carrier,
    or one without a page)."""
    try:
        carrier = find_carrier(carrier_code, shop_carriers)
    except InvalidInput:
        return None
    return carrier.tracking_url(number)


def check_shop_carrier(shop_carrier: ShopCarrier) -> ShopCarrier:
    """The shop's carrier with its code and name trimmed, or InvalidInput naming each
    field that cannot work (for the form that saves one)."""
    code = (shop_carrier.code or "").strip().lower()
    name = (shop_carrier.name or "").strip()
    pattern = (shop_carrier.pattern or "").strip() or None
    url_template = (shop_carrier.url_template or "").strip() or None
    fields: dict[str, Any] = {}
    if not SHOP_CARRIER_CODE.match(code):
        fields["code"] = _(
            "A carrier code has 1 to 32 lower-case letters, digits, - or _, e.g. city-courier."
        )
    elif code in CARRIERS:
        fields["code"] = _lazy_interpolate(
            _("%(code)s is a built-in carrier; choose another code."), {"code": code}
        )
    if not name:
        fields["name"] = _("Enter the carrier's name.")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error:
            fields["pattern"] = _("This is not a valid regular expression.")
    if url_template is not None and (
        NUMBER_PLACEHOLDER not in url_template
        or not url_template.startswith(("https://", "http://"))
    ):
        fields["url_template"] = _(
            "The tracking link starts with https:// and holds {number} where the tracking "
            "number goes."
        )
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    return ShopCarrier(code=code, name=name, pattern=pattern, url_template=url_template)


def _refusal(message: Any) -> InvalidInput:
    return InvalidInput(message, fields={"tracking_number": message})


# What merchants write for the built-in carriers in a spreadsheet or a chat: the short
# names beside the full ones (the translated names in every language are added below).
CARRIER_ALIASES: dict[str, tuple[str, ...]] = {
    "sf": ("顺丰", "顺丰速运", "顺丰快递", "顺丰速递", "sf express", "sf-express"),
    "zto": ("中通", "中通快递", "中通速递", "zto express"),
    "yto": ("圆通", "圆通速递", "圆通快递", "yto express"),
    "yunda": ("韵达", "韵达快递", "韵达速递", "yunda express"),
    "sto": ("申通", "申通快递", "申通速递", "sto express"),
    "jt": ("极兔", "极兔速递", "极兔快递", "j&t", "j&t express", "jtexpress"),
    "jd": ("京东", "京东物流", "京东快递", "jd logistics"),
    "ems": ("ems", "邮政", "中国邮政", "邮政快递", "邮政快递包裹", "邮政ems", "中国邮政/ems",
            "邮政包裹", "china post", "china post / ems"),
    "deppon": ("德邦", "德邦快递", "德邦物流", "deppon express"),
}


def _name_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def carrier_names(shop_carriers: Iterable[ShopCarrier] = ()) -> dict[str, str]:
    """Every way of writing a carrier this module knows (code, alias, its name in each
    language the site speaks, a shop carrier's name), reduced as `find_carrier_by_name`
    reduces what it is given → the carrier's code."""
    from django.conf import settings
    from django.utils import translation

    names: dict[str, str] = {}
    for code, carrier in CARRIERS.items():
        names[_name_key(code)] = code
        for alias in CARRIER_ALIASES.get(code, ()):
            names[_name_key(alias)] = code
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                names.setdefault(_name_key(str(carrier.name)), code)
    for shop_carrier in shop_carriers:
        names.setdefault(_name_key(shop_carrier.code), shop_carrier.code)
        names.setdefault(_name_key(shop_carrier.name), shop_carrier.code)
    return names


def find_carrier_by_name(text: str, shop_carriers: Iterable[ShopCarrier] = (),
                         *, names: dict[str, str] | None = None) -> Carrier:
    """The carrier written as its code (sf) or a name merchants use for it (顺丰, 顺丰速运,
    SF Express, the shop's own carrier's name); InvalidInput on `carrier` otherwise.
    `names` (from `carrier_names`) saves building the table again for many rows."""
    shop_carriers = list(shop_carriers)
    if names is None:
        names = carrier_names(shop_carriers)
    code = names.get(_name_key(text))
    return find_carrier(code if code is not None else text, shop_carriers)
