"""Split one pasted address line into province / city / district / detail.

Customers paste addresses in chat as one line ("广东省深圳市南山区科技园路1号"). The splitter
reads the province from the 34 province-level names (full or short form, stored full), then
a city (…市/自治州/地区/盟) and a district (…区/县/市/旗). A part it cannot find is left
empty and the text stays in `detail`: it never drops a character except spaces between parts.
"""

import re
from dataclasses import dataclass

# (short form, full name). Municipalities end in 市, autonomous regions in 自治区.
PROVINCES: list[tuple[str, str]] = [
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"),
    ("澳门", "澳门特别行政区"),
]
assert len(PROVINCES) == 34

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}

# Characters that never occur in a city or district name but often in the street part, so
# "科技园路1号" or "万达广场3楼" is never mistaken for one.
_NOT_IN_NAME = r"\s\d0-9０-９a-zA-Zａ-ｚＡ-Ｚ路街道巷弄号楼栋幢室单元层村镇乡省"
_CITY = re.compile(rf"([^{_NOT_IN_NAME}区县市]{{1,10}}?)(自治州|地区|盟|市)")
_DISTRICT = re.compile(rf"([^{_NOT_IN_NAME}]{{1,10}}?)(区|县|市|旗)")


@dataclass(frozen=True)
class AddressParts:
    province: str = ""
    city: str = ""
    district: str = ""
    detail: str = ""

    def as_line(self) -> str:
        return "".join(part for part in (self.province, self.city, self.district) if part) + (
            self.detail or ""
        )


def _province_forms() -> list[tuple[str, str]]:
    """(text as typed, full name), longest first so 广西壮族自治区 wins over 广西."""
    forms = []
    for short, full in PROVINCES:
        forms.append((full, full))
        if full.endswith("自治区") and full != short + "自治区":
            forms.append((short + "自治区", full))
        forms.append((short, full))
    return sorted(forms, key=lambda form: len(form[0]), reverse=True)


_PROVINCE_FORMS = _province_forms()


def _take_province(text: str) -> tuple[str, str]:
    for typed, full in _PROVINCE_FORMS:
        if not text.startswith(typed):
            continue
        rest = text[len(typed) :]
        # "吉林市…" is the city of 吉林, not the province followed by 市.
        if typed != full and rest.startswith("市") and full not in MUNICIPALITIES:
            return "", text
        return full, rest
    return "", text


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    match = pattern.match(text)
    if match is None:
        return "", text
    return match.group(0), text[match.end() :]


def split_address(line: str) -> AddressParts:
    """The parts of a pasted address line; what is not recognised stays in `detail`."""
    text = " ".join((line or "").split())
    province, rest = _take_province(text)
    rest = rest.lstrip()
    if province in MUNICIPALITIES:
        # 北京市朝阳区…: the municipality is its own city; skip a repeated "北京市".
        city = province
        rest = rest.removeprefix(province).lstrip()
        district, rest = _take(_DISTRICT, rest)
    elif province:
        city, rest = _take(_CITY, rest)
        district, rest = _take(_DISTRICT, rest.lstrip())
    else:
        # Without a province, a city counts only when a district follows it: "好又多超市"
        # in a street address must not become a city.
        city, after_city = _take(_CITY, rest)
        district, after_district = _take(_DISTRICT, after_city.lstrip())
        if city and district:
            rest = after_district
        else:
            city = district = ""
    return AddressParts(province, city, district, rest.strip())
