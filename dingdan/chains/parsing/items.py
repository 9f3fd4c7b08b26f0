"""Products and quantities in one entry: 草莓x2, 蓝莓2盒, 两份草莓, 生日蛋糕8寸1个, 草莓、蓝莓各2份.

A quantity sits right after the product (x2 ×2 *2 2份 两斤 or a bare 2), or glued right
before it (2盒蓝莓). A product written without a number means one. A product name glued to
other words without a quantity or spec (草莓妈妈, 草莓酱) is not an item: the word means
something else. Text that reads like an item but names nothing in the catalog (榴莲1个) is
an unknown item, reported, never guessed."""

import re
from dataclasses import dataclass, field

from dingdan.chains.parsing import problems
from dingdan.chains.parsing.matching import Catalog, CatalogVariant
from dingdan.chains.parsing.places import is_clearly_address
from dingdan.chains.parsing.text import (
    CHINESE_DIGITS,
    CHINESE_NUMERAL,
    CHINESE_UNITS,
    is_word_char,
    number_value,
)

MAX_QUANTITY = 999
UNITS = (
    "份盒斤个只箱袋包瓶件杯块支罐桶听提串把颗条根张套组对双本位人节次单盆束台枚粒片"
    "饼碗笼板筐兜扎盘客桌"
)
_NUMBER = rf"\d+(?:\.\d+)?|{CHINESE_NUMERAL}{{1,6}}|半"
_NUMERAL_CHARS = frozenset(CHINESE_DIGITS) | frozenset(CHINESE_UNITS)
_TIMES = "x×*"
_QUANTITY_AFTER = re.compile(
    rf"[ ]*(?:[:=][ ]*)?(?:共[ ]*)?(?P<each>各[ ]*)?"
    rf"(?:(?P<times>[{_TIMES}])[ ]*(?P<n1>{_NUMBER})(?P<unit>[{UNITS}])?"
    # A unit spaced off its number must not be the first character of a word: 2 张三.
    rf"|(?P<n2>{_NUMBER})(?:[{UNITS}]|[ ]+[{UNITS}](?![^\W\d_]))"
    r"|(?P<bare>\d+)"
    r"|\+[ ]*(?P<plus>\d{1,3})(?!\w))"  # 草莓+1, as chains count "me too"
)
# Characters after which a bare number (草莓 2) still reads as a quantity.
_BARE_ENDS = frozenset(" \n\x1f+、,;)。!?~")
_ONLY_QUANTITY = re.compile(
    rf"(?:(?P<times>[{_TIMES}])[ ]*(?P<n1>{_NUMBER})[ ]*[{UNITS}]?|(?P<n2>{_NUMBER})[ ]*[{UNITS}])",
    re.IGNORECASE,
)
_NAME_THEN_QUANTITY = re.compile(rf"(?P<name>.+?)[ ]*{_ONLY_QUANTITY.pattern}", re.IGNORECASE)
_QUANTITY_THEN_NAME = re.compile(rf"(?P<n2>{_NUMBER})[ ]*[{UNITS}](?P<name>.+)", re.IGNORECASE)


@dataclass
class FoundItem:
    """An item as written in the entry; `sku` is None when the catalog cannot tell which."""

    start: int
    end: int
    text: str
    sku: str | None
    quantity: int | None  # None: the quantity written is zero, a fraction or absurd
    problems: list[str] = field(default_factory=list)
    has_explicit_quantity: bool = False

    @property
    def is_orderable(self) -> bool:
        return self.sku is not None and self.quantity is not None


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    value: int | None
    each: bool = False


def quantity_value(spelled: str) -> int | None:
    """The quantity `spelled` means, None when it is not a whole number from 1 to 999."""
    value = number_value(spelled)
    if value is None or not 1 <= value <= MAX_QUANTITY:
        return None
    return value


def find_items(text: str, lowered: str, catalog: Catalog) -> list[FoundItem]:
    """The catalog products mentioned in `text` with their quantities, in order.
    `lowered` is `text` in lower case (same length); claimed text is for the caller to blank."""
    hits = catalog.find_terms(lowered)
    found: list[FoundItem] = []
    floor = 0  # nothing before this belongs to the next item
    for index, hit in enumerate(hits):
        next_start = hits[index + 1].start if index + 1 < len(hits) else len(text)
        start, end, chosen = _with_spec(catalog, hit, lowered, floor, next_start)
        quantity = _quantity_after(lowered, end, next_start)
        claim_end = quantity.end if quantity else end
        if quantity is None:
            quantity = _quantity_before(lowered, floor, start)
            start = quantity.start if quantity else start
        glued = _is_glued(text, start, floor, claim_end, next_start)
        if quantity is None and not chosen and glued:
            continue
        item = _item(catalog, hit.term, chosen, text, start, claim_end, quantity)
        if quantity is not None and quantity.each:
            _share_quantity(found, item)
        found.append(item)
        floor = claim_end
    return found


def unknown_item(token: str, *, allow_chinese_numbers: bool = True) -> FoundItem | None:
    """A leftover word that reads like an item (榴莲1个, 3个榴莲, x2) but was not found in the
    catalog."""
    match = _NAME_THEN_QUANTITY.fullmatch(token) or _QUANTITY_THEN_NAME.fullmatch(token)
    orphan = _ONLY_QUANTITY.fullmatch(token)
    if match is None and orphan is None:
        return None
    match = match or orphan
    name = match.groupdict().get("name") or ""
    if name and (not any(is_word_char(ch) for ch in name) or is_clearly_address(name)):
        return None
    times = match.groupdict().get("times") or ""
    if times in ("x", "X") and name[-1:].isascii() and name[-1:].isalpha():
        return None  # "Alex2" is a name, not Ale × 2
    spelled = match.groupdict().get("n1") or match.groupdict().get("n2") or ""
    if not allow_chinese_numbers and not spelled[:1].isdigit():
        return None
    quantity = quantity_value(spelled)
    item = FoundItem(0, len(token), token, None, quantity, [problems.PRODUCT_UNKNOWN])
    if item.quantity is None:
        item.problems.append(problems.QUANTITY_INVALID)
    return item


def is_only_quantity(word: str) -> bool:
    """x2, 2份, 两斤: a count with nothing counted."""
    return _ONLY_QUANTITY.fullmatch(word) is not None


def _with_spec(catalog, hit, lowered, floor, next_start) -> tuple[int, int, list]:
    """The hit widened by its spec: glued after it (蛋糕8寸), glued before it (6寸蛋糕), or
    spaced off after it (蛋糕 8寸) unless that spec is glued to the next product."""
    end, chosen = catalog.spec_after(hit.term, lowered, hit.end)
    if chosen and end <= next_start:
        return hit.start, end, chosen
    start, chosen = catalog.spec_before(hit.term, lowered, hit.start, floor)
    if chosen:
        return start, hit.end, chosen
    position = hit.end
    while position < next_start and lowered[position] == " ":
        position += 1
    if position > hit.end:
        end, chosen = catalog.spec_after(hit.term, lowered, position)
        if chosen and (end < next_start or next_start == len(lowered)):
            return hit.start, end, chosen
    return hit.start, hit.end, []


def _quantity_after(lowered: str, position: int, next_start: int) -> _Quantity | None:
    match = _QUANTITY_AFTER.match(lowered, position, next_start)
    if match is None:
        return None
    if match.group("bare"):
        after = match.end()
        if not (after >= len(lowered) or after == next_start or lowered[after] in _BARE_ENDS):
            return None  # 草莓 8号楼, 草莓1.5斤: not a count
    elif (
        not match.group("times")
        and match.group(0).startswith(" ")
        and match.end() == next_start
        and next_start < len(lowered)
    ):
        return None  # "草莓 2份蓝莓": a spaced-off count glued to the next product is its
    end = match.end()
    if match.group("unit") and end < next_start and is_word_char(lowered[end]):
        end = match.start("unit")  # 草莓x2张三: 张 is the name's, not a unit
    spelled = match.group("n1") or match.group("n2") or match.group("bare") or match.group("plus")
    return _Quantity(position, end, quantity_value(spelled), bool(match.group("each")))


def _quantity_before(lowered: str, floor: int, start: int) -> _Quantity | None:
    """A count glued before a product (2盒蓝莓, 两份草莓). Of a run of Chinese numerals the
    longest that reads as a number counts, so 张三两份草莓 is 张三 and 两份."""
    position = start
    while position > floor and lowered[position - 1] == " ":
        position -= 1  # 2份 草莓: a count standing alone just before the product
    spaced = position < start
    if position <= floor or lowered[position - 1] not in UNITS:
        return None
    position -= 1
    while position > floor and lowered[position - 1] == " ":
        position -= 1
    digits_start = position
    while digits_start > floor and lowered[digits_start - 1].isdigit():
        digits_start -= 1
    if spaced:
        begin = digits_start if digits_start < position else position
        while begin > floor and lowered[begin - 1] in _NUMERAL_CHARS:
            begin -= 1
        if begin == position or (begin > 0 and is_word_char(lowered[begin - 1])):
            return None  # 西瓜1个 单人套餐: the count belongs to the word it is glued to
    if digits_start < position:
        if digits_start - 1 > floor and lowered[digits_start - 1] == ".":
            whole_start = digits_start - 1  # 1.5斤草莓: a fraction, not a count
            while whole_start > floor and lowered[whole_start - 1].isdigit():
                whole_start -= 1
            return _Quantity(whole_start, start, None)
        return _Quantity(digits_start, start, quantity_value(lowered[digits_start:position]))
    numeral_start = position
    while numeral_start > floor and lowered[numeral_start - 1] in _NUMERAL_CHARS:
        numeral_start -= 1
    for begin in range(numeral_start, position):
        if number_value(lowered[begin:position]) is not None:
            return _Quantity(begin, start, quantity_value(lowered[begin:position]))
    if lowered[position - 1 : position] == "半":
        return _Quantity(position - 1, start, None)
    return None


def _is_glued(text: str, start: int, floor: int, end: int, next_start: int) -> bool:
    left = start > 0 and start != floor and is_word_char(text[start - 1])
    right = end < len(text) and end != next_start and is_word_char(text[end])
    if right and end + 1 == next_start and text[end] in _JOINERS:
        right = False  # 草莓和蓝莓各两份
    return left or right


# Words that join two products in one entry: 草莓和蓝莓, 草莓加蓝莓.
_JOINERS = frozenset("和与及跟加")


def _item(
    catalog: Catalog,
    term: str,
    chosen: list[CatalogVariant],
    text: str,
    start: int,
    end: int,
    quantity: _Quantity | None,
) -> FoundItem:
    resolution = catalog.resolve(term, chosen or None)
    item = FoundItem(
        start,
        end,
        text[start:end].strip(),
        resolution.sku,
        quantity.value if quantity else 1,
        has_explicit_quantity=quantity is not None,
    )
    if resolution.problem:
        item.problems.append(resolution.problem)
    if item.quantity is None:
        item.problems.append(problems.QUANTITY_INVALID)
    return item


def _share_quantity(found: list[FoundItem], item: FoundItem) -> None:
    """草莓、蓝莓各2份: the count after 各 goes to each item listed just before it."""
    for earlier in reversed(found):
        if earlier.has_explicit_quantity:
            break
        earlier.quantity = item.quantity
        earlier.has_explicit_quantity = True
        if item.quantity is None and problems.QUANTITY_INVALID not in earlier.problems:
            earlier.problems.append(problems.QUANTITY_INVALID)
