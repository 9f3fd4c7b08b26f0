"""One entry, or one chat message pasted into the new-order form, however the customer typed
it: the merchant gets the customer, phone, place, items and note, and a problem code for
anything they must look at."""

import pytest

from dingdan.chains.parsing.lines import parse_entry
from tests.chains.conftest import PICKUP_POINTS


def read(catalog, text, points=PICKUP_POINTS):
    entry = parse_entry(text, catalog, points)
    return {
        "customer": entry.customer,
        "phone": entry.phone,
        "address": entry.address,
        "pickup_point": entry.pickup_point,
        "items": [(item.sku, item.quantity) for item in entry.items],
        "note": entry.note,
        "problems": entry.problems,
    }


def expect(customer="张三", phone="13800138000", address=None, pickup_point=None, items=(),
           note=None, problems=()):  # fmt: skip
    return {
        "customer": customer,
        "phone": phone,
        "address": address,
        "pickup_point": pickup_point,
        "items": list(items),
        "note": note,
        "problems": list(problems),
    }


S, B = "STRAW-500", "BLUE-125"

PLAIN_CASES = {
    "the order of the brief": (
        "张三 13800138000 草莓2份 蓝莓1盒 幸福路8号",
        expect(address="幸福路8号", items=[(S, 2), (B, 1)]),
    ),
    "x quantity, pickup point": (
        "李四 草莓x2 13912345678 阳光小区东门",
        expect("李四", "13912345678", pickup_point="阳光小区东门", items=[(S, 2)]),
    ),
    "× and +, labelled phone with dashes": (
        "钱七 草莓×1+蓝莓×1 电话:137-1111-2222 幸福里南门",
        expect("钱七", "13711112222", pickup_point="幸福里南门", items=[(S, 1), (B, 1)]),
    ),
    "alias, * quantity, short phone, note": (
        "赵六 奶油草莓*3 1380000222 阳光小区东门 不要辣",
        expect(
            "赵六",
            "1380000222",
            pickup_point="阳光小区东门",
            items=[(S, 3)],
            note="不要辣",
            problems=["phone_invalid"],
        ),
    ),
    "odd spacing": (
        "   张三    草莓   x  2     13800138000    幸福路8号   ",
        expect(address="幸福路8号", items=[(S, 2)]),
    ),
    "full-width digits and punctuation": (
        "张三，草莓２份，电话：１３８００１３８０００，幸福路８号",
        expect(address="幸福路8号", items=[(S, 2)]),
    ),
    "ideographic spaces": (
        "张三\u3000草莓×３\u3000１３８ ００１３ ８０００",
        expect(items=[(S, 3)]),
    ),
    "emoji between and inside words": (
        "张三🍓 草莓🍓x3 🎉🎉 13800138000 ✨幸福路8号✨",
        expect(customer="张三🍓", address="幸福路8号", items=[(S, 3)]),
    ),
    "WeChat text emoji": (
        "[玫瑰]张三[玫瑰] 草莓x2 13800138000 [强]",
        expect(items=[(S, 2)]),
    ),
    "heavy multiplication emoji": ("张三 草莓✖2 13800138000", expect(items=[(S, 2)])),
    "capital X": ("张三 草莓X2 13800138000", expect(items=[(S, 2)])),
    "units 份 盒 斤 个": (
        "张三 草莓2份 蓝莓3盒 台芒4斤 鸡蛋5个 13800138000",
        expect(items=[(S, 2), (B, 3), ("MANGO-5", 4), ("EGG-30", 5)]),
    ),
    "Chinese numerals": (
        "张三 草莓两份 蓝莓一盒 台芒十二斤 13800138000",
        expect(items=[(S, 2), (B, 1), ("MANGO-5", 12)]),
    ),
    "no number means one": ("张三 草莓 蓝莓 13800138000", expect(items=[(S, 1), (B, 1)])),
    "a bare number after the product": ("张三 草莓 2 13800138000", expect(items=[(S, 2)])),
    "items glued together": ("张三 草莓2蓝莓3 13800138000", expect(items=[(S, 2), (B, 3)])),
    "items joined with 、": (
        "张三 草莓x2、蓝莓x1 13800138000",
        expect(items=[(S, 2), (B, 1)]),
    ),
    "count before the product": (
        "张三 2盒蓝莓 两份草莓 13800138000",
        expect(items=[(B, 2), (S, 2)]),
    ),
    "a spaced count before the next product is that product's": (
        "张三 草莓 2份蓝莓 13800138000",
        expect(items=[(S, 1), (B, 2)]),
    ),
    "各: the same count for each": (
        "张三 草莓、蓝莓各2份 13800138000",
        expect(items=[(S, 2), (B, 2)]),
    ),
    "the same product twice adds up": (
        "张三 草莓x2 草莓x1 13800138000",
        expect(items=[(S, 3)]),
    ),
    "name glued to its items": (
        "小明妈妈草莓2份蓝莓1盒 13800138000",
        expect("小明妈妈", items=[(S, 2), (B, 1)]),
    ),
    "name ending in a numeral glued to a count": (
        "张三两份草莓 13800138000",
        expect(items=[(S, 2)]),
    ),
    "name with a number in it": (
        "小明2号妈妈 草莓x2 13800138000 幸福里南门",
        expect("小明2号妈妈", pickup_point="幸福里南门", items=[(S, 2)]),
    ),
    "name with a year in it": (
        "Amy1998 蓝莓 两盒 13800138000 幸福路8号 晚点送",
        expect("Amy1998", address="幸福路8号", items=[(B, 2)], note="晚点送"),
    ),
    "an English name ending in x and a digit": (
        "Alex2 草莓x2 13800138000",
        expect("Alex2", items=[(S, 2)]),
    ),
    "a name containing a product is still a name": (
        "草莓妈妈 蓝莓x1 13800138000",
        expect("草莓妈妈", items=[(B, 1)]),
    ),
    "@mention": ("@李四 草莓x2 13800138000", expect("李四", items=[(S, 2)])),
    "name after the items": (
        "草莓x2 李四 13912345678 阳光小区东门",
        expect("李四", "13912345678", pickup_point="阳光小区东门", items=[(S, 2)]),
    ),
    "no name at all": (
        "13800138000 幸福路8号 草莓x2",
        expect("", address="幸福路8号", items=[(S, 2)]),
    ),
    "an address first is not a name": (
        "幸福路8号 草莓x2 13800138000",
        expect("", address="幸福路8号", items=[(S, 2)]),
    ),
    "phone with +86 and dashes": ("张三 +86 138-0013-8000 草莓x2", expect(items=[(S, 2)])),
    "phone from abroad": (
        "张三 +1 415 555 0123 草莓x2",
        expect(phone="+14155550123", items=[(S, 2)]),
    ),
    "phone glued to the name": ("张三13800138000 草莓x2", expect(items=[(S, 2)])),
    "a twelve-digit phone": (
        "张三 草莓x2 138001380001",
        expect(phone="138001380001", items=[(S, 2)], problems=["phone_invalid"]),
    ),
    "a phone starting 12": (
        "张三 草莓x2 12800138000",
        expect(phone="12800138000", items=[(S, 2)], problems=["phone_invalid"]),
    ),
    "a second phone goes to the note": (
        "张三 草莓x2 13800138000 13912345678",
        expect(items=[(S, 2)], note="13912345678"),
    ),
    "a valid phone wins over a mistyped one": (
        "张三 草莓x2 1380013800 13912345678",
        expect(phone="13912345678", items=[(S, 2)], note="1380013800"),
    ),
    "no phone": ("张三 草莓x2 幸福路8号", expect(phone=None, address="幸福路8号", items=[(S, 2)])),
    "room numbers stay in the address": (
        "张三 家庭套餐+单人套餐 13800138000 阳光花园 3-502",
        expect(address="阳光花园 3-502", items=[("FAMILY", 1), ("SINGLE", 1)]),
    ),
    "tower and flat": (
        "张三 家庭套餐x2、单人套餐 13800138000 B座 1203",
        expect(address="B座 1203", items=[("FAMILY", 2), ("SINGLE", 1)]),
    ),
    "part of a known pickup point": (
        "张三 草莓x1 13800138000 东门",
        expect(pickup_point="阳光小区东门", items=[(S, 1)]),
    ),
    "several notes": (
        "张三 草莓x1 13800138000 不要辣 晚点送",
        expect(items=[(S, 1)], note="不要辣 晚点送"),
    ),
    "labelled fields": (
        "姓名:张三 草莓x1 电话:13800138000 地址:广东省深圳市南山区科技园路1号 备注:放门口",
        expect(address="广东省深圳市南山区科技园路1号", items=[(S, 1)], note="放门口"),
    ),
    "a labelled note runs to the end of its line, products and all": (
        "张三 草莓x1 13800138000 备注:多送一个草莓 晚点送\n幸福路8号",
        expect(address="幸福路8号", items=[(S, 1)], note="多送一个草莓 晚点送"),
    ),
    "a pasted shipping label on several lines": (
        "收货人:王五\n手机号码:138 0013 8000\n详细地址:北京市朝阳区建国路88号\n草莓2份",
        expect("王五", address="北京市朝阳区建国路88号", items=[(S, 2)]),
    ),
    "labelled pickup point": (
        "张三 草莓x1 13800138000 自提:幸福里南门",
        expect(pickup_point="幸福里南门", items=[(S, 1)]),
    ),
    "a label glued to the name": ("张三电话:13800138000 草莓x2", expect(items=[(S, 2)])),
    "a labelled note stops at the next label": (
        "张三 草莓x1 备注:不要辣 电话:138-0013-8000 晚点送",
        expect(items=[(S, 1)], note="不要辣 晚点送"),
    ),
    "a phone after a labelled pickup point is still the phone": (
        "张三 草莓x2 自提点:幸福里南门 13800138000",
        expect(pickup_point="幸福里南门", items=[(S, 2)]),
    ),
    "a short labelled number is a mistyped phone": (
        "电话:12345 张三 草莓",
        expect(phone="12345", items=[(S, 1)], problems=["phone_invalid"]),
    ),
    "a message with one part per line": (
        "张三\n13800138000\n幸福路8号\n草莓2份",
        expect(address="幸福路8号", items=[(S, 2)]),
    ),
}


@pytest.mark.parametrize("text,expected", PLAIN_CASES.values(), ids=PLAIN_CASES.keys())
def test_an_entry_reads_as_the_customer_meant(catalog, text, expected):
    assert read(catalog, text) == expected


SPEC_CASES = {
    "spec after the name": ("张三 生日蛋糕6寸 13800138000", [("CAKE-6", 1)], []),
    "spec after the alias, spaced": ("张三 蛋糕 8寸 x2 13800138000", [("CAKE-8", 2)], []),
    "spec before the name": ("张三 6寸蛋糕 13800138000", [("CAKE-6", 1)], []),
    "spec then count": ("张三 生日蛋糕8寸1个 13800138000", [("CAKE-8", 1)], []),
    "spec with another unit spelling": ("张三 草莓500克x2 13800138000", [(S, 2)], []),
    "spec of the only variant may be left out": ("张三 纯牛奶x2 13800138000", [("MILK-12", 2)], []),
    "spec count is not the quantity": ("张三 纯牛奶12盒x2 13800138000", [("MILK-12", 2)], []),
    "no spec for a product with two": ("张三 蛋糕1个 13800138000", [], ["spec_ambiguous"]),
    "a spec the product does not have": ("张三 生日蛋糕10寸 13800138000", [], ["spec_ambiguous"]),
    "longest name wins over the alias inside it": (
        "张三 五常大米 土鸡蛋30枚 13800138000",
        [("RICE-5", 1), ("EGG-30", 1)],
        [],
    ),
}


@pytest.mark.parametrize("text,items,problems", SPEC_CASES.values(), ids=SPEC_CASES.keys())
def test_a_spec_written_with_the_product_picks_the_variant(catalog, text, items, problems):
    entry = read(catalog, text)
    assert (entry["items"], entry["problems"]) == (items, problems)


PROBLEM_CASES = {
    "unknown product with a count": ("老王 榴莲1个 13800138000", [], ["product_unknown"]),
    "unknown product with x": ("老王 榴莲x2 13800138000", [], ["product_unknown"]),
    "unknown product, count spaced off": ("老王 13800138000 榴莲 x2", [], ["product_unknown"]),
    "a product inside another word is not that product": (
        "老王 草莓酱2瓶 13800138000", [], ["product_unknown"]),
    "unknown beside known": ("老王 草莓x1 榴莲1个 13800138000", [(S, 1)], ["product_unknown"]),
    "zero": ("老王 草莓x0 13800138000", [], ["quantity_invalid"]),
    "zero in Chinese": ("老王 草莓零份 13800138000", [], ["quantity_invalid"]),
    "absurd": ("老王 草莓x1000 13800138000", [], ["quantity_invalid"]),
    "the most that is not absurd": ("老王 草莓x999 13800138000", [(S, 999)], []),
    "a fraction": ("老王 草莓1.5斤 13800138000", [], ["quantity_invalid"]),
    "half": ("老王 台芒半斤 13800138000", [], ["quantity_invalid"]),
    "several problems, in code order": (
        "老王 蛋糕 榴莲2个 草莓x0 1380013800",
        [],
        ["phone_invalid", "product_unknown", "spec_ambiguous", "quantity_invalid"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("text,items,problems", PROBLEM_CASES.values(), ids=PROBLEM_CASES.keys())
def test_what_cannot_be_ordered_is_left_out_and_reported(catalog, text, items, problems):
    entry = read(catalog, text)
    assert (entry["items"], entry["problems"]) == (items, problems)


def test_the_unmatched_items_keep_their_text_for_the_merchant(catalog):
    entry = parse_entry("老王 榴莲 x2 蛋糕1个 草莓x0 13800138000", catalog)

    assert [(item.text, item.quantity, item.problems) for item in entry.unmatched] == [
        ("榴莲 x2", 2, ["product_unknown"]),
        ("蛋糕1个", 1, ["spec_ambiguous"]),
        ("草莓x0", None, ["quantity_invalid"]),
    ]


def test_without_known_pickup_points_a_place_is_the_address(catalog):
    entry = read(catalog, "李四 草莓x2 13912345678 阳光小区东门", points=())
    assert (entry["address"], entry["pickup_point"]) == ("阳光小区东门", None)


def test_an_empty_message_has_nothing(catalog):
    assert read(catalog, "  \n ") == expect("", None)
