"""A merchant pastes the whole chain from the group: every numbered entry becomes one order
to check, whatever numbering, wrapping and decoration the chain picked up on the way."""

import pytest

from dingdan.chains.parsing.parser import parse_chain

S, B = "STRAW-500", "BLUE-125"


def rows(catalog, text, points=()):
    return [
        (
            entry.seq,
            entry.parsed.customer,
            entry.parsed.phone,
            [(item.sku, item.quantity) for item in entry.parsed.items],
            entry.parsed.problems,
        )
        for entry in parse_chain(text, catalog, points).entries
    ]


def test_header_rules_and_example_are_not_entries(catalog):
    chain = parse_chain(
        "#接龙 🍓🍓🍓\n"
        "【周末水果团】 1.5元起\n"
        "周五晚8点截单,周六自提\n"
        "自提点：阳光小区东门(周六上午)、幸福里南门\n"
        "格式:序号 姓名 品名+数量 电话 地址\n"
        "例：张三 草莓2份 13800138000 阳光小区东门\n"
        "\n"
        "1. 李四 草莓x2 13912345678 东门\n",
        catalog,
    )

    assert chain.pickup_points == ["阳光小区东门", "幸福里南门"]
    assert [entry.as_dict() for entry in chain.entries] == [
        {
            "seq": 1,
            "customer": "李四",
            "phone": "13912345678",
            "address": None,
            "pickup_point": "阳光小区东门",
            "items": [{"sku": S, "quantity": 2}],
            "note": None,
            "problems": [],
        }
    ]


def test_a_year_or_an_example_in_the_header_is_not_an_entry(catalog):
    text = (
        "2024 夏季草莓团\n例如张三 草莓x2 13800138000\n示例:李四 蓝莓1盒\n"
        "1 王五 草莓x2 13800001111\n"
    )
    assert rows(catalog, text) == [(1, "王五", "13800001111", [(S, 2)], [])]


def test_numbered_rules_in_the_header_are_not_entries(catalog):
    text = (
        "草莓团购规则:\n1. 周五晚8点截单\n2. 自提点:幸福里南门\n"
        "例 张三 草莓2份 13800138000\n1. 李四 草莓x2 13912345678\n"
    )
    assert rows(catalog, text) == [(1, "李四", "13912345678", [(S, 2)], [])]


@pytest.mark.parametrize(
    "first,second",
    [
        ("1.", "2."),
        ("1、", "2、"),
        ("1)", "2)"),
        ("1）", "2）"),
        ("1．", "2．"),
        ("１．", "２．"),
        ("①", "②"),
        ("(1)", "(2)"),
        ("1:", "2:"),
        ("1 ", "2 "),
        ("1.", "2、"),
    ],
)
def test_every_numbering_style_starts_an_entry(catalog, first, second):
    text = f"#接龙\n{first}李四 草莓x2 13912345678\n{second} 王五 蓝莓1盒 13800001111\n"
    assert rows(catalog, text) == [
        (1, "李四", "13912345678", [(S, 2)], []),
        (2, "王五", "13800001111", [(B, 1)], []),
    ]


def test_seq_is_the_number_written(catalog):
    text = "7. 李四 草莓x2 13912345678\n12、王五 蓝莓1盒 13800001111\n⑳ 赵六 草莓 13600002222\n"
    assert [seq for seq, *_ in rows(catalog, text)] == [7, 12, 20]


def test_a_wrapped_entry_continues_on_the_next_line(catalog):
    chain = parse_chain(
        "1. 李四 草莓x2\n"
        "   13912345678 幸福路8号\n"
        "   备注:不要太熟的\n"
        "2. 王五\n"
        "蓝莓1盒 13800001111\n"
        "幸福里南门\n",
        catalog,
        ["幸福里南门"],
    )
    first, second = (entry.as_dict() for entry in chain.entries)
    assert (first["phone"], first["address"], first["note"]) == (
        "13912345678",
        "幸福路8号",
        "不要太熟的",
    )
    assert first["items"] == [{"sku": S, "quantity": 2}]
    assert (second["customer"], second["phone"], second["pickup_point"]) == (
        "王五",
        "13800001111",
        "幸福里南门",
    )
    assert second["items"] == [{"sku": B, "quantity": 1}]


def test_an_entry_naming_its_pickup_point_or_the_cut_off_is_still_an_entry(catalog):
    text = (
        "#接龙\n1. 周五截单\n2. 自提点:幸福里南门\n"
        "1. 张三 草莓x2 自提点:幸福里南门 13800138000\n"
        "2. 李四 草莓x1 13912345678 截单前送到\n"
    )
    chain = parse_chain(text, catalog)
    # The chain has one pickup point: an entry that names none picks up there.
    assert [(e.seq, e.parsed.pickup_point, e.parsed.note) for e in chain.entries] == [
        (1, "幸福里南门", None),
        (2, "幸福里南门", "截单前送到"),
    ]


def test_a_footer_after_a_blank_line_is_not_read(catalog):
    text = "1. 李四 草莓x2 13912345678\n\n谢谢大家支持！🙏\n截单啦\n"
    assert rows(catalog, text) == [(1, "李四", "13912345678", [(S, 2)], [])]


def test_a_second_chain_pasted_below_restarts_nothing(catalog):
    text = "1. 李四 草莓x2 13912345678\n\n2. 王五 蓝莓1盒 13800001111\n"
    assert [seq for seq, *_ in rows(catalog, text)] == [1, 2]


def test_the_same_customer_with_the_same_items_again_is_a_duplicate(catalog):
    text = (
        "1. 李四 草莓x2 13912345678\n"
        "2. 王五 蓝莓1盒 13800001111\n"
        "3. 李四 草莓x2 139-1234-5678\n"  # same phone, other spelling
        "4. 李四妈妈 草莓x2 13912345678\n"  # same phone, name written otherwise
        "5. 王五 蓝莓一盒\n"  # no phone: the same name decides
        "6. 李四 草莓x3 13912345678\n"  # other items: a second order
        "7. 李四 草莓x2 13712345678\n"  # other phone: another 李四
        "8. 李四 草莓x1 蓝莓x1 13912345678\n"
        "9. 李四 蓝莓x1 草莓x1 13912345678\n"  # same items in another order
    )
    problems = {seq: found for seq, _, _, _, found in rows(catalog, text)}
    assert problems == {
        1: [],
        2: [],
        3: ["duplicate_entry"],
        4: ["duplicate_entry"],
        5: ["duplicate_entry"],
        6: [],
        7: [],
        8: [],
        9: ["duplicate_entry"],
    }


def test_an_entry_without_items_is_flagged_but_not_one_with_unknown_items(catalog):
    text = (
        "1. 李四 13912345678 幸福路8号\n2.\n3. 王五 榴莲2个 13800001111\n4. 赵六 蛋糕 13600002222\n"
    )
    assert rows(catalog, text) == [
        (1, "李四", "13912345678", [], ["no_items"]),
        (2, "", None, [], ["no_items"]),
        (3, "王五", "13800001111", [], ["product_unknown"]),
        (4, "赵六", "13600002222", [], ["spec_ambiguous"]),
    ]


def test_entries_with_unknown_items_are_never_duplicates_of_each_other(catalog):
    text = "1. 王五 榴莲2个 13800001111\n2. 王五 榴莲2个 13800001111\n"
    assert [found for *_, found in rows(catalog, text)] == [["product_unknown"]] * 2


def test_pickup_points_given_by_the_merchant_join_those_of_the_header(catalog):
    chain = parse_chain(
        "自提点:幸福里南门\n1. 李四 草莓x2 13912345678 北门驿站\n", catalog, ["北门驿站"]
    )
    assert chain.pickup_points == ["北门驿站", "幸福里南门"]
    assert chain.entries[0].parsed.pickup_point == "北门驿站"


def test_a_chain_without_numbers_is_read_one_line_per_order(catalog):
    text = "周末草莓团\n截单时间:周五\n李四 草莓x2 13912345678\n王五 蓝莓1盒 13800001111\n谢谢\n"
    assert rows(catalog, text) == [
        (1, "李四", "13912345678", [(S, 2)], []),
        (2, "王五", "13800001111", [(B, 1)], []),
    ]


def test_an_empty_paste_has_no_entries(catalog):
    assert parse_chain("", catalog).entries == []
    assert parse_chain("#接龙\n周末草莓团\n", catalog).entries == []


def test_windows_line_ends_and_a_byte_order_mark_change_nothing(catalog):
    text = "\ufeff#接龙\r\n1. 李四 草莓x2 13912345678\r\n   幸福路8号\r\n"
    chain = parse_chain(text, catalog)
    assert [(e.parsed.customer, e.parsed.address) for e in chain.entries] == [("李四", "幸福路8号")]
    assert rows(catalog, "\ufeff1. 李四 草莓x2 13912345678\r\n") == [
        (1, "李四", "13912345678", [(S, 2)], [])
    ]


def test_the_brief_examples_read_in_a_chain(catalog):
    text = (
        "#接龙\n自提点:阳光小区东门、幸福里南门\n"
        "1. 张三 13800138000 草莓2份 蓝莓1盒 幸福路8号\n"
        "2. 李四 草莓x2 13912345678 阳光小区东门\n"
        "3. 赵六 奶油草莓*3 1380000222 阳光小区东门 不要辣\n"
    )
    entries = [entry.as_dict() for entry in parse_chain(text, catalog).entries]
    assert [(e["customer"], e["address"], e["pickup_point"], e["note"]) for e in entries] == [
        ("张三", "幸福路8号", None, None),
        ("李四", None, "阳光小区东门", None),
        ("赵六", None, "阳光小区东门", "不要辣"),
    ]
    assert entries[2]["phone"] == "1380000222" and entries[2]["problems"] == ["phone_invalid"]


def test_a_price_list_and_marked_rules_are_not_entries_in_an_unnumbered_chain(catalog):
    text = (
        "Group buy: 周末水果团\n"
        "Cut-off: Sat 19 Dec 20:00\n"
        "Pickup point: 阳光小区东门(幸福路8号)\n"
        "· 草莓 500g ¥39.90 limit 2 per person\n"
        "蓝莓 125g 19.9元\n"
        "※ 草莓2份起送\n"
        "Example: Amy 草莓x2 13800138000 阳光小区东门\n"
        "李四 草莓x2 13912345678 东门\n"
    )
    chain = parse_chain(text, catalog)
    assert chain.pickup_points == ["阳光小区东门"]
    assert rows(catalog, text) == [(1, "李四", "13912345678", [(S, 2)], [])]
