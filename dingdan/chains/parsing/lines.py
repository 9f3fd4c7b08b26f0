"""One order as a customer writes it in chat: "张三 13800138000 草莓2份 蓝莓1盒 幸福路8号".

The same reader serves a chain entry and a chat message pasted into the new-order form. It
takes things out of the text from the surest to the least sure: labelled fields (电话:,
地址:, 备注:), phone numbers (a run of 9 or more digits, or digits grouped like a mobile),
known pickup points, catalog products with their quantities. What is left is split into
words: the first word of the entry is the customer's name (even 小明2号妈妈 or Amy1998),
words that read like a place make the address, and the rest is the note (不要辣, 晚点送)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dingdan.chains.parsing import problems
from dingdan.chains.parsing.items import FoundItem, find_items, is_only_quantity, unknown_item
from dingdan.chains.parsing.matching import Catalog
from dingdan.chains.parsing.names import continues_latin_name, is_latin_name, is_person_like
from dingdan.chains.parsing.places import (
    PickupPoints,
    as_points,
    is_clearly_address,
    is_place_like,
    is_room_number,
)
from dingdan.chains.parsing.text import EMOJI, is_word_char, matching_form, normalize, simplified
from dingdan.phones import phone_digits, stored_phone

BLANK = "\x1f"  # stands in for text already taken; separates words like a space
_PHONE = re.compile(
    r"(?<!\d)(?:"
    # mainland, maybe grouped 3-4-4; a bare 86 only glued on (x86 13800138000 is 86 of them)
    # (草莓+1 13800138000 is a count, then the phone: a + glued to a word starts no number)
    r"(?:(?:(?<!\w)\+|00)86[ -]?|86)?1\d{2}[ -]?\d{4}[ -]?\d{4}"
    r"|(?<!\w)\+\d{1,3}(?:[ -]?\d{2,4}){2,5}"  # +country code
    r"|0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}"  # landline with area code: 021-6123 4567
    r"|\d{9,13}"  # any long run of digits: meant as a phone, even if mistyped
    r")(?!\d)"
)
# After 电话: any number counts, even a short one; it is checked like any other.
_LABELLED_PHONE = re.compile(r"[+\d][\d-]{3,18}\d")
_LABEL = re.compile(
    r"(?<![A-Za-z])(?:"  # 张三电话:… is a label too, Hotel: is not
    r"(?P<name>姓名|名字|称呼|收货人|收件人|联系人|客户)"
    r"|(?P<phone>手机号码|手机号|手机|联系电话|联系方式|电话号码|电话|tel|phone|mobile)"
    r"|(?P<address>收货地址|详细地址|所在地区|送货地址|配送地址|地址)"
    r"|(?P<note>备注|留言|附言)"
    r"|(?P<pickup>自提点|提货点|取货点|自提)"
    r")[ ]*:[ ]*",
    re.IGNORECASE | re.MULTILINE,
)
_LABELLED = {"name": "names", "phone": "phones", "address": "addresses", "note": "notes"}
# Field separators customers put between name, items, phone and place. A dash between two
# digits is not one (12-1-301, 138-0013-8000).
_FIELD_SEPARATORS = re.compile(r"[|/;,、\t]|(?<!\d)-|-(?!\d)")
EMOJI_ENDS = re.compile(rf"^{EMOJI.pattern}+|{EMOJI.pattern}+$")
_JOINERS = frozenset("和与及跟加&")
# How a request to the merchant starts: 放门卫室, 送到楼下, 麻烦放快递柜, 周六下午来拿.
_INSTRUCTION = re.compile(
    r"(?:放|送到|送去|请|麻烦|帮忙|帮我|不要|别|记得|到了|到时|周[一二三四五六日天末]|星期|明天|今天"
    r"|后天|下午|上午|晚上|中午|早上|谢谢|辛苦)"
)
_STRAY = re.compile(r"^[\s\-_=~*#.:。!?'\"()]+|[\s\-_=~*#.:。!?'\"(]+$")


@dataclass
class EntryItem:
    sku: str
    quantity: int


@dataclass
class UnmatchedItem:
    """An item the merchant has to look at: unknown product, ambiguous spec, bad quantity."""

    text: str
    quantity: int | None
    problems: list[str]


@dataclass
class ParsedEntry:
    customer: str = ""
    phone: str | None = None
    address: str | None = None
    pickup_point: str | None = None
    items: list[EntryItem] = field(default_factory=list)
    note: str | None = None
    problems: list[str] = field(default_factory=list)
    unmatched: list[UnmatchedItem] = field(default_factory=list)

    def add_problem(self, code: str) -> None:
        self.problems = problems.in_order({*self.problems, code})

    @property
    def mentions_anything_ordered(self) -> bool:
        return bool(self.items or self.unmatched)


@dataclass
class _Reading:
    """The entry while it is being read: the text with what was taken blanked out."""

    text: str
    entry: ParsedEntry = field(default_factory=ParsedEntry)
    names: list[tuple[int, str]] = field(default_factory=list)
    phones: list[tuple[int, str]] = field(default_factory=list)
    addresses: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    found_items: list[FoundItem] = field(default_factory=list)
    separators: set[int] = field(default_factory=set)

    def separate_fields(self) -> None:
        """Field separators (| / , 、 - …) become spaces; where they stood is remembered,
        so "Jason Wu" (one space) is told from "Jason|Wu"."""
        self.separators = {match.start() for match in _FIELD_SEPARATORS.finditer(self.text)}
        self.text = _FIELD_SEPARATORS.sub(" ", self.text)

    def take(self, start: int, end: int) -> str:
        taken = self.text[start:end]
        self.text = self.text[:start] + BLANK * (end - start) + self.text[end:]
        return taken


def parse_entry(
    text: str,
    catalog: Catalog,
    pickup_points: PickupPoints | Sequence[str] | None = None,
    *,
    place_first: bool = False,
) -> ParsedEntry:
    """Customer, phone, place, items and note of one entry or pasted chat message.
    `place_first`: the chain's format puts the place before the name (小区-姓名)."""
    reading = _Reading(normalize(text))
    points = as_points(pickup_points)
    _take_labels(reading, points, catalog)  # and the phone numbers
    reading.separate_fields()
    _take_pickup_points(reading, points)
    reading.found_items += find_items(reading.text, matching_form(reading.text), catalog)
    for item in reading.found_items:
        reading.take(item.start, item.end)
    _read_words(reading, points, place_first=place_first)
    return _finish(reading)


def _take_labels(reading: _Reading, points: PickupPoints, catalog: Catalog) -> None:
    """电话:…, 地址:…, 备注:… A name takes one word, a phone its digits; an address, note
    or pickup point runs to the next label or the end of the line, minus any phone number
    in it (taken first, so "自提点:幸福里南门 13800138000" keeps its phone); an address or
    pickup point also ends where an ordered product starts (地址:科技园A座2001 礼盒x1)."""
    spans = []
    labels = list(_LABEL.finditer(simplified(reading.text)))
    for index, match in enumerate(labels):
        line_end = reading.text.find("\n", match.end())
        value_end = len(reading.text) if line_end == -1 else line_end
        if index + 1 < len(labels):
            value_end = min(value_end, labels[index + 1].start())
        spans.append((match.lastgroup, match.start(), match.end(), value_end))
    for kind, label_start, value_start, value_end in spans:
        if kind == "phone":
            digits = _PHONE.match(reading.text, value_start, value_end) or _LABELLED_PHONE.match(
                reading.text, value_start, value_end
            )
            value_end = digits.end() if digits else value_start
            _take_label(reading, points, kind, label_start, value_start, value_end)
    notes = [(start, end) for kind, _label, start, end in spans if kind == "note"]
    _take_phones(reading, keep=notes)
    for kind, label_start, value_start, value_end in spans:
        if kind == "name":
            word = re.match(r"[^\s\x1f,;|/、]*", reading.text[value_start:value_end])
            value_end = value_start + word.end()
        if kind in ("address", "pickup"):
            value = reading.text[value_start:value_end]
            ordered = find_items(value, matching_form(value), catalog)
            if ordered:
                value_end = value_start + ordered[0].start
        if kind != "phone":
            _take_label(reading, points, kind, label_start, value_start, value_end)


def _take_label(
    reading: _Reading,
    points: PickupPoints,
    kind: str,
    label_start: int,
    value_start: int,
    value_end: int,
) -> None:
    value = reading.take(value_start, value_end)
    value = " ".join(value.replace(BLANK, " ").split())
    reading.take(label_start, value_start)
    if not value:
        return
    if kind == "pickup":
        known = points.find_all(matching_form(value))
        point = known[0][2] if known else points.by_code(value) or points.by_part(value)
        reading.entry.pickup_point = point or value
    else:
        getattr(reading, _LABELLED[kind]).append((label_start, value))


def _take_phones(reading: _Reading, keep: Sequence[tuple[int, int]] = ()) -> None:
    """Every phone number, except those inside the `keep` spans (a labelled note says
    "跟13671820452一起拿" and means it)."""
    for match in list(_PHONE.finditer(reading.text)):
        if any(start <= match.start() < end for start, end in keep):
            continue
        reading.phones.append((match.start(), reading.take(match.start(), match.end())))
    reading.phones.sort()


def _take_pickup_points(reading: _Reading, points: PickupPoints) -> None:
    if not points:
        return
    for start, end, point in points.find_all(matching_form(reading.text)):
        reading.take(start, end)
        if reading.entry.pickup_point is None:
            reading.entry.pickup_point = point
        elif point != reading.entry.pickup_point:
            reading.notes.append((start, point))


def _read_words(reading: _Reading, points: PickupPoints, *, place_first: bool = False) -> None:
    """Name, address, unknown items and note from the words nothing else took."""
    words = _words(reading)
    # The first word is the one the entry starts with: not one after a phone taken out.
    entry_start = len(reading.text) - len(reading.text.lstrip(" \n"))
    place_start = None
    place_taken = reading.entry.pickup_point is not None or bool(reading.addresses)
    if place_first and not place_taken and len(words) > 1 and unknown_item(words[0][2]) is None:
        # The format asks for the place first: the first word is the place, even 幸福里.
        entry_start, place_start = -1, words[0][0]
    name_taken = bool(reading.names)
    previous_kind = None
    index = 0
    while index < len(words):
        start, end, word = words[index]
        index += 1
        if reading.entry.pickup_point is None and (point := points.by_code(word)):
            reading.entry.pickup_point = point
            previous_kind = "point"
            continue
        is_first = start == entry_start
        kind = _kind_of(word, is_first=is_first, name_taken=name_taken, previous=previous_kind)
        if kind == "name" and _names_a_point(word, points, reading):
            kind = "address"  # 北门 李华 …: a part of a known point, not the name
        elif kind == "note" and reading.entry.pickup_point is None and points.by_part(word):
            kind = "address"  # 万达 for 万达广场店
        if start == place_start and not is_person_like(word):
            kind = "address"
        if kind == "item":
            item = unknown_item(word)
            item.start, item.end = start, start + len(word)
            if previous_kind == "note" and is_only_quantity(word):
                # "榴莲 x2": the count names the word before it.
                item.start, before = reading.notes.pop()
                item.text = f"{before} {word}"
            reading.found_items.append(item)
        elif kind == "name":
            while (
                is_latin_name(word)
                and index < len(words)
                and _next_is_surname(reading, end, words[index])
            ):
                end, word = words[index][1], f"{word} {words[index][2]}"
                index += 1
            reading.names.append((start, word.lstrip("@")))
            name_taken = True
        elif kind == "address":
            candidates = points.having_part(word) if points else []
            if len(candidates) == 1 and reading.entry.pickup_point is None:
                reading.entry.pickup_point = candidates[0]
            elif len(candidates) > 1 and reading.entry.pickup_point is None:
                reading.entry.add_problem(problems.PICKUP_POINT_AMBIGUOUS)
                reading.notes.append((start, word))
            else:
                reading.addresses.append((start, EMOJI_ENDS.sub("", word)))
        else:
            reading.notes.append((start, word))
        previous_kind = kind


def _words(reading: _Reading) -> list[tuple[int, int, str]]:
    """(start, end, word) of what is left; pictographs glued to something taken (the 🍓 of
    🍓草莓x2) go with it, those glued to a word (小美🌸) stay."""
    text = reading.text
    words = []
    for match in re.finditer(r"[^\s\x1f+]+", text):
        start, end = match.span()
        if start > 0 and text[start - 1] == BLANK:
            while start < end and EMOJI.match(text, start):
                start += 1
        if end < len(text) and text[end] == BLANK:
            while end > start and EMOJI.match(text, end - 1):
                end -= 1
        word = _STRAY.sub("", text[start:end])
        if word in _JOINERS:
            continue  # the 和 of 草莓和蓝莓各两份
        if any(ch.isalnum() for ch in word):
            words.append((start, end, word))
    return words


def _names_a_point(word: str, points: PickupPoints, reading: _Reading) -> bool:
    if not points or reading.entry.pickup_point is not None or is_person_like(word):
        return False
    return bool(points.having_part(word))


def _next_is_surname(reading: _Reading, end: int, following: tuple[int, int, str]) -> bool:
    start, _end, word = following
    gap = reading.text[end:start]
    return gap == " " and end not in reading.separators and continues_latin_name(word)


def _kind_of(word: str, *, is_first: bool, name_taken: bool, previous: str | None) -> str:
    if not name_taken and is_person_like(word):
        return "name"  # 2单元刘阿姨 is a person, not 2单 of 元刘阿姨
    if unknown_item(word, allow_chinese_numbers=not is_first) is not None:
        return "item"
    if is_first and not name_taken and not is_clearly_address(word):
        return "name"
    if previous == "address" and is_room_number(word):
        return "address"
    if _INSTRUCTION.match(word):
        return "note"  # 放门卫室, 送到楼下: what to do there, not where
    if is_place_like(word):
        return "address"
    if not name_taken and any(is_word_char(ch) for ch in word) and not word.isdigit():
        return "name"
    return "note"


def _finish(reading: _Reading) -> ParsedEntry:
    entry = reading.entry
    if reading.names:
        entry.customer = min(reading.names)[1]
    _settle_phone(reading)
    if reading.addresses:
        entry.address = " ".join(value for _, value in sorted(reading.addresses))
    if reading.notes:
        entry.note = " ".join(value for _, value in sorted(reading.notes))
    quantities: dict[str, int] = {}
    for item in sorted(reading.found_items, key=lambda item: item.start):
        for code in item.problems:
            entry.add_problem(code)
        if item.is_orderable and not item.problems:
            quantities[item.sku] = quantities.get(item.sku, 0) + item.quantity
        else:
            entry.unmatched.append(UnmatchedItem(item.text, item.quantity, list(item.problems)))
    entry.items = [EntryItem(sku, quantity) for sku, quantity in quantities.items()]
    return entry


def _settle_phone(reading: _Reading) -> None:
    """The first valid number is the phone; without one, the first number as typed (digits
    only) with phone_invalid. Any other number goes to the note."""
    if not reading.phones:
        return
    chosen = None
    for position, typed in reading.phones:
        stored = stored_phone(typed)
        if stored is not None:
            reading.entry.phone = stored
            chosen = (position, typed)
            break
    if chosen is None:
        chosen = reading.phones[0]
        reading.entry.phone = phone_digits(chosen[1])
        reading.entry.add_problem(problems.PHONE_INVALID)
    reading.notes += [
        (start, typed.strip()) for start, typed in reading.phones if (start, typed) != chosen
    ]
