"""The chain text dingdan writes for the merchant to post in the group:

    #接龙 周六丹东草莓团                        title
    截单时间: 12月19日(星期六) 20:00            cut-off
    提货时间: 12月20日(星期日)                  delivery date
    自提点: 阳光小区东门(幸福路8号)              one line per pickup point
    · 草莓 500g ¥39.90 每人限2份 限量100份       the items, campaign price and limits
    ※ 坏果包赔                                  the merchant's rules, one per line
    格式: 序号. 姓名 商品×数量 电话 自提点
    例: 张三 草莓500gx2 13800138000 阳光小区东门  an example entry
    7. 李四 草莓500g×1 13912345678 阳光小区东门  entries made on the join page, not yet
                                                in the group's chain

Customers copy it and add their numbered line. The labels of the header lines are the chain
parser's own words in each language (below), not catalogue translations, so dingdan reads
its own text back whatever the translation says: the header, the rules and the example are
never taken for entries. The sentences around them go through gettext in the shop's
language (`language` in the shop's settings: zh-hans by default, or en)."""

import zoneinfo
from dataclasses import dataclass

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from dingdan.chains.models import Campaign, Fulfilment
from dingdan.chains.selectors.campaigns import campaign_items, campaign_points
from dingdan.chains.selectors.join_page import entries_to_post
from dingdan.money import format_yuan
from dingdan.shops.config import shop_settings

LANGUAGES = ("zh-hans", "en")
DEFAULT_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Vocabulary:
    title: str
    cut_off: str
    pickup_date: str
    delivery_date: str
    pickup_point: str
    format: str
    example: str
    sample_name: str
    moment: str  # dateformat patterns
    day: str


VOCABULARY = {
    "zh-hans": Vocabulary("#接龙", "截单时间", "提货时间", "配送时间", "自提点", "格式", "例",
                          "张三", "n月j日(D) H:i", "n月j日(D)"),
    "en": Vocabulary("Group buy:", "Cut-off", "Pickup date", "Delivery date", "Pickup point",
                     "Format", "Example", "Amy", "D j M H:i", "D j M"),
}
SAMPLE_PHONE = "13800138000"
RULE_MARK = "※"
ITEM_MARK = "·"


def shop_language(shop) -> str:
    """The language the shop posts in: its `language` setting (zh-hans or en)."""
    wanted = shop_settings(shop).language
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def chain_text(campaign: Campaign, language: str | None = None) -> str:
    """The group-buy post for the campaign, ready to copy into the chat."""
    language = language or shop_language(campaign.shop)
    words = VOCABULARY.get(language, VOCABULARY[DEFAULT_LANGUAGE])
    items = campaign_items(campaign)
    points = campaign_points(campaign) if campaign.fulfilment == Fulfilment.PICKUP else []
    zone = zoneinfo.ZoneInfo(campaign.shop.timezone)
    with translation.override(language):
        lines = [f"{words.title} {campaign.title}"]
        cut_off = timezone.localtime(campaign.cut_off_at, zone)
        lines.append(f"{words.cut_off}: {dateformat.format(cut_off, words.moment)}")
        if campaign.delivery_date:
            label = words.pickup_date if points else words.delivery_date
            lines.append(f"{label}: {dateformat.format(campaign.delivery_date, words.day)}")
        for point in points:
            where = f"({point.address})" if point.address else ""
            lines.append(f"{words.pickup_point}: {point.name}{where}")
        lines += [_item_line(item) for item in items]
        lines += [
            line if line.startswith(RULE_MARK) else f"{RULE_MARK} {line}"
            for line in (raw.strip() for raw in campaign.rules.splitlines()) if line
        ]
        if points:
            shape = _("number. name product×quantity phone pickup point")
        else:
            shape = _("number. name product×quantity phone address")
        lines.append(f"{words.format}: {shape}")
        if items:
            lines.append(f"{words.example}: {_example(words, items[0], points)}")
    lines += [f"{entry.seq}. {entry.text}" for entry in entries_to_post(campaign) if entry.text]
    return "\n".join(lines) + "\n"


# Labels of the chain parser itself (any shop language reads them), for a line whose name
# or address the plain format would not bring back as written.
ENTRY_LABELS = {"name": "姓名", "phone": "电话", "pickup_point": "自提点", "address": "地址"}


def entry_line(*, customer: str, items: list[tuple], phone: str, pickup_point: str = "",
               address: str = "", labelled: bool = False) -> str:
    """An entry in the chain's format, without its number: "张三 草莓500g×2 13800138000
    阳光小区东门". `items` are (variant, quantity). `labelled` writes 姓名:, 电话:,
    自提点:/地址: before the values (the address or pickup point last: a label runs to the
    end of the line)."""
    ordered = " ".join(f"{variant.product.name}{variant.spec}×{quantity}"
                       for variant, quantity in items)
    place_label = "pickup_point" if pickup_point else "address"
    place = pickup_point or address
    if not labelled:
        return " ".join(part for part in (customer, ordered, phone, place) if part)
    parts = [f"{ENTRY_LABELS['name']}:{customer}", ordered, f"{ENTRY_LABELS['phone']}:{phone}"]
    if place:
        parts.append(f"{ENTRY_LABELS[place_label]}:{place}")
    return " ".join(parts)


def _item_line(item) -> str:
    parts = [ITEM_MARK, item.variant.display_name, f"¥{format_yuan(item.price_cents)}"]
    if item.per_person_limit:
        parts.append(_("limit %(n)s per person") % {"n": item.per_person_limit})
    if item.total_cap:
        parts.append(_("%(n)s in total") % {"n": item.total_cap})
    return " ".join(parts)


def _example(words: Vocabulary, item, points) -> str:
    variant = item.variant
    quantity = min(2, item.per_person_limit or 2)
    parts = [words.sample_name, f"{variant.product.name}{variant.spec}x{quantity}",
             SAMPLE_PHONE]
    if points:
        parts.append(points[0].name)
    return " ".join(parts)
