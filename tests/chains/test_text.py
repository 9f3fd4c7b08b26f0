"""Pasted chat text is folded into one spelling before anything reads it."""

import pytest

from dingdan.chains.parsing.text import chinese_number, normalize


@pytest.mark.parametrize(
    "typed,normalised",
    [
        ("１２３ ，：（）＊ｘ", "123 ,:()*x"),
        ("草莓🍓x2", "草莓 x2"),
        ("张三👍🏻 草莓", "张三 草莓"),
        ("❤️幸福路8号❤️", "幸福路8号"),
        ("[玫瑰]张三[强]", "张三"),
        ("草莓✖２", "草莓×2"),
        ("【周末团】", "周末团"),
        ("张三\u3000\u3000草莓\t x2", "张三 草莓 x2"),
        ("  一行  \n  两行 ", "一行\n两行"),
        ('刘·小明 Amy1998 写"生日快乐"', '刘·小明 Amy1998 写"生日快乐"'),
    ],
)
def test_normalise_folds_width_and_drops_decoration_but_no_word(typed, normalised):
    assert normalize(typed) == normalised


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
