"""快递100 watches a shop's express shipments and pushes their steps: a shipment made with
an SF number is subscribed at the local 快递100 server (the right company code, number,
callback and the receiver's phone), the server pushes signed as 快递100 signs (MD5 over
param + the shop's salt) to the real endpoint, and the shipment and the order follow —
运输中, then 已送达 — each step recorded once however often it is pushed. A push not signed
with the shop's salt, or for another shop, records nothing."""

import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dingdan.errors import PermissionDenied
from dingdan.fulfillment.models import (
    ShipmentStatus,
    ShopCarrier,
    SubscriptionStatus,
    TrackingAccount,
    TrackingEvent,
    TrackingSubscription,
)
from dingdan.fulfillment.selectors.tracking_accounts import tracking_watch
from dingdan.fulfillment.services import shipping
from dingdan.fulfillment.services.tracking_accounts import save_tracking_account
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import Status
from dingdan.secret_box import decrypt_secret
from dingdan.shops.audit_models import AuditRecord
from tests import factories
from tests.fulfillment.providers import kuaidi100_server as server
from tests.fulfillment.providers.kuaidi100_server import push_body, push_param, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
NUMBER = "SF1234567890123"
TASK = "dingdan.fulfillment.tasks.subscribe_to_tracking"


@pytest.fixture
def kuaidi100_server(settings):
    with server.FakeKuaidi100() as fake:
        settings.KUAIDI100_BASE_URL = fake.base_url
        yield fake


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=10)
    return shop


@pytest.fixture
def owner(shop):
    return factories.staff_actor(shop, "owner")


@pytest.fixture
def account(shop, owner):
    return save_tracking_account(actor=owner, shop=shop, key=server.KEY)


def run_worker() -> None:
    """The configured backend's worker, until no task is due (the real `db_worker`)."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def ship(shop, number=NUMBER, carrier="sf"):
    order = factories.place(shop, [("APPLE", 2)], phone="13800138000")
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=order)
    return shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order,
                                    carrier=carrier, tracking_number=number)


def beijing(hours_ago: float) -> str:
    return (datetime.now(SHANGHAI) - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")


COLLECTED = step(beijing(30), "【深圳市】顺丰速运 已收取快件", code="1", status="揽收",
                 area="广东,深圳市")
ON_THE_WAY = step(beijing(20), "【深圳市】快件已发车，准备发往 【上海市】", code="1002",
                  status="干线", area="广东,深圳市")
SIGNED = step(beijing(2), "【上海市】快件已签收，签收人：本人", code="301", status="本人签收",
              area="上海,上海市,浦东新区")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def salt_of(shop) -> str:
    return decrypt_secret(TrackingAccount.objects.get(shop=shop).salt_encrypted)


def post_push(shop_slug: str, body: bytes, token: str = "") -> tuple[int, dict]:
    answer = Client().post(f"/api/v1/tracking/kuaidi100/{shop_slug}?shipment={token}", body,
                           content_type="application/x-www-form-urlencoded;charset=UTF-8")
    return answer.status_code, json.loads(answer.content)


# --- the whole way, through the local 快递100 and the real endpoint ------------------------


@pytest.mark.django_db(transaction=True)
def test_a_subscribed_shipment_follows_kuaidi100_s_pushes_to_delivered(
        shop, account, kuaidi100_server, live_server, settings):
    settings.SITE_URL = live_server.url
    shipment = ship(shop)

    run_worker()

    subscription = TrackingSubscription.objects.get(shipment=shipment)
    assert subscription.status == SubscriptionStatus.SUBSCRIBED
    sent = kuaidi100_server.watched[("shunfeng", NUMBER)]
    assert sent["key"] == server.KEY
    assert sent["parameters"]["phone"] == "13800138000"
    assert sent["parameters"]["salt"] == salt_of(shop)
    callback = urlsplit(sent["parameters"]["callbackurl"])
    assert f"{callback.scheme}://{callback.netloc}" == live_server.url
    assert callback.path == f"/api/v1/tracking/kuaidi100/{shop.slug}"
    assert parse_qs(callback.query) == {"shipment": [subscription.token]}

    assert kuaidi100_server.push("shunfeng", NUMBER, [ON_THE_WAY, COLLECTED], state="0") is True
    shipment = fresh(shipment)
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert Order.objects.get(pk=shipment.order_id).status == Status.IN_TRANSIT
    assert Order.objects.get(pk=shipment.order_id).get_status_display() == "运输中"

    # The whole journey again, one step more, and then the same push once more.
    journey = [SIGNED, ON_THE_WAY, COLLECTED]
    assert kuaidi100_server.push("shunfeng", NUMBER, journey, state="301",
                                 status="shutdown") is True
    assert kuaidi100_server.push("shunfeng", NUMBER, journey, state="301",
                                 status="shutdown") is True

    shipment = fresh(shipment)
    assert shipment.status == ShipmentStatus.DELIVERED
    order = Order.objects.get(pk=shipment.order_id)
    assert order.status == Status.DELIVERED and order.get_status_display() == "已送达"
    steps = list(TrackingEvent.objects.filter(shipment=shipment, source="provider"))
    assert [(e.status, e.detail) for e in steps] == [
        (ShipmentStatus.SHIPPED, COLLECTED["context"]),
        (ShipmentStatus.IN_TRANSIT, ON_THE_WAY["context"]),
        (ShipmentStatus.DELIVERED, SIGNED["context"]),
    ]
    assert steps[-1].location == "上海,上海市,浦东新区"
    assert fresh(subscription).status == SubscriptionStatus.FINISHED


# --- subscribing ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_subscribing_sends_the_company_code_number_callback_and_phone(
        shop, account, kuaidi100_server, settings):
    settings.SITE_URL = "https://dingdan.example.com"
    shipment = ship(shop)
    run_worker()

    (request,) = kuaidi100_server.requests
    assert request["path"] == "/poll" and request["form"]["schema"] == "json"
    param = json.loads(request["form"]["param"])
    token = TrackingSubscription.objects.get(shipment=shipment).token
    assert param["company"] == "shunfeng" and param["number"] == NUMBER
    assert param["parameters"]["callbackurl"] == (
        f"https://dingdan.example.com/api/v1/tracking/kuaidi100/{shop.slug}?shipment={token}")
    assert param["parameters"]["phone"] == "13800138000"
    assert param["parameters"]["resultv2"] == "4"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_subscribed_for_a_shop_without_an_account(
        shop, kuaidi100_server):
    shipment = ship(shop)
    run_worker()
    assert kuaidi100_server.requests == []
    assert not TrackingSubscription.objects.filter(shipment=shipment).exists()


@pytest.mark.django_db
def test_a_shop_s_own_carrier_and_a_shipment_without_a_number_are_not_watched(shop, account):
    ShopCarrier.objects.create(shop=shop, code="shunda", name="顺达同城")
    own = ship(shop, number="SD20261201", carrier="shunda")
    without_number = ship(shop, number="")
    assert not TrackingSubscription.objects.filter(shipment__in=[own, without_number]).exists()
    assert tracking_watch(own) is None


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_kuaidi100_is_asked_again_later(
        shop, account, kuaidi100_server):
    kuaidi100_server.fail_with_http = 502
    shipment = ship(shop)
    run_worker()

    subscription = TrackingSubscription.objects.get(shipment=shipment)
    assert subscription.status == SubscriptionStatus.PENDING and subscription.attempts == 1
    (later,) = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    assert later.run_after > timezone.now() + timedelta(minutes=4)

    kuaidi100_server.fail_with_http = None
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now())
    run_worker()
    assert fresh(subscription).status == SubscriptionStatus.SUBSCRIBED
    assert ("shunfeng", NUMBER) in kuaidi100_server.watched


@pytest.mark.django_db(transaction=True)
def test_a_refusal_is_kept_on_the_shipment_and_not_retried(
        shop, account, kuaidi100_server):
    kuaidi100_server.fail_with_code = "700"
    shipment = ship(shop)
    run_worker()

    subscription = fresh(shipment).tracking_subscription
    assert subscription.status == SubscriptionStatus.REFUSED
    assert subscription.message
    shown = tracking_watch(fresh(shipment))
    assert shown["status"] == "refused" and shown["label"] == "物流服务拒绝订阅"
    assert shown["message"] == subscription.message
    assert not DBTaskResult.objects.filter(task_path=TASK, status="READY").exists()


# --- pushes through the endpoint ------------------------------------------------------------


@pytest.fixture
def watched(shop, account):
    shipment = ship(shop)
    return TrackingSubscription.objects.get(shipment=shipment)


def signed(steps, salt, **kwargs) -> bytes:
    return push_body(push_param("shunfeng", NUMBER, steps, **kwargs), salt=salt)


@pytest.mark.django_db
def test_the_same_push_twice_records_each_step_once(shop, watched):
    body = signed([ON_THE_WAY, COLLECTED], salt_of(shop))

    assert post_push(shop.slug, body, watched.token) == (
        200, {"result": True, "returnCode": "200", "message": "成功"})
    assert post_push(shop.slug, body, watched.token)[0] == 200

    assert TrackingEvent.objects.filter(shipment=watched.shipment, source="provider").count() == 2
    assert fresh(watched.shipment).status == ShipmentStatus.IN_TRANSIT


@pytest.mark.django_db
def test_a_bad_signature_records_nothing_and_is_refused(shop, watched):
    param = push_param("shunfeng", NUMBER, [SIGNED, ON_THE_WAY, COLLECTED], state="301")
    forged = push_body(param, salt="8f0c3a6d2b9e4f1a7c5d0e3b6a9f2c4e")  # not the shop's
    unsigned = push_body(param, signature="")

    for body in (forged, unsigned):
        status, answer = post_push(shop.slug, body, watched.token)
        assert status == 400 and answer["result"] is False

    assert not TrackingEvent.objects.filter(shipment=watched.shipment, source="provider").exists()
    assert fresh(watched.shipment).status == ShipmentStatus.SHIPPED


@pytest.mark.django_db
def test_a_push_for_another_shop_records_nothing(shop, watched):
    other = factories.make_shop(name="另一家店")
    save_tracking_account(actor=factories.staff_actor(other, "owner"), shop=other, key="other1")
    ours = signed([SIGNED, ON_THE_WAY], salt_of(shop), state="301")
    theirs = signed([SIGNED, ON_THE_WAY], salt_of(other), state="301")

    # Our push under the other shop's slug: not signed with its salt.
    assert post_push(other.slug, ours, watched.token)[0] == 400
    # Signed with the other shop's salt, naming our shipment's token: no such shipment there.
    assert post_push(other.slug, theirs, watched.token)[0] == 400
    # Our salt, a token that is not the shipment's.
    assert post_push(shop.slug, ours, "guessed")[0] == 400
    assert post_push("no-such-shop", ours, watched.token)[0] == 404

    assert not TrackingEvent.objects.filter(source="provider").exists()
    assert fresh(watched.shipment).status == ShipmentStatus.SHIPPED


@pytest.mark.django_db
def test_a_push_for_another_number_under_the_shipment_s_token_is_refused(shop, watched):
    body = push_body(push_param("shunfeng", "SF9999999999999", [SIGNED], state="301"),
                     salt=salt_of(shop))
    assert post_push(shop.slug, body, watched.token)[0] == 400
    assert not TrackingEvent.objects.filter(source="provider").exists()


@pytest.mark.django_db
def test_when_kuaidi100_gives_up_the_number_is_subscribed_again_in_half_an_hour(
        shop, watched, django_capture_on_commit_callbacks):
    body = signed([], salt_of(shop), status="abort", message="3天查询无记录")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_push(shop.slug, body, watched.token)[0] == 200

    assert fresh(watched).status == SubscriptionStatus.GAVE_UP
    assert fresh(watched).message == "3天查询无记录"
    (again,) = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    assert again.run_after >= timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_a_push_that_cannot_be_recorded_answers_500_so_kuaidi100_retries(shop, watched):
    future = step((datetime.now(SHANGHAI) + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"),
                  "【上海市】快件已签收", code="301")
    status, answer = post_push(shop.slug, signed([future, COLLECTED], salt_of(shop)),
                               watched.token)
    assert status == 500 and answer["result"] is False
    assert not TrackingEvent.objects.filter(source="provider").exists()  # rolled back


# --- the account and its page ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_account_is_stored_encrypted_with_a_generated_salt_and_audited_masked(
        shop, owner):
    account = save_tracking_account(actor=owner, shop=shop, key=server.KEY)
    salt = decrypt_secret(account.salt_encrypted)

    assert server.KEY not in account.key_encrypted
    assert decrypt_secret(account.key_encrypted) == server.KEY
    assert len(salt) == 32 and salt not in account.salt_encrypted
    save_tracking_account(actor=owner, shop=shop, key="newKey2026")
    assert salt_of(shop) == salt  # kept: subscribed numbers are still signed with it
    records = AuditRecord.objects.filter(shop=shop, object_type="tracking_account")
    assert [r.action for r in records.order_by("id")] == ["created", "changed"]
    assert all(server.KEY not in json.dumps(r.changes) for r in records)
    with pytest.raises(PermissionDenied):
        save_tracking_account(actor=factories.staff_actor(shop, "manager"), shop=shop, key="x1")


@pytest.mark.django_db
def test_the_owner_s_page_shows_the_key_masked(shop):
    client = Client()
    client.force_login(factories.make_member(shop, "owner").user)

    assert client.get("/settings/tracking/").status_code == 200
    saved = client.post("/settings/tracking/", {"key": server.KEY})
    assert saved.status_code == 302

    text = client.get("/settings/tracking/").content.decode()
    assert "••••••••" in text
    assert server.KEY not in text and salt_of(shop) not in text
    assert f"/api/v1/tracking/kuaidi100/{shop.slug}" in text
    assert client.post("/settings/tracking/", {"key": ""}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "clerk", "warehouse", "finance", "viewer"])
def test_roles_other_than_the_owner_cannot_see_the_page(shop, role):
    client = Client()
    client.force_login(factories.make_member(shop, role).user)
    assert client.get("/settings/tracking/").status_code == 403
    assert client.post("/settings/tracking/", {"key": server.KEY}).status_code == 403
    assert not TrackingAccount.objects.filter(shop=shop).exists()


@pytest.mark.django_db(transaction=True)
def test_a_tracking_number_added_later_is_watched(shop, account, kuaidi100_server, settings):
    settings.SITE_URL = "https://dingdan.example.com"
    order = factories.place(shop, [("APPLE", 1)], phone="13800138000")
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=order)
    warehouse = factories.staff_actor(shop, "warehouse")
    shipment = shipping.create_shipment(actor=warehouse, order=order)  # no number yet
    run_worker()
    assert kuaidi100_server.requests == []

    shipping.set_tracking_number(actor=warehouse, shipment=shipment, carrier="sf",
                                 tracking_number=NUMBER)
    run_worker()

    (request,) = kuaidi100_server.requests
    assert json.loads(request["form"]["param"])["number"] == NUMBER
    assert TrackingSubscription.objects.get(shipment=shipment).status == \
        SubscriptionStatus.SUBSCRIBED


@pytest.mark.django_db
def test_the_worker_catches_up_on_subscriptions_left_pending(shop, account, kuaidi100_server,
                                                             settings):
    from dingdan.fulfillment.services.tracking_push import subscribe_pending

    settings.SITE_URL = "https://dingdan.example.com"
    shipment = ship(shop)  # its task is queued, but no worker ran it
    assert subscribe_pending() == 0  # too recent: its own task may still come
    TrackingSubscription.objects.filter(shipment=shipment).update(
        updated_at=timezone.now() - timedelta(minutes=10))

    assert subscribe_pending() == 1
    assert TrackingSubscription.objects.get(shipment=shipment).status == \
        SubscriptionStatus.SUBSCRIBED
