"""Carriers and tracking numbers as merchants type them: real-looking numbers of every
carrier pass (cleaned), wrong ones are refused with what a number should look like."""

import pytest
from django.utils import translation

from dingdan.errors import InvalidInput
from dingdan.fulfillment.carriers import (
    CARRIERS,
    ShopCarrier,
    carrier_choices,
    check_shop_carrier,
    clean_tracking_number,
    find_carrier,
    tracking_url,
)

# Numbers shaped like those on real waybills, as a merchant might paste them.
REAL_LOOKING = {
    "sf": ["SF1234567890123", "sf 1392 0415 8866 1", "SF14567890123456", "291234567890"],
    "zto": ["75312345678901", "731234567890", "7862-1234-5678-90"],
    "yto": ["YT6012345678901", "yt 2258 1234 5678 90", "D012345678", "881234567890ABCDEF"],
    "yunda": ["431234567890123", "3101234567890", "5012345678901"],
    "sto": ["773012345678901", "430123456789", "7730 1234 5678 9012"],
    "jt": ["JT0001234567890", "jt5012345678901"],
    "jd": ["JDVA01234567890", "JDX012345678901", "JD0123456789012", "VA12345678901"],
    "ems": ["1151234567890", "9812345678901", "EA123456789CN", "lk123456789cn", "PA12345678901"],
    "deppon": ["DPK300123456789", "dpk 3001 2345 6789", "5012345678"],
}

WRONG = {
    "sf": ["SF12345", "1234567890", "YT6012345678901", "SF1234567890123456"],
    "zto": ["7531234567", "YT6012345678901", "753123456789012345"],
    "yto": ["YT123", "JT0001234567890", "123456789"],
    "yunda": ["431234567890", "4312345678901234", "YD4312345678901"],
    "sto": ["77301234567", "STO773012345678901"],
    "jt": ["JT00012345", "0001234567890", "SF1234567890123"],
    "jd": ["JD12345", "123456789"],
    "ems": ["115123456789", "EA12345678CN", "SF1234567890123"],
    "deppon": ["DPK3001", "1234567", "DPB300123456789"],
}


def _cases(table):
    return [(code, number) for code, numbers in table.items() for number in numbers]


def test_the_common_carriers_are_built_in():
    assert list(CARRIERS) == ["sf", "zto", "yto", "yunda", "sto", "jt", "jd", "ems", "deppon"]
    assert set(REAL_LOOKING) == set(WRONG) == set(CARRIERS)


@pytest.mark.parametrize(("code", "number"), _cases(REAL_LOOKING))
def test_a_real_looking_number_passes_cleaned(code, number):
    cleaned = clean_tracking_number(code, number)
    assert cleaned == number.replace(" ", "").replace("-", "").upper()


@pytest.mark.parametrize(("code", "number"), _cases(WRONG))
def test_a_wrong_number_is_refused_on_the_tracking_number(code, number):
    with pytest.raises(InvalidInput) as refused:
        clean_tracking_number(code, number)
    assert set(refused.value.fields) == {"tracking_number"}


def test_full_width_characters_and_dashes_are_made_plain():
    assert clean_tracking_number("sf", "ＳＦ１２３４５６７８９０１２３") == "SF1234567890123"
    assert clean_tracking_number("zto", "7531—2345—6789　01") == "75312345678901"


def test_the_refusal_says_what_a_number_looks_like_in_chinese():
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        clean_tracking_number("sf", "SF12345")
    assert str(refused.value.fields["tracking_number"]) == (
        "顺丰单号应为 SF 加 12 到 15 位数字，或 12 位数字。")


def test_the_refusal_reads_in_the_language_it_is_shown_in():
    with pytest.raises(InvalidInput) as refused:
        clean_tracking_number("jt", "JT123")
    message = refused.value.fields["tracking_number"]
    with translation.override("en"):
        assert str(message) == "A J&T Express number is JT followed by 12 to 15 digits."
    with translation.override("zh-hans"):
        assert str(message) == "极兔单号应为 JT 加 12 到 15 位数字。"


@pytest.mark.parametrize("number", ["", "   ", " - "])
def test_an_empty_number_is_asked_for(number):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        clean_tracking_number("zto", number)
    assert str(refused.value.fields["tracking_number"]) == "请填写快递单号。"


@pytest.mark.parametrize("number", ["单号75312345678901", "7531234567890#1", "7" * 33])
def test_other_characters_or_a_very_long_number_are_refused(number):
    with pytest.raises(InvalidInput) as refused:
        clean_tracking_number("zto", number)
    assert "tracking_number" in refused.value.fields


def test_an_unknown_carrier_is_refused_on_the_carrier():
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        clean_tracking_number("shunfeng", "SF1234567890123")
    assert set(refused.value.fields) == {"carrier"}
    assert str(refused.value.fields["carrier"]) == "未知的快递公司：shunfeng"


def test_carrier_names_read_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert [str(name) for _code, name in carrier_choices()] == [
            "顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "京东物流",
            "中国邮政/EMS", "德邦快递"]
    with translation.override("en"):
        assert str(find_carrier("SF").name) == "SF Express"


@pytest.mark.parametrize("code", sorted(CARRIERS))
def test_every_built_in_carrier_links_to_a_public_tracking_page(code):
    number = clean_tracking_number(code, REAL_LOOKING[code][0])
    url = tracking_url(code, number)
    assert url.startswith("https://") and number in url


def test_sf_links_to_its_own_waybill_page():
    assert tracking_url("sf", "SF1234567890123") == (
        "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123")
    assert tracking_url("zto", "75312345678901") == (
        "https://www.kuaidi100.com/chaxun?com=zhongtong&nu=75312345678901")


# --- the shop's own carriers ----------------------------------------------------------

CITY_COURIER = ShopCarrier(
    code="city-courier",
    name="同城跑腿",
    pattern=r"PT\d{6}",
    url_template="https://paotui.example.com/track?no={number}",
)
FREIGHT = ShopCarrier(code="freight", name="物流专线")


def test_a_shops_own_carrier_is_found_beside_the_built_in_ones():
    carrier = find_carrier("city-courier", [CITY_COURIER, FREIGHT])
    assert carrier.name == "同城跑腿" and not carrier.is_builtin
    assert [code for code, _name in carrier_choices([CITY_COURIER, FREIGHT])][-2:] == [
        "city-courier", "freight"]
    with pytest.raises(InvalidInput):
        find_carrier("city-courier")  # another shop's carrier is not this one's


def test_a_shops_pattern_is_checked_and_its_link_filled_in():
    shops = [CITY_COURIER]
    assert clean_tracking_number("city-courier", "PT 123-456", shop_carriers=shops) == "PT123456"
    assert clean_tracking_number("city-courier", "pt123456", shop_carriers=shops) == "PT123456"
    assert tracking_url("city-courier", "PT123456", shop_carriers=shops) == (
        "https://paotui.example.com/track?no=PT123456")
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as refused:
        clean_tracking_number("city-courier", "PT12", shop_carriers=shops)
    assert str(refused.value.fields["tracking_number"]) == "这个单号不像同城跑腿的单号。"


def test_a_shops_carrier_without_a_pattern_takes_any_letters_and_digits_as_written():
    assert clean_tracking_number("freight", "zx-2026 001", shop_carriers=[FREIGHT]) == "zx2026001"
    assert tracking_url("freight", "zx2026001", shop_carriers=[FREIGHT]) is None


def test_the_link_quotes_the_number():
    carrier = find_carrier("city-courier", [CITY_COURIER])
    assert carrier.tracking_url("A/B?C") == "https://paotui.example.com/track?no=A%2FB%3FC"


def test_a_good_shop_carrier_is_kept_trimmed():
    checked = check_shop_carrier(ShopCarrier(code=" City-Courier ", name=" 同城跑腿 ", pattern=""))
    assert checked == ShopCarrier(code="city-courier", name="同城跑腿")


@pytest.mark.parametrize(
    ("carrier", "field"),
    [
        (ShopCarrier(code="sf", name="我的顺丰"), "code"),
        (ShopCarrier(code="同城", name="同城跑腿"), "code"),
        (ShopCarrier(code="city", name=" "), "name"),
        (ShopCarrier(code="city", name="同城", pattern="PT(\\d{6}"), "pattern"),
        (ShopCarrier(code="city", name="同城", url_template="https://x.example.com/t"),
         "url_template"),
        (ShopCarrier(code="city", name="同城", url_template="javascript:alert({number})"),
         "url_template"),
    ],
)
def test_a_shop_carrier_that_cannot_work_is_refused_on_its_field(carrier, field):
    with pytest.raises(InvalidInput) as refused:
        check_shop_carrier(carrier)
    assert field in refused.value.fields


def test_every_refusal_reads_in_the_language_it_is_shown_in():
    refusals = []
    for call in (
        lambda: find_carrier("shunfeng"),
        lambda: clean_tracking_number("zto", "7" * 40),
        lambda: clean_tracking_number("city-courier", "PT1", shop_carriers=[CITY_COURIER]),
        lambda: check_shop_carrier(ShopCarrier(code="sf", name="顺丰")),
    ):
        with translation.override("en"), pytest.raises(InvalidInput) as refused:
            call()
        refusals.append(next(iter(refused.value.fields.values())))
    with translation.override("zh-hans"):
        assert [str(message) for message in refusals] == [
            "未知的快递公司：shunfeng",
            "快递单号最多 32 位，只能包含字母和数字。",
            "这个单号不像同城跑腿的单号。",
            "sf 是内置的快递公司，请换一个代码。",
        ]
    with translation.override("en"):
        assert str(refusals[0]) == "Unknown carrier: shunfeng"
