"""Chains as groups really write them: every numbering style, fields between any
separator and in any order, pickup points under letters, nicknames, Latin names and
traditional script, the organiser talking between entries."""

import pytest

from dingdan.chains.parsing import problems
from dingdan.chains.parsing.matching import catalog_from_rows
from dingdan.chains.parsing.parser import parse_chain

S, B, M, EGG = "STRAW-500", "BLUE-125", "MANGO-5", "EGG-30"
ENTRY = "李四 草莓x2 13912345678"


def one(catalog, text):
    entries = [entry.as_dict() for entry in parse_chain(text, catalog).entries]
    assert len(entries) == 1, entries
    return entries[0]


@pytest.mark.parametrize(
    "numbered,seq",
    [
        ("1. ", 1), ("1、", 1), ("1) ", 1), ("(1) ", 1), ("（1）", 1), ("【1】", 1), ("[1] ", 1),
        ("1-", 1), ("1|", 1), ("No.1 ", 1), ("#1 ", 1), ("第1位 ", 1), ("1️⃣ ", 1),
        ("1️⃣1️⃣", 11), ("🔟 ", 10), ("１００．", 100), ("② ", 2), ("128. ", 128), ("7 ", 7),
    ],
)  # fmt: skip
def test_every_numbering_style_gives_the_number_written(catalog, numbered, seq):
    entry = one(catalog, f"#接龙 周六草莓团\n{numbered}{ENTRY}\n")
    assert (entry["seq"], entry["customer"], entry["phone"]) == (seq, "李四", "13912345678")
    assert entry["items"] == [{"sku": S, "quantity": 2}]


@pytest.mark.parametrize(
    "line",
    [
        "1. 李四-草莓x2-13912345678-幸福路8号",
        "1. 李四|草莓x2|13912345678|幸福路8号",
        "1. 李四/草莓x2/13912345678/幸福路8号",
        "1. 李四，草莓x2，13912345678，幸福路8号",
        "1. 李四、草莓x2、13912345678、幸福路8号",
        "1.\t李四\t草莓x2\t13912345678\t幸福路8号",
        "1. 李四   草莓x2    13912345678  幸福路8号",
        "1. 13912345678 李四 草莓x2 幸福路8号",
        "1. 幸福路8号 李四 草莓x2 13912345678",
        "1. 草莓x2 13912345678 幸福路8号 李四",
    ],
)
def test_fields_between_any_separator_and_in_any_order(catalog, line):
    entry = one(catalog, line)
    assert (entry["customer"], entry["phone"], entry["address"]) == (
        "李四",
        "13912345678",
        "幸福路8号",
    )
    assert entry["items"] == [{"sku": S, "quantity": 2}] and entry["note"] is None


def test_a_dash_between_digits_stays_in_the_address_and_the_phone(catalog):
    entry = one(catalog, "1-王五-蓝莓2盒-138-0013-8000-阳光花园12-1-301")
    assert (entry["phone"], entry["address"]) == ("13800138000", "阳光花园12-1-301")


@pytest.mark.parametrize(
    "name",
    ["Jason Wu", "Lily Zhang", "Kiki0520", "小美🌸", "陳太", "草莓妈妈", "芒果哥", "3栋王姐"],
)
def test_names_are_kept_as_typed(catalog, name):
    entry = one(catalog, f"1. {name} 蓝莓x1 13912345678 幸福路8号")
    assert entry["customer"] == name
    assert entry["items"] == [{"sku": B, "quantity": 1}]
    assert entry["address"] == "幸福路8号" and entry["note"] is None


def test_a_product_in_traditional_script_is_the_same_product():
    catalog = catalog_from_rows([("TEA-LJ", "龙井", "250g", ()), ("BLUE", "蓝莓", "", ())])
    entry = one(catalog, "#接龍 截單時間:週五\n1. 陳太 龍井250克x2 藍莓1盒 13912345678 灣仔道8號")
    assert entry["customer"] == "陳太"
    assert entry["items"] == [{"sku": "TEA-LJ", "quantity": 2}, {"sku": "BLUE", "quantity": 1}]
    assert entry["address"] == "灣仔道8號"


def test_a_landline_with_its_area_code_is_a_phone(catalog):
    entry = one(catalog, "1. 李四 草莓x2 021-6123 4567 幸福路8号")
    assert (entry["phone"], entry["problems"]) == ("02161234567", [])


def test_points_listed_under_letters_are_named_by_their_letter(catalog):
    chain = parse_chain(
        "#接龙\n自提点：A. 东门菜鸟驿站  B. 西区3号楼大堂\n"
        "1. 李四 草莓x2 13912345678 A\n"
        "2. 王五 草莓x1 13912345679 B点\n"
        "3. 赵六 草莓x1 13912345670 A点自提\n"
        "4. 钱七 草莓x1 13912345671 西区\n",
        catalog,
    )
    assert chain.pickup_points == ["东门菜鸟驿站", "西区3号楼大堂"]
    assert [entry.parsed.pickup_point for entry in chain.entries] == [
        "东门菜鸟驿站", "西区3号楼大堂", "东门菜鸟驿站", "西区3号楼大堂",
    ]  # fmt: skip


def test_points_listed_one_per_line_below_the_label(catalog):
    chain = parse_chain(
        "#接龙\n自提点：\nA. 东门菜鸟驿站（周六上午）\nB、西区3号楼大堂\n\n"
        "1. 李四 草莓x2 13912345678 B\n",
        catalog,
    )
    assert chain.pickup_points == ["东门菜鸟驿站", "西区3号楼大堂"]
    assert [entry.parsed.pickup_point for entry in chain.entries] == ["西区3号楼大堂"]


def test_with_one_pickup_point_an_entry_naming_none_picks_up_there(catalog):
    chain = parse_chain("#接龙\n自提点：北门驿站\n1. 李四 草莓x2 13912345678\n", catalog)
    assert chain.entries[0].parsed.pickup_point == "北门驿站"


def test_a_place_that_is_part_of_two_points_is_a_problem_not_a_guess(catalog):
    entry = one(
        catalog, "#接龙\n自提点：阳光小区东门、幸福里东门\n1. 李四 草莓x2 13912345678 东门\n"
    )
    assert entry["pickup_point"] is None
    assert entry["problems"] == [problems.PICKUP_POINT_AMBIGUOUS]


def test_the_header_holds_the_organiser_phone_and_a_numbered_price_list(catalog):
    chain = parse_chain(
        "#接龙 周六水果团\n团长 Vivian 186 0000 9999\n1. 草莓 39.9元/盒\n2. 蓝莓 ¥19.9\n"
        "截單時間：周五晚8点\n\n1. 李四 草莓x2 13912345678 幸福路8号\n",
        catalog,
    )
    assert [(entry.seq, entry.parsed.customer) for entry in chain.entries] == [(1, "李四")]


def test_the_organiser_between_entries_is_neither_an_entry_nor_part_of_one(catalog):
    chain = parse_chain(
        "#接龙\n1. 李四 草莓x2 13912345678 幸福路8号\n团长：单人套餐还剩10份，要的抓紧\n\n"
        "@所有人 明天到货\n2. 王五 蓝莓x1 13800001111 幸福路9号\n\n谢谢大家支持！\n",
        catalog,
    )
    assert [(entry.seq, entry.parsed.note) for entry in chain.entries] == [(1, None), (2, None)]
    assert [entry.parsed.items[0].sku for entry in chain.entries] == [S, B]


def test_a_repost_under_the_organisers_summary_starts_at_its_chain(catalog):
    chain = parse_chain(
        "已接龙2人 草莓共3份\n1. 草莓 3份\n2. 蓝莓 1份\n\n#接龙 周六草莓团\n"
        "1. 李四 草莓x2 13912345678\n2. 王五 草莓x1 13800001111\n",
        catalog,
    )
    assert [(entry.seq, entry.parsed.customer) for entry in chain.entries] == [
        (1, "李四"),
        (2, "王五"),
    ]


def test_an_unnumbered_chain_skips_the_organiser_line_with_a_phone(catalog):
    chain = parse_chain(
        "鸡蛋团\n团长 Vivian 186 0000 9999\n李四 鸡蛋2份 13912345678\n王五 鸡蛋1份 13800001111\n",
        catalog,
    )
    assert [(entry.seq, entry.parsed.customer) for entry in chain.entries] == [
        (1, "李四"),
        (2, "王五"),
    ]
    assert chain.entries[0].parsed.items[0].sku == EGG


def test_a_format_line_putting_the_place_first_says_which_word_is_the_name(catalog):
    chain = parse_chain(
        "#接龙\n格式：序号-小区-姓名-商品-电话\n"
        "1-幸福里-小王-草莓2份-13800138000\n2-东湖-Tom-草莓1份-13800138002\n",
        catalog,
    )
    assert [(e.parsed.address, e.parsed.customer) for e in chain.entries] == [
        ("幸福里", "小王"),
        ("东湖", "Tom"),
    ]


def test_without_such_a_format_line_the_first_word_is_the_name(catalog):
    entry = one(catalog, "#接龙\n格式：序号-姓名-商品-电话\n1-小王-草莓2份-13800138000-东湖\n")
    assert (entry["customer"], entry["address"]) == ("小王", "东湖")


@pytest.mark.parametrize(
    "written,quantity",
    [("草莓+1", 1), ("草莓+3", 3), ("2份 草莓", 2), ("草莓共2份", 2), ("草莓 2 盒", 2)],
)
def test_counts_as_chains_write_them(catalog, written, quantity):
    entry = one(catalog, f"1. 李四 {written} 13912345678 幸福路8号")
    assert entry["items"] == [{"sku": S, "quantity": quantity}]
    assert (entry["phone"], entry["note"], entry["problems"]) == ("13912345678", None, [])


@pytest.mark.parametrize("address", ["科技园B座805", "科技園A座808", "鰂魚涌太古坊", "新都城2期"])
def test_office_and_hong_kong_addresses_are_addresses(catalog, address):
    entry = one(catalog, f"1. 李四 13912345678 {address} 草莓x2")
    assert (entry["address"], entry["note"]) == (address, None)


def test_a_labelled_address_ends_where_an_ordered_product_starts(catalog):
    entry = one(catalog, "1. 姓名:李四 电话:13912345678 地址:科技园A座2001 蓝莓x1 备注:送客户")
    assert entry["address"] == "科技园A座2001"
    assert entry["items"] == [{"sku": B, "quantity": 1}] and entry["note"] == "送客户"


def test_a_count_glued_to_an_unknown_word_is_not_the_next_products(catalog):
    entry = one(catalog, "1. 李四/西瓜1个/单人套餐/13912345678")
    assert entry["items"] == [{"sku": "SINGLE", "quantity": 1}]
    assert entry["problems"] == [problems.PRODUCT_UNKNOWN]
