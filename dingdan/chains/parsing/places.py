"""Where an order goes: a pickup point the organiser named, or an address.

A chain's header names its pickup points (自提点:阳光小区东门、幸福里南门); an entry that
writes one of them, or a piece only one of them contains (东门), picks up there. Any other
text that reads like a place (幸福路8号, 阳光花园12-1-301, 南山区科技园) is the address."""

import re
from collections.abc import Iterable, Mapping, Sequence

from dingdan.chains.parsing.text import EMOJI, matching_form, normalize, simplified
from dingdan.customers.addresses import split_address

# Words that make a text a place wherever they stand in it.
_PLACE_WORDS = re.compile(
    r"路|街|巷|弄|胡同|小区|花园|公寓|大厦|广场|社区|新村|家园|苑|单元|栋|幢|[省市区县镇乡村]"
    r"|\d+\s*(?:号楼|楼|层|室|号院|座|期|街|巷|弄)"
    r"|[A-Za-z0-9]\s*[座栋幢]|(?:园|苑|城|湾|坊|庭|府|阁)[A-Za-z0-9]"  # 科技园B座805
    r"|\d+(?:-\d+){1,3}"  # 12-1-301
)
# Words that make a text a place only as its last word (东门, 幸福里, 科技园), so 放门口 or
# 小明2号妈妈 stay what they are.
_PLACE_ENDINGS = re.compile(
    r"(?:[东南西北正侧后]?门|里|号|园|庭|府|座|层|城|湾|中心|学校|大学|医院|站|店|超市|驿站"
    r"|快递柜|楼|室|院|阁|湖|寺|公司|处|坊|涌|邨|村)$"
)
_POINT_LABEL = re.compile(
    r"(?:自提点|自提地址|提货点|取货点|自提|(?i:pickup point))\s*[:]\s*(?P<points>.+)$"
)
_POINT_SEPARATORS = re.compile(r"\s*[、,;/|]\s*|\s+")
_ANNOTATION = re.compile(r"\([^)]*\)")
# A point listed under a code: "A. 东门菜鸟驿站", "B点:西区3号楼大堂", "C、北门".
_CODED = re.compile(r"(?:^|(?<=\s))(?P<code>[A-Z])\s*点?\s*[.、:)]\s*")
_CODED_LINE = re.compile(r"^(?P<code>[A-Z])\s*点?\s*[.、:)]\s*(?P<name>\S.*)$")
_NUMBERED_LINE = re.compile(r"^(?:\d{1,2}\s*[.、:)]|[(]\d{1,2}[)]|[①-⑳])\s*(?P<name>\S.*)$")
_BULLET_LINE = re.compile(r"^[-·•*]\s*(?P<name>\S.*)$")
# How an entry names a coded point: A, A点, B点自提, 自提A, 自提点B.
_CODE_REFERENCE = re.compile(
    r"(?:自提点?|提货点?|取货点?)?(?P<code>[A-Za-z])点?(?:自提|提货|取货|取)?"
)


def is_place_like(text: str) -> bool:
    """Whether `text` reads like an address or a spot rather than a name or a note."""
    text = simplified(text)
    if _PLACE_WORDS.search(text) or _PLACE_ENDINGS.search(text):
        return True
    parts = split_address(text)
    return bool(parts.province or parts.district)


def is_clearly_address(text: str) -> bool:
    """幸福路8号, 南山区科技园: a place word with a number, or too long for a name. Even as
    the first word of an entry, where the name stands, this is an address (小明2号妈妈 is
    not)."""
    text = simplified(text)
    if not _PLACE_WORDS.search(text):
        return False
    return len(text) >= 5 or any(ch.isdigit() for ch in text)


def is_room_number(text: str) -> bool:
    """502, 12-1-301, B1203: a piece that continues the address written before it."""
    return bool(re.fullmatch(r"[A-Za-z]?\d{1,5}(?:-\d{1,5}){0,3}[A-Za-z]?", text))


def pickup_points_in(line: str) -> list[str]:
    """The pickup points a header line names ("自提点:阳光小区东门、幸福里南门"), in order;
    annotations in brackets (阳光小区东门(周六上午)) are not part of the name."""
    return [name for name, _code in _points_of_label(normalize(line))]


def header_points(lines: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """(points, {code: point}) of a chain's header: a 自提点 line listing them (maybe under
    codes, "A. 东门菜鸟驿站 B. 西区3号楼大堂"), or a 自提点 line followed by one coded,
    numbered or bulleted point per line. Labels may be in traditional script (自提點)."""
    points: list[str] = []
    codes: dict[str, str] = {}
    listing = False
    for raw in lines:
        line = _LEADING_PICTOGRAPHS.sub("", normalize(raw))
        found = _points_of_label(line)
        if found or _point_label_alone(line):
            listing = not found
        elif listing and _LISTED_LINES.match(line):
            found = [_listed_point(line)]
        else:
            listing = False
        coded = None if found else _CODED_LINE.match(line)
        if coded and "点" in simplified(line[: coded.end("code") + 2]):
            found = [_listed_point(line)]
        for name, code in found:
            if name and name not in points:
                points.append(name)
            if code and name:
                codes.setdefault(code, name)
    return points, codes


def is_point_label(line: str) -> bool:
    """自提点: with nothing after it: the points follow, one per line."""
    return _point_label_alone(_LEADING_PICTOGRAPHS.sub("", normalize(line)))


def _point_label_alone(line: str) -> bool:
    return bool(_LABEL_ALONE.fullmatch(simplified(line)))


def _points_of_label(line: str) -> list[tuple[str, str | None]]:
    match = _POINT_LABEL.search(simplified(line))
    if match is None:
        return []
    value = _ANNOTATION.sub("", line[match.start("points") :]).strip()
    parts = _CODED.split(value)
    if len(parts) > 1 and not parts[0].strip():
        # ["", "A", "东门菜鸟驿站 ", "B", "西区3号楼大堂"]
        pairs = zip(parts[1::2], parts[2::2], strict=True)
        return [(_point_name(name), code) for code, name in pairs]
    points = _POINT_SEPARATORS.split(value)
    return [(point, None) for point in points if point and ":" not in point]


_LEADING_PICTOGRAPHS = re.compile(rf"^(?:{EMOJI.pattern}|\s)+")
_LABEL_ALONE = re.compile(r"(?:自提点|自提地址|提货点|取货点|(?i:pickup points?))\s*[:]?")
# Below a bare 自提点: "A. 东门…", "A 东门…" (a letter and a space is enough there), "1. 东门…",
# "- 东门…".
_CODED_SPACED = re.compile(r"^(?P<code>[A-Z])\s+(?P<name>\S.*)$")
_LISTED_LINES = re.compile(
    rf"{_CODED_LINE.pattern}|{_CODED_SPACED.pattern}|{_BULLET_LINE.pattern}|{_NUMBERED_LINE.pattern}"
    .replace("(?P<code>", "(?:").replace("(?P<name>", "(?:")
)


def _listed_point(line: str) -> tuple[str, str | None]:
    coded = _CODED_LINE.match(line) or _CODED_SPACED.match(line)
    if coded:
        return _point_name(coded.group("name")), coded.group("code")
    listed = _BULLET_LINE.match(line) or _NUMBERED_LINE.match(line)
    return _point_name(listed.group("name")), None


def _point_name(text: str) -> str:
    """The point's name without what follows it in a listing (an address in brackets, a
    time after a space is kept out by the caller's split)."""
    return _ANNOTATION.sub("", text).strip().rstrip(",;、")


class PickupPoints:
    """Known pickup points, found in entry text by their full name or a unique part of it."""

    def __init__(
        self,
        points: Iterable[str],
        aliases: Mapping[str, str] | None = None,
        codes: Mapping[str, str] | None = None,
    ) -> None:
        """`aliases` maps another name people use (小区东门) to the point it means; `codes`
        the letters a chain lists its points under (A → 东门菜鸟驿站)."""
        self._codes = {code.upper(): point.strip() for code, point in (codes or {}).items()}
        seen: dict[str, str] = {}
        named = [(point, point) for point in points]
        for name, point in [*named, *(aliases or {}).items()]:
            key = matching_form(normalize(name)).strip()
            if key and key not in seen:
                seen[key] = point.strip()
        self._by_key = seen
        self._longest_first = sorted(seen, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(self._by_key.values()))

    def find_all(self, lowered: str) -> list[tuple[int, int, str]]:
        """(start, end, point) for each known point written in `lowered`, in text order."""
        found: list[tuple[int, int, str]] = []
        taken = [False] * len(lowered)
        for key in self._longest_first:
            start = lowered.find(key)
            while start != -1:
                end = start + len(key)
                if not any(taken[start:end]):
                    found.append((start, end, self._by_key[key]))
                    taken[start:end] = [True] * len(key)
                start = lowered.find(key, end)
        return sorted(found)

    def by_code(self, word: str) -> str | None:
        """The point an entry names by its code: A, A点, B点自提, 自提点C."""
        if not self._codes:
            return None
        match = _CODE_REFERENCE.fullmatch(word.strip())
        return self._codes.get(match.group("code").upper()) if match else None

    def by_part(self, text: str) -> str | None:
        """The one known point `text` is a part of (东门 → 阳光小区东门), or None."""
        matches = self.having_part(text)
        return matches[0] if len(matches) == 1 else None

    def having_part(self, text: str) -> list[str]:
        """Every known point `text` is a part of."""
        key = matching_form(text).strip()
        if len(key) < 2:
            return []
        return list(
            dict.fromkeys(name for point_key, name in self._by_key.items() if key in point_key)
        )


def as_points(points: "PickupPoints | Sequence[str] | None") -> PickupPoints:
    if isinstance(points, PickupPoints):
        return points
    return PickupPoints(points or ())
