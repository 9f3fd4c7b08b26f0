"""Whatever way a customer writes a valid entry — any name, any phone spelling, any products
from the catalog with any way of counting, the parts in any order — it reads back as the
same customer, phone and items."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dingdan.chains.parsing.lines import parse_entry
from dingdan.chains.parsing.parser import parse_chain
from tests.chains.conftest import PICKUP_POINTS

NAMES = ["张三", "李四", "小明妈妈", "小明2号妈妈", "Amy1998", "周阿姨", "Lily", "老王", "阿May"]
# Names that also read as names when they are not written first.
PLAIN_NAMES = ["张三", "李四", "周阿姨", "Lily", "Tom"]
# Ways of writing each SKU that name it and nothing else.
SPELLINGS = {
    "STRAW-500": ["草莓", "丹东草莓", "奶油草莓", "草莓500g", "草莓500克"],
    "BLUE-125": ["蓝莓", "蓝莓125g"],
    "MANGO-5": ["芒果", "台芒", "小台芒", "芒果5斤装"],
    "FAMILY": ["家庭套餐"],
    "SINGLE": ["单人套餐"],
    "EGG-30": ["土鸡蛋", "鸡蛋", "土鸡蛋30枚"],
    "MILK-12": ["纯牛奶", "牛奶", "纯牛奶12盒"],
    "RICE-5": ["五常大米", "大米", "大米5kg"],
    "CAKE-6": ["生日蛋糕6寸", "蛋糕6寸", "6寸蛋糕", "蛋糕 6寸", "6寸生日蛋糕"],
    "CAKE-8": ["生日蛋糕8寸", "蛋糕8寸", "8寸蛋糕", "蛋糕 8寸"],
    "COURSE-EN": ["英语体验课", "体验课"],
}
SPECS = {"EGG-30": "30枚", "MILK-12": "12盒", "MANGO-5": "5斤装"}
COUNTS = ["x{n}", "×{n}", "*{n}", "X{n}", " x{n}", " x {n}", "{n}份", "{n}盒", "{n}斤", "{n}个",
          ":{n}份", "{cn}份", "{cn}盒"]  # fmt: skip
ADDRESSES = ["幸福路8号3栋502", "阳光花园12-1-301", "南山区科技园", "建国路88号"]
NOTES = ["不要辣", "晚点送", "谢谢老板", "要熟一点的"]
JOINERS = ["+", "、", " + ", "、 ", ", "]
SEPARATORS = [" ", "  ", ",", " , ", "\u3000", "，"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return "两" if n == 2 else digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@st.composite
def items(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(SPELLINGS)), min_size=1, max_size=4, unique=True))
    written, expected = [], []
    for sku in chosen:
        spelling = draw(st.sampled_from(SPELLINGS[sku]))
        if draw(st.booleans()):
            written.append(spelling)  # no number: one
            expected.append((sku, 1))
            continue
        n = draw(st.integers(min_value=1, max_value=99))
        count = draw(st.sampled_from(COUNTS)).format(n=n, cn=chinese(n))
        if sku in SPECS and SPECS[sku] in spelling + count:
            count = f"x{n}"  # 牛奶12盒 is the spec, not a count
        written.append(spelling + count)
        expected.append((sku, n))
    return written, expected


@st.composite
def phones(draw):
    digits = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    head, middle, tail = digits[:3], digits[3:7], digits[7:]
    spelled = draw(st.sampled_from([digits, f"{head}-{middle}-{tail}", f"{head} {middle} {tail}",
                                    f"+86 {digits}", f"+86-{digits}", f"电话:{digits}",
                                    f"手机:{head}-{middle}-{tail}", f"Tel:{digits}"]))  # fmt: skip
    return spelled, digits


@st.composite
def entries(draw, names=NAMES, name_first=True, with_note=True):
    name = draw(st.sampled_from(names))
    phone_text, phone = draw(phones())
    written_items, expected_items = draw(items())
    place = draw(st.sampled_from([None, *ADDRESSES, *PICKUP_POINTS]))
    note = draw(st.sampled_from([None, *NOTES])) if with_note else None
    if draw(st.booleans()):  # items written together: 草莓x2+蓝莓1盒, 草莓x2、蓝莓
        written_items = [draw(st.sampled_from(JOINERS)).join(written_items)]
    parts = [*written_items, phone_text, *([place] if place else []), *([note] if note else [])]
    parts = draw(st.permutations(parts))
    if name_first:
        parts = [name, *parts]
    else:
        parts = list(parts)
        parts.insert(draw(st.integers(min_value=0, max_value=len(parts))), name)
    text = ""
    for part in parts:
        text += (draw(st.sampled_from(SEPARATORS)) if text else "") + part
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    expected = {
        "customer": name,
        "phone": phone,
        "items": sorted(expected_items),
        "address": place if place in ADDRESSES else None,
        "pickup_point": place if place in PICKUP_POINTS else None,
        "note": note,
        "problems": [],
    }
    return text, expected


def read(entry) -> dict:
    return {
        "customer": entry.customer,
        "phone": entry.phone,
        "items": sorted((item.sku, item.quantity) for item in entry.items),
        "address": entry.address,
        "pickup_point": entry.pickup_point,
        "note": entry.note,
        "problems": entry.problems,
    }


@settings(max_examples=300, deadline=None)
@given(entries())
def test_a_valid_entry_reads_back_as_written(catalog, entry):
    text, expected = entry
    assert read(parse_entry(text, catalog, PICKUP_POINTS)) == expected, text


@settings(max_examples=200, deadline=None)
@given(entries(names=PLAIN_NAMES, name_first=False, with_note=False))
def test_the_name_is_found_wherever_it_stands(catalog, entry):
    text, expected = entry
    assert read(parse_entry(text, catalog, PICKUP_POINTS)) == expected, text


NUMBERING = ["{n}. ", "{n}.", "{n}、", "{n}) ", "{n}）", "{n}．", "({n}) ", "{circled} "]


@settings(max_examples=100, deadline=None)
@given(st.lists(entries(), min_size=1, max_size=8), st.data())
def test_a_chain_of_valid_entries_reads_back_entry_by_entry(catalog, chain_entries, data):
    lines = [
        "#接龙",
        "周末团购 截单时间:周五晚8点",
        "自提点:" + "、".join(PICKUP_POINTS),
        "例 张三 草莓x2",
        "",
    ]
    for n, (text, _) in enumerate(chain_entries, start=1):
        number = data.draw(st.sampled_from(NUMBERING)).format(n=n, circled=chr(0x245F + n))
        lines.append(number + text)
    chain = parse_chain("\n".join(lines), catalog)

    assert [entry.seq for entry in chain.entries] == list(range(1, len(chain_entries) + 1))
    for entry, (text, expected) in zip(chain.entries, chain_entries, strict=True):
        got = read(entry.parsed)
        got["problems"] = [code for code in got["problems"] if code != "duplicate_entry"]
        assert got == expected, text
