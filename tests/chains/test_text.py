"""Pasted chat text is folded into one spelling before anything reads it."""

import pytest

from dingdan.chains.parsing.text import chinese_number, decode_chain, matching_form, normalize


@pytest.mark.parametrize(
    "typed,normalised",
    [
        ("１２３ ，：（）＊ｘ", "123 ,:()*x"),
        ("[玫瑰]张三[强]", "张三"),
        ("1️⃣ 草莓2️⃣份 🔟", "1 草莓2份 10"),
        ("→张三━━草莓", "张三 草莓"),
        ("草莓✖２", "草莓×2"),
        ("【周末团】", "周末团"),
        ("张三\u3000\u3000草莓\t x2", "张三 草莓 x2"),
        ("  一行  \n  两行 ", "一行\n两行"),
        ('刘·小明 Amy1998 写"生日快乐"', '刘·小明 Amy1998 写"生日快乐"'),
    ],
)
def test_normalise_folds_width_and_drops_decoration_but_no_word(typed, normalised):
    assert normalize(typed) == normalised


@pytest.mark.parametrize("typed", ["草莓🍓x2", "张三👍🏻 草莓", "❤️幸福路8号❤️", "小美🌸"])
def test_pictographs_are_kept_in_the_text_a_name_is_read_from(typed):
    assert normalize(typed) == typed


@pytest.mark.parametrize(
    "typed,matched",
    [
        ("草莓🍓X2", "草莓 x2"),
        ("龍井 藍莓", "龙井 蓝莓"),
        ("截單時間", "截单时间"),
        ("張三👍🏻", "张三  "),
    ],
)
def test_matchers_compare_lower_case_simplified_text_without_pictographs(typed, matched):
    assert matching_form(typed) == matched
    assert len(matching_form(typed)) == len(typed)


@pytest.mark.parametrize(
    "data",
    [
        "1. 陳太 龍井x2\r\n".encode(),
        "1. 陳太 龍井x2\r\n".encode("utf-8-sig"),
        "1. 陳太 龍井x2\r\n".encode("utf-16"),
        "1. 陳太 龍井x2\r\n".encode("utf-16-le"),
        "1. 陳太 龍井x2\r\n".encode("utf-16-be"),
        "1. 陈太 龙井x2\r\n".encode("gb18030"),
    ],
)
def test_a_chain_file_is_read_in_any_encoding_editors_save(data):
    assert decode_chain(data).splitlines()[0] in ("1. 陳太 龍井x2", "1. 陈太 龙井x2")


def test_a_file_in_no_known_encoding_is_refused():
    with pytest.raises(UnicodeDecodeError):
        decode_chain("草莓".encode() + b"\x80\xff")


@pytest.mark.parametrize(
    "numeral,value",
    [
        ("一", 1), ("两", 2), ("俩", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25),
        ("一百", 100), ("一百零五", 105), ("三百六十五", 365), ("零", 0), ("壹", 1),
        ("一二", None), ("半", None), ("", None), ("五个", None),
    ],
)  # fmt: skip
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value
