"""快递100: subscriptions against a local server answering as /poll does, and pushes built
and signed in the test as 快递100 signs them."""

import json
import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dingdan.fulfillment import carriers
from dingdan.fulfillment.providers.base import (
    InvalidProviderConfig,
    InvalidPush,
    InvalidSignature,
    ProviderRefused,
    ProviderUnavailable,
    ShipmentStatus,
)
from dingdan.fulfillment.providers.kuaidi100 import (
    COMPANY_CODES,
    STATES,
    Kuaidi100,
    new_salt,
    sign,
    status_for,
)
from tests.fulfillment.providers import kuaidi100_server as server
from tests.fulfillment.providers.kuaidi100_server import push_body, push_param, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALLBACK = "https://shop.example.com/api/v1/fulfillment/kuaidi100/push/demo?shipment=s_8Kq2"


@pytest.fixture
def kuaidi100_server():
    with server.FakeKuaidi100() as fake:
        yield fake


@pytest.fixture
def provider(kuaidi100_server):
    return Kuaidi100(server.KEY, server.SALT, base_url=kuaidi100_server.base_url, timeout_seconds=2)


def _sent(fake):
    form = fake.requests[-1]["form"]
    return form, json.loads(form["param"])


# --- subscribing ---------------------------------------------------------------------


def test_subscribing_sends_the_number_the_key_and_where_to_push(provider, kuaidi100_server):
    subscription = provider.subscribe(
        "sf", "SF1234567890123", callback_url=CALLBACK, phone="13800138000"
    )

    assert subscription.already_subscribed is False
    assert subscription.message == "提交成功"
    form, param = _sent(kuaidi100_server)
    assert kuaidi100_server.requests[-1]["path"] == "/poll"
    assert "application/x-www-form-urlencoded" in kuaidi100_server.requests[-1]["headers"][
        "Content-Type"
    ]
    assert form["schema"] == "json"
    assert param["company"] == "shunfeng"
    assert param["number"] == "SF1234567890123"
    assert param["key"] == server.KEY
    assert param["parameters"] == {
        "callbackurl": CALLBACK,
        "salt": server.SALT,
        "resultv2": "4",
        "phone": "13800138000",
    }


def test_without_a_phone_none_is_sent(provider, kuaidi100_server):
    provider.subscribe("zto", "75312345678901", callback_url=CALLBACK)
    assert "phone" not in _sent(kuaidi100_server)[1]["parameters"]


def test_subscribing_again_is_fine(provider, kuaidi100_server):
    provider.subscribe("yto", "YT6012345678901", callback_url=CALLBACK)
    again = provider.subscribe("yto", "YT6012345678901", callback_url=CALLBACK)

    assert again.already_subscribed is True
    assert again.message == "重复订阅"


def test_a_wrong_key_is_refused_with_kuaidi100s_code(kuaidi100_server):
    provider = Kuaidi100("not-the-key", server.SALT, base_url=kuaidi100_server.base_url)
    with pytest.raises(ProviderRefused) as refused:
        provider.subscribe("yunda", "4312345678901234", callback_url=CALLBACK)
    assert refused.value.provider_code == "600"
    assert "您不是合法的订阅者" in str(refused.value)
    assert refused.value.retryable is False


def test_kuaidi100s_own_failure_is_worth_retrying(provider, kuaidi100_server):
    kuaidi100_server.fail_with_code = "500"
    with pytest.raises(ProviderUnavailable) as unavailable:
        provider.subscribe("sto", "773012345678901", callback_url=CALLBACK)
    assert unavailable.value.provider_code == "500"
    assert unavailable.value.retryable is True


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_answer_means_unavailable(provider, kuaidi100_server, status):
    kuaidi100_server.fail_with_http = status
    with pytest.raises(ProviderUnavailable) as unavailable:
        provider.subscribe("jt", "JT0001234567890", callback_url=CALLBACK)
    assert unavailable.value.http_status == status


def test_no_server_means_unavailable():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = Kuaidi100(server.KEY, server.SALT, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderUnavailable, match="did not answer"):
        provider.subscribe("ems", "1151234567890", callback_url=CALLBACK)


def test_a_shops_own_carrier_is_not_sent_to_kuaidi100(provider, kuaidi100_server):
    assert provider.supports("sf") and not provider.supports("city-courier")
    with pytest.raises(ProviderRefused):
        provider.subscribe("city-courier", "A123", callback_url=CALLBACK)
    assert kuaidi100_server.requests == []


@pytest.mark.parametrize(
    ("key", "salt", "field"), [("", server.SALT, "key"), (server.KEY, "", "salt")]
)
def test_an_account_needs_a_key_and_a_salt(key, salt, field):
    with pytest.raises(InvalidProviderConfig) as refused:
        Kuaidi100(key, salt)
    assert field in refused.value.fields


def test_a_new_salt_is_32_random_characters():
    assert len(new_salt()) == 32 and new_salt() != new_salt()


@pytest.mark.parametrize("carrier_code", sorted(carriers.CARRIERS))
def test_every_built_in_carrier_has_a_kuaidi100_company(carrier_code):
    company = COMPANY_CODES[carrier_code]
    page = carriers.CARRIERS[carrier_code].tracking_url("X")
    # The public page links use the same company code (SF links to its own page).
    assert carrier_code == "sf" or f"com={company}&" in page


# --- pushes ---------------------------------------------------------------------------

BEIJING, SHENZHEN, NANSHAN = "北京市,朝阳区", "广东省,深圳市", "广东省,深圳市,南山区"
JOURNEY = [  # newest first, as 快递100 sends it
    step("2026-12-03 14:20:05", "【北京市】已签收，签收人凭取件码签收。", code="304", area=BEIJING),
    step("2026-12-03 08:02:41", "【北京市】快递员 王师傅 正在为您派件", code="5", area=BEIJING),
    step("2026-12-02 21:15:00", "【北京市】快件已到达 顺义集散中心", code="1001", area="北京市"),
    step("2026-12-01 22:40:13", "【深圳市】快件已从 华南集散中心 发出", code="0", area=SHENZHEN),
    step("2026-12-01 18:05:30", "【深圳市】顺丰速运 已收取快件", code="103", area=NANSHAN),
]


def _delivered_push():
    return push_param("shunfeng", "SF1234567890123", JOURNEY, state="304", status="shutdown")


def test_a_signed_push_gives_the_journey_oldest_first_in_our_statuses(provider):
    push = provider.parse_push({}, push_body(_delivered_push()))

    assert (push.provider, push.carrier_code, push.tracking_number) == (
        "kuaidi100", "sf", "SF1234567890123")
    assert push.provider_carrier_code == "shunfeng"
    assert push.status is ShipmentStatus.DELIVERED
    assert push.is_final is True and push.gave_up is False
    assert [event.status for event in push.events] == [
        ShipmentStatus.SHIPPED,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELIVERED,
    ]
    first = push.events[0]
    assert first.at == datetime(2026, 12, 1, 18, 5, 30, tzinfo=SHANGHAI)
    assert first.at.utcoffset().total_seconds() == 8 * 3600
    assert first.detail == "【深圳市】顺丰速运 已收取快件"
    assert first.location == "广东省,深圳市,南山区"
    assert first.provider_status == "103"
    assert [event.at for event in push.events] == sorted(event.at for event in push.events)


def test_the_same_push_twice_has_the_same_event_keys(provider):
    body = push_body(_delivered_push())
    once, twice = provider.parse_push({}, body), provider.parse_push({}, body)

    keys = [event.idempotency_key for event in once.events]
    assert keys == [event.idempotency_key for event in twice.events]
    assert len(set(keys)) == len(keys)


def test_a_later_push_repeats_the_earlier_steps_under_the_same_keys(provider):
    earlier = push_param("shunfeng", "SF1234567890123", JOURNEY[2:], state="0")
    first = provider.parse_push({}, push_body(earlier))
    later = provider.parse_push({}, push_body(_delivered_push()))

    assert {e.idempotency_key for e in first.events} < {e.idempotency_key for e in later.events}
    assert first.status is ShipmentStatus.IN_TRANSIT and first.is_final is False


def test_steps_named_without_codes_still_get_a_status(provider):
    steps = [
        step("2026-12-02 09:00:00", "【杭州市】派件中", status="派件", area="浙江省,杭州市"),
        step("2026-12-01 20:00:00", "【上海市】已揽收", status="揽收"),
        step("2026-12-01 19:00:00", "商家已打印面单", status="一个新名字"),
    ]
    param = push_param("zhongtong", "75312345678901", steps, state="5")
    push = provider.parse_push({}, push_body(param))

    assert push.carrier_code == "zto"
    assert [e.status for e in push.events] == [
        None, ShipmentStatus.SHIPPED, ShipmentStatus.OUT_FOR_DELIVERY]
    assert push.status is ShipmentStatus.OUT_FOR_DELIVERY


def test_kuaidi100_giving_up_says_so(provider):
    param = push_param("yuantong", "YT6012345678901", [], state="0", status="abort",
                       message="3天查询无记录")
    push = provider.parse_push({}, push_body(param))

    assert push.events == () and push.is_final and push.gave_up
    assert push.message == "3天查询无记录"


def test_a_push_signed_with_another_salt_is_refused(provider):
    with pytest.raises(InvalidSignature) as refused:
        provider.parse_push({}, push_body(_delivered_push(), salt="another-accounts-salt"))
    assert refused.value.reason == "bad_signature"


def test_a_changed_param_is_refused(provider):
    param = _delivered_push()
    signature = sign(param, server.SALT)
    tampered = param.replace("SF1234567890123", "SF9999999999999")
    with pytest.raises(InvalidSignature):
        provider.parse_push({}, push_body(tampered, signature=signature))


def test_an_unsigned_push_is_refused(provider):
    with pytest.raises(InvalidSignature) as refused:
        provider.parse_push({}, push_body(_delivered_push(), signature=""))
    assert refused.value.reason == "missing_signature"


def test_a_lower_case_signature_is_the_same_signature(provider):
    param = _delivered_push()
    push = provider.parse_push({}, push_body(param, signature=sign(param, server.SALT).lower()))
    assert push.status is ShipmentStatus.DELIVERED


@pytest.mark.parametrize(
    "param",
    ["not json", "[]", json.dumps({"status": "polling"}),
     push_param("shunfeng", "", []),
     push_param("shunfeng", "SF1234567890123", [step("明天", "时间读不懂")])],
)
def test_a_signed_push_that_cannot_be_read_is_refused(provider, param):
    with pytest.raises(InvalidPush) as refused:
        provider.parse_push({}, push_body(param))
    assert not isinstance(refused.value, InvalidSignature)
    assert refused.value.reason == "malformed_body"


def test_the_reply_kuaidi100_expects():
    provider = Kuaidi100(server.KEY, server.SALT)
    taken = provider.reply_to_push()
    assert taken.status == 200
    assert json.loads(taken.body) == {"result": True, "returnCode": "200", "message": "成功"}

    refused = provider.reply_to_push(InvalidSignature("bad_signature", "wrong sign"))
    assert refused.status == 400 and json.loads(refused.body)["result"] is False
    failed = provider.reply_to_push(RuntimeError("database is locked"))
    assert failed.status == 500
    assert json.loads(failed.body) == {
        "result": False, "returnCode": "500", "message": "internal error"}


def test_a_push_from_kuaidi100_after_subscribing_is_verified_and_taken(
    provider, kuaidi100_server
):
    """The round trip: the salt sent with the subscription is the one the push is signed
    with, and the reply is the one 快递100 accepts."""
    pushes = []

    def handle(headers, body):
        try:
            pushes.append(provider.parse_push(headers, body))
        except InvalidPush as error:
            return provider.reply_to_push(error)
        return provider.reply_to_push()

    with server.Callback(handle) as callback:
        provider.subscribe("sf", "SF1234567890123", callback_url=callback.url("shipment=s_8Kq2"),
                           phone="0000")
        taken = kuaidi100_server.push(
            "shunfeng", "SF1234567890123", JOURNEY, state="304", status="shutdown")

    assert taken is True
    assert len(pushes) == 1 and pushes[0].status is ShipmentStatus.DELIVERED
    assert len(pushes[0].events) == len(JOURNEY)


def test_a_push_signed_for_another_account_is_not_taken(kuaidi100_server):
    ours = Kuaidi100(server.KEY, server.SALT, base_url=kuaidi100_server.base_url)
    impostor = Kuaidi100(server.KEY, new_salt(), base_url=kuaidi100_server.base_url)

    def handle(headers, body):
        try:
            ours.parse_push(headers, body)
        except InvalidPush as error:
            return ours.reply_to_push(error)
        return ours.reply_to_push()

    with server.Callback(handle) as callback:
        impostor.subscribe("zto", "75312345678901", callback_url=callback.url())
        taken = kuaidi100_server.push("zhongtong", "75312345678901", JOURNEY[2:])

    assert taken is False  # 快递100 would send it again; nothing was recorded


# --- the state table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"), [(code, status) for code, (_name, status) in STATES.items()]
)
def test_every_kuaidi100_state_maps_to_ours(code, expected, provider):
    param = push_param("jd", "JDVA01234567890",
                       [step("2026-12-02 10:00:00", "轨迹", code=code)], state=code)
    push = provider.parse_push({}, push_body(param))
    assert push.status is expected
    assert push.events[0].status is expected


@pytest.mark.parametrize(("code", "expected"), [
    ("205", ShipmentStatus.EXCEPTION),  # a kind of 疑难 not in the table
    ("305", ShipmentStatus.DELIVERED),
    ("1004", ShipmentStatus.IN_TRANSIT),
    ("99", None),
    ("", None),
])
def test_a_detailed_code_not_in_the_table_falls_back_to_its_family(code, expected):
    assert status_for(code) is expected


def test_a_state_sent_as_a_number_is_read_the_same(provider):
    param = json.loads(_delivered_push())
    param["lastResult"]["state"] = 3
    push = provider.parse_push({}, push_body(json.dumps(param, ensure_ascii=False)))
    assert push.status is ShipmentStatus.DELIVERED


def test_a_corrected_company_keeps_the_event_keys(provider):
    # Subscribed as ZTO by mistake; 快递100 found it is SF's and pushes under the new code.
    before = provider.parse_push(
        {}, push_body(push_param("zhongtong", "SF1234567890123", JOURNEY[2:]))
    )
    corrected = json.loads(_delivered_push())
    corrected |= {"autoCheck": "1", "comOld": "zhongtong", "comNew": "shunfeng"}
    after = provider.parse_push({}, push_body(json.dumps(corrected, ensure_ascii=False)))

    assert (before.carrier_code, after.carrier_code) == ("zto", "sf")
    assert {e.idempotency_key for e in before.events} < {e.idempotency_key for e in after.events}
