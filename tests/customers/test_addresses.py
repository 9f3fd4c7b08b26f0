"""Customers paste their address as one line in chat; the merchant gets it split into
province, city, district and street without a character lost."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dingdan.customers.addresses import PROVINCES, AddressParts, split_address

LINES = [
    (
        "广东省深圳市南山区科技园路1号",
        ("广东省", "深圳市", "南山区", "科技园路1号"),
    ),
    ("北京市朝阳区建国路88号", ("北京市", "北京市", "朝阳区", "建国路88号")),
    ("上海浦东新区世纪大道100号", ("上海市", "上海市", "浦东新区", "世纪大道100号")),
    ("重庆市渝中区解放碑民族路8号", ("重庆市", "重庆市", "渝中区", "解放碑民族路8号")),
    ("天津市天津市和平区南京路189号", ("天津市", "天津市", "和平区", "南京路189号")),
    (
        "广西壮族自治区南宁市青秀区民族大道100号",
        ("广西壮族自治区", "南宁市", "青秀区", "民族大道100号"),
    ),
    (
        "内蒙古自治区呼和浩特市赛罕区大学东街235号",
        ("内蒙古自治区", "呼和浩特市", "赛罕区", "大学东街235号"),
    ),
    (
        "新疆乌鲁木齐市天山区解放北路1号",
        ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放北路1号"),
    ),
    ("西藏拉萨市城关区北京中路", ("西藏自治区", "拉萨市", "城关区", "北京中路")),
    ("宁夏银川市兴庆区解放西街", ("宁夏回族自治区", "银川市", "兴庆区", "解放西街")),
    (
        "吉林省延边朝鲜族自治州延吉市光明街3号",
        ("吉林省", "延边朝鲜族自治州", "延吉市", "光明街3号"),
    ),
    (
        "内蒙古阿拉善盟阿拉善左旗巴彦浩特镇",
        ("内蒙古自治区", "阿拉善盟", "阿拉善左旗", "巴彦浩特镇"),
    ),
    ("黑龙江省大兴安岭地区漠河市北极村", ("黑龙江省", "大兴安岭地区", "漠河市", "北极村")),
    ("江苏省苏州市昆山市玉山镇前进路", ("江苏省", "苏州市", "昆山市", "玉山镇前进路")),
    ("浙江杭州市西湖区文三路90号", ("浙江省", "杭州市", "西湖区", "文三路90号")),
    ("广东省东莞市长安镇振安路", ("广东省", "东莞市", "", "长安镇振安路")),
    ("香港九龙旺角弥敦道700号", ("香港特别行政区", "", "", "九龙旺角弥敦道700号")),
    # No province: the city still counts when a district follows it.
    ("深圳市南山区科技园路1号", ("", "深圳市", "南山区", "科技园路1号")),
    ("吉林市船营区北京路", ("", "吉林市", "船营区", "北京路")),
    # Spaces between the parts, and inside the street part.
    (
        "广东省 深圳市 南山区 科技园路1号 A座 501",
        ("广东省", "深圳市", "南山区", "科技园路1号 A座 501"),
    ),
    ("  四川省成都市   武侯区人民南路四段  ", ("四川省", "成都市", "武侯区", "人民南路四段")),
    # Nothing recognisable: everything stays in the street part.
    ("南山区科技园路1号", ("", "", "", "南山区科技园路1号")),
    ("好又多超市旁边 3号楼", ("", "", "", "好又多超市旁边 3号楼")),
    ("Room 5, 88 Queen's Road", ("", "", "", "Room 5, 88 Queen's Road")),
    ("", ("", "", "", "")),
]


@pytest.mark.parametrize(("line", "parts"), LINES, ids=[line for line, _ in LINES])
def test_a_pasted_line_is_split_into_province_city_district_and_street(line, parts):
    assert split_address(line) == AddressParts(*parts)


def test_all_34_province_level_names_are_known_by_full_and_short_name():
    assert len(PROVINCES) == 34
    for short, full in PROVINCES:
        assert split_address(full + "某某路1号").province == full
        assert split_address(short + "某某路1号").province == full


def _is_subsequence(needle: str, haystack: str) -> bool:
    rest = iter(haystack)
    return all(char in rest for char in needle)


ADDRESS_PIECES = st.sampled_from(
    [full for _, full in PROVINCES]
    + [short for short, _ in PROVINCES]
    + ["深圳市", "南山区", "延边朝鲜族自治州", "阿拉善盟", "左旗", "大兴安岭地区", "某某县"]
    + ["市", "区", "县", "旗", "盟", "自治区", "省", "路", "号", "楼", " ", "\u3000", "1", "A"]
)
address_lines = st.lists(ADDRESS_PIECES | st.text(max_size=4), max_size=10).map("".join)


@given(address_lines)
def test_no_character_is_ever_lost(line):
    parts = split_address(line)
    joined = parts.province + parts.city + parts.district + parts.detail
    typed = "".join(char for char in line if not char.isspace())
    assert _is_subsequence(typed, joined)


@given(address_lines)
def test_parts_never_start_or_end_with_spaces(line):
    parts = split_address(line)
    for part in (parts.province, parts.city, parts.district, parts.detail):
        assert part == part.strip()
