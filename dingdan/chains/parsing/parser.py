"""A whole pasted group-buy chain (群接龙): header, example, then one numbered entry each.

    #接龙                                      header: title, rules, pickup points
    周六丹东草莓团购 截单时间:周五晚8点
    自提点:阳光小区东门、幸福里南门             → the pickup points entries may name
    例  张三 草莓2份 13800138000 阳光小区东门    example: skipped
    1. 李四 草莓x2 13912345678 阳光小区东门      an entry (1. 1、 1) 1． ① …)
       备注:不要辣                              a wrapped line belongs to the entry above

An entry's `seq` is the number written before it, as the merchant and customers see it. A
blank line ends an entry; unnumbered lines after it (a footer) are not read. A chain without
any numbering is read one line per entry, keeping the lines that name a phone or a product."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dingdan.chains.parsing import problems
from dingdan.chains.parsing.layout import name_after_place
from dingdan.chains.parsing.lines import ParsedEntry, parse_entry
from dingdan.chains.parsing.matching import Catalog
from dingdan.chains.parsing.places import PickupPoints, header_points, is_point_label
from dingdan.chains.parsing.text import (
    CIRCLED_NUMBERS,
    EMOJI,
    fold_width,
    normalize,
    simplified,
)

_CIRCLED = "".join(CIRCLED_NUMBERS)
_SEP = r"[.、。)）:,|]"
_NUMBERED = re.compile(
    r"^\s*(?:"
    rf"(?:No|NO|no|nO)\.?\s*(?P<no>\d{{1,4}})(?:\s*{_SEP})?"
    rf"|#\s*(?P<hash>\d{{1,4}})(?:\s*{_SEP})?"
    rf"|第\s*(?P<di>\d{{1,4}})\s*(?:位|个|名|单|楼|号)?(?:\s*{_SEP})?"
    r"|[(（\[【〔](?P<bracketed>\d{1,4})[)）\]】〕]"
    # After 1. 1: 1, 1- a digit may only start a phone (14-13612345014), not 1.5 or 8:00.
    r"|(?P<digits>\d{1,4})\s*(?:[、。)）|]|[.:,-](?!\d)|[.:,-](?=\d{9}))"
    r"|(?P<spaced>\d{1,3})(?=[ \t])"  # "1 张三", but not "2024 夏季团"
    rf"|(?P<circled>[{_CIRCLED}])"
    r")\s*"
)
# 1️⃣ … 9️⃣, 🔟 and runs of them (1️⃣1️⃣ = 11): the number is the digits in a row.
_KEYCAPS = re.compile("^\\s*(?P<keycaps>(?:[0-9]\ufe0f?\u20e3|\U0001f51f)+)\\s*")
_KEYCAP_DIGIT = re.compile("\ufe0f?\u20e3")
# Lines about the chain, not orders: they start with a rule label, or speak of the cut-off
# without a phone number in them ("3. 张三 草莓x2 自提点:幸福里南门" is an order).
# dingdan's own chain text marks each of the merchant's rules with ※ and writes its English
# labels with a colon (see posting.py), so its header reads back the same in either language.
_RULE_LABEL = re.compile(
    r"^(?:#?接龙|自提点|自提地址|提货点|取货点|提货时间|自提时间|配送时间|配送范围|规则|格式|说明"
    r"|注意|※"
    r"|(?i:group buy|cut-?off|pickup point|pickup date|delivery date|format)\s*:)"
)
_CUT_OFF = re.compile(r"截单|截止|#接龙")
# The organiser speaking between entries (团长:还剩10份, @所有人 …): never an entry, never
# part of the entry above.
_ORGANISER = re.compile(
    r"^(?:团长|群主|管理员|客服|店长|店主|@所有人|@全体成员|温馨提示|提醒|通知|公告|重要)"
    r"(?:\s|:|$|[A-Za-z]|\S{0,12}:)"
)
# A chain pasted again under the organiser's summary starts over at its #接龙 line.
_CHAIN_START = re.compile(r"^#\s*接龙")
_LONG_NUMBER = re.compile(r"\d{9}")
_LEADING_PICTOGRAPHS = re.compile(rf"^(?:{EMOJI.pattern}|\s)+")
_EXAMPLE = re.compile(
    r"^(?:示例|例如|举例|样例|例子|模板|参考)|^(?:例|格式|(?i:example|e\.g\.))(?:\s|:|$)"
)
# A price (¥39.90, 39.9元) in a line without a phone: the organiser's price list.
_PRICE = re.compile(r"¥\s*\d|\d(?:\.\d{1,2})?\s*(?:元|块)")


@dataclass
class ChainEntry:
    seq: int
    text: str
    parsed: ParsedEntry

    def as_dict(self) -> dict:
        """The entry as `dingdan chains parse --json` prints it (a contract for scripts)."""
        parsed = self.parsed
        return {
            "seq": self.seq,
            "customer": parsed.customer,
            "phone": parsed.phone,
            "address": parsed.address,
            "pickup_point": parsed.pickup_point,
            "items": [{"sku": item.sku, "quantity": item.quantity} for item in parsed.items],
            "note": parsed.note,
            "problems": list(parsed.problems),
        }


@dataclass
class ParsedChain:
    entries: list[ChainEntry] = field(default_factory=list)
    pickup_points: list[str] = field(default_factory=list)


def parse_chain(
    text: str,
    catalog: Catalog,
    pickup_points: Sequence[str] = (),
    *,
    point_aliases: Mapping[str, str] | None = None,
    learn_points: bool = True,
) -> ParsedChain:
    """Every entry of a pasted chain, in order, with the problems a merchant must look at.
    Pickup points named in the header are added to `pickup_points` unless `learn_points` is
    off (a campaign knows its points); `point_aliases` maps other names to a point."""
    header, raw_entries = _split(text)
    points = list(pickup_points)
    codes: dict[str, str] = {}
    if learn_points:
        learnt, codes = header_points(header)
        points += [point for point in learnt if point not in points]
    known = PickupPoints(points, aliases=point_aliases, codes=codes)
    chain = ParsedChain(pickup_points=known.names)
    place_first = name_after_place(header)
    for seq, entry_text in raw_entries:
        parsed = parse_entry(entry_text, catalog, known, place_first=place_first)
        chain.entries.append(ChainEntry(seq, entry_text, parsed))
    if not raw_entries:
        chain.entries = _unnumbered_entries(header, catalog, known)
    if learn_points and len(known.names) == 1:
        _only_point_for_all(chain.entries, known.names[0])
    _flag_empty_and_duplicates(chain.entries)
    return chain


def _split(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """(header lines, [(seq, entry text)]): a numbered line starts an entry, the lines
    right below it without a number continue it. Everything above the first entry is
    header, numbered price lists included."""
    header: list[str] = []
    entries: list[tuple[int, list[str]]] = []
    open_entry = False
    listing_points = False  # below a bare 自提点: line, numbered lines are the points
    for line in (text or "").lstrip("\ufeff").splitlines():
        plain = normalize(line)
        seq, body = _numbering(line)
        words = _LEADING_PICTOGRAPHS.sub("", simplified(body))
        if not entries:
            listing_points = (listing_points and seq is not None) or is_point_label(words)
            if listing_points and seq is not None:
                header.append(plain)
                continue
        if not plain:
            open_entry = False
        elif _CHAIN_START.match(words) and entries:
            header += [plain] + [line for _, lines in entries for line in lines]
            entries, open_entry = [], False
        elif _is_rule(words) or _EXAMPLE.match(words) or (seq is None and _ORGANISER.match(words)):
            if not entries:
                header.append(plain)
            open_entry = False
        elif seq is not None and not (not entries and _is_price_list(words)):
            entries.append((seq, [body]))
            open_entry = True
        elif open_entry:
            entries[-1][1].append(plain)
        elif not entries:
            header.append(plain)
    return header, [(seq, "\n".join(lines)) for seq, lines in entries]


def _numbering(line: str) -> tuple[int | None, str]:
    """(the entry number a line starts with, the rest of it normalised); (None, line)."""
    keycaps = _KEYCAPS.match(line)
    if keycaps:
        spelled = _KEYCAP_DIGIT.sub("", keycaps.group("keycaps")).replace("\U0001f51f", "10")
        return int(spelled), normalize(line[keycaps.end() :])
    folded = fold_width(line)
    numbered = _NUMBERED.match(folded)
    if numbered is None:
        return None, normalize(line)
    if numbered.group("circled"):
        seq = CIRCLED_NUMBERS[numbered.group("circled")]
    else:
        seq = int(next(numbered.group(name) for name in _DIGIT_GROUPS if numbered.group(name)))
    return seq, normalize(folded[numbered.end() :])


_DIGIT_GROUPS = ("no", "hash", "di", "bracketed", "digits", "spaced")


def _is_price_list(line: str) -> bool:
    return bool(_PRICE.search(line)) and not _LONG_NUMBER.search(line)


def _is_rule(line: str) -> bool:
    if _RULE_LABEL.match(line):
        return True
    return bool(_CUT_OFF.search(line)) and not _LONG_NUMBER.search(line)


def _unnumbered_entries(
    lines: list[str], catalog: Catalog, points: PickupPoints
) -> list[ChainEntry]:
    entries = []
    for line in lines:
        words = simplified(line)
        if _is_rule(words) or _EXAMPLE.match(words) or _ORGANISER.match(words):
            continue
        if _is_price_list(words):
            continue
        parsed = parse_entry(line, catalog, points)
        if parsed.phone or parsed.mentions_anything_ordered:
            entries.append(ChainEntry(len(entries) + 1, line, parsed))
    return entries


def _only_point_for_all(entries: list[ChainEntry], point: str) -> None:
    """A chain with one pickup point: an entry naming no place picks up there."""
    for entry in entries:
        if entry.parsed.pickup_point is None and entry.parsed.address is None:
            entry.parsed.pickup_point = point


def _flag_empty_and_duplicates(entries: list[ChainEntry]) -> None:
    """no_items: nothing ordered at all (an item left out as unknown still counts as
    ordered). duplicate_entry: the same customer (same phone, or the same name when a phone
    is missing) with the same items as an earlier entry; the later one is flagged."""
    by_phone: set[tuple[str, tuple]] = set()
    # (name, items) → whether an earlier such entry had a phone / had none.
    by_name: dict[tuple[str, tuple], set[bool]] = {}
    for entry in entries:
        parsed = entry.parsed
        if not parsed.mentions_anything_ordered:
            parsed.add_problem(problems.NO_ITEMS)
            continue
        if not parsed.items:
            continue
        items = tuple(sorted((item.sku, item.quantity) for item in parsed.items))
        name = "".join(parsed.customer.split()).casefold()
        phone = parsed.phone if problems.PHONE_INVALID not in parsed.problems else None
        earlier_phones = by_name.get((name, items), set()) if name else set()
        if (
            (phone, items) in by_phone
            or (False in earlier_phones)
            or (phone is None and earlier_phones)
        ):
            parsed.add_problem(problems.DUPLICATE_ENTRY)
        if phone:
            by_phone.add((phone, items))
        if name:
            by_name.setdefault((name, items), set()).add(phone is not None)
