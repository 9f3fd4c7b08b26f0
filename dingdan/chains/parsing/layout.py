"""The format line of a chain's header (格式：序号-姓名-套餐及份数-电话): which field the
organiser asked for where. Only the order of the name and the place matters to the reader:
the phone and the items are found wherever they stand, but 幸福里-小王 reads as a place
then a name only when the format says the place comes first."""

import re

from dingdan.chains.parsing.text import normalize, simplified

_FORMAT = re.compile(r"^(?:格式|接龙格式|报名格式|(?i:format))\s*:\s*(?P<fields>.+)$")
_FIELD_WORDS = (
    ("name", re.compile(r"姓名|名字|昵称|称呼|群名|微信名|名称|(?i:name)")),
    (
        "place",
        re.compile(r"地址|小区|楼号|楼栋|门牌|房号|单元|栋|自提点|提货点|取货点|(?i:address)"),
    ),
)


def name_after_place(header: list[str]) -> bool:
    """Whether the header's format line puts the place (address, 小区, pickup point) before
    the name."""
    for line in header:
        match = _FORMAT.match(simplified(normalize(line)))
        if match is None:
            continue
        positions = {}
        for kind, words in _FIELD_WORDS:
            found = words.search(match.group("fields"))
            if found:
                positions[kind] = found.start()
        return "name" in positions and positions.get("place", len(line)) < positions["name"]
    return False
