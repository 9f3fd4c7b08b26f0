"""The money endpoints as other programs use them: exact shapes, the documented refusals,
retries with an Idempotency-Key, and the order answering its money."""

import pytest

from dingdan.payments.models import Payment, Refund
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    shop.settings = {"payment_terms": "prepayment"}
    shop.save()
    return shop


@pytest.fixture
def order(shop):
    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    return factories.place(shop, [(sku.sku, 2)])


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "finance"))


def post(client, path, body, **headers):
    return client.post(f"/api/v1{path}", body, content_type="application/json",
                       headers=headers)


def test_paying_in_full_answers_the_payment_and_the_order_its_money(client, order):
    total = order.total_cents
    paid = post(client, f"/orders/{order.pk}/payments",
                {"amount_cents": total, "method": "wechat_pay", "reference": "4200009",
                 "paid_at": "2026-11-30T10:00:00+08:00"})
    assert paid.status_code == 201, paid.content
    body = paid.json()
    assert {k: body[k] for k in ("order_id", "amount_cents", "method", "status", "reference",
                                  "is_overpayment", "recorded_via")} == {
        "order_id": order.pk, "amount_cents": total, "method": "wechat_pay",
        "status": "succeeded", "reference": "4200009", "is_overpayment": False,
        "recorded_via": "api"}
    answer = client.get(f"/api/v1/orders/{order.pk}").json()
    assert {k: answer[k] for k in ("status", "payment_status", "paid_cents", "refunded_cents",
                                    "balance_due_cents")} == {
        "status": "pending_confirmation", "payment_status": "paid", "paid_cents": total,
        "refunded_cents": 0, "balance_due_cents": 0}
    listed = client.get(f"/api/v1/orders/{order.pk}/payments").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    in_list = client.get("/api/v1/orders").json()["items"][0]
    assert in_list["balance_due_cents"] == 0


def test_overpayment_and_cancelled_orders_are_409_with_their_codes(client, order):
    too_much = post(client, f"/orders/{order.pk}/payments",
                    {"amount_cents": order.total_cents + 1, "method": "cash"})
    assert too_much.status_code == 409
    assert too_much.json()["error"]["code"] == "overpayment"
    assert too_much.json()["error"]["details"] == {"balance_due_cents": order.total_cents}
    allowed = post(client, f"/orders/{order.pk}/payments",
                   {"amount_cents": order.total_cents + 1, "method": "cash",
                    "allow_overpayment": True})
    assert allowed.status_code == 201 and allowed.json()["is_overpayment"]

    sku = factories.make_sku(order.shop, stock=5)
    other = factories.place(order.shop, [(sku.sku, 1)])
    owner = factories.api_client(factories.token_for(order.shop, "owner", name="o"))
    assert post(owner, f"/orders/{other.pk}/cancel", {"reason": "duplicate"}).status_code == 200
    late = post(client, f"/orders/{other.pk}/payments", {"amount_cents": 1, "method": "cash"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "order_cancelled"


@pytest.mark.parametrize(("body", "field"), [
    ({"amount_cents": 0, "method": "cash"}, "amount_cents"),
    ({"amount_cents": -1, "method": "cash"}, "amount_cents"),
    ({"amount_cents": 100, "method": "bitcoin"}, "method"),
])
def test_a_bad_amount_or_method_is_400_naming_the_field(client, order, body, field):
    answer = post(client, f"/orders/{order.pk}/payments", body)
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


def test_errors_speak_the_callers_language(shop, order):
    english = factories.api_client(factories.token_for(shop, "finance", name="en"), "en")
    chinese = factories.api_client(factories.token_for(shop, "finance", name="zh"))
    body = {"amount_cents": order.total_cents + 1, "method": "cash"}
    assert "more than" in post(english, f"/orders/{order.pk}/payments",
                               body).json()["error"]["message"]
    assert "应付" in post(chinese, f"/orders/{order.pk}/payments",
                         body).json()["error"]["message"]


def test_a_retried_payment_with_the_same_key_is_recorded_once(client, order):
    body = {"amount_cents": 100, "method": "cash"}
    first = post(client, f"/orders/{order.pk}/payments", body, **{"Idempotency-Key": "p-1"})
    again = post(client, f"/orders/{order.pk}/payments", body, **{"Idempotency-Key": "p-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Payment.objects.filter(order=order).count() == 1


def test_refunds_over_the_api(client, order):
    post(client, f"/orders/{order.pk}/payments",
         {"amount_cents": order.total_cents, "method": "alipay"})
    made = post(client, f"/orders/{order.pk}/refunds",
                {"amount_cents": 1000, "reason": "少发一件"}, **{"Idempotency-Key": "r-1"})
    again = post(client, f"/orders/{order.pk}/refunds",
                 {"amount_cents": 1000, "reason": "少发一件"}, **{"Idempotency-Key": "r-1"})
    assert made.status_code == again.status_code == 201
    assert made.json() == again.json()
    assert (made.json()["number"], made.json()["method"], made.json()["status"]) == (
        "R000001", "alipay", "succeeded")
    assert Refund.objects.filter(order=order).count() == 1

    too_much = post(client, f"/orders/{order.pk}/refunds",
                    {"amount_cents": order.total_cents, "reason": "全退"})
    assert too_much.status_code == 409
    assert too_much.json()["error"]["code"] == "refund_exceeds_paid"
    assert too_much.json()["error"]["details"] == {
        "refundable_cents": order.total_cents - 1000}
    no_reason = post(client, f"/orders/{order.pk}/refunds", {"amount_cents": 1})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]

    listed = client.get(f"/api/v1/orders/{order.pk}/refunds").json()
    assert [r["number"] for r in listed["items"]] == ["R000001"]
    answer = client.get(f"/api/v1/orders/{order.pk}").json()
    assert (answer["refunded_cents"], answer["payment_status"], answer["balance_due_cents"]) \
        == (1000, "partially_refunded", 0)  # what went back is not owed again


def test_cancel_with_refund_over_the_api(shop, order):
    owner = factories.api_client(factories.token_for(shop, "owner"))
    post(owner, f"/orders/{order.pk}/payments",
         {"amount_cents": order.total_cents, "method": "wechat_pay"})
    no_reason = post(owner, f"/orders/{order.pk}/cancel", {"refund": True})
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["code"] == "cancel_reason_required"

    answer = post(owner, f"/orders/{order.pk}/cancel",
                  {"reason": "out_of_stock", "note": "缺货", "refund": True})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["cancel_reason"], body["payment_status"],
            body["refunded_cents"], body["balance_due_cents"]) == (
        "cancelled", "out_of_stock", "refunded", order.total_cents, 0)


def test_a_clerk_cannot_cancel_with_a_refund(shop, order):
    owner = factories.api_client(factories.token_for(shop, "owner"))
    post(owner, f"/orders/{order.pk}/payments", {"amount_cents": 100, "method": "cash"})
    clerk = factories.api_client(factories.token_for(shop, "clerk", name="clerk"))
    refused = post(clerk, f"/orders/{order.pk}/cancel",
                   {"reason": "customer_request", "refund": True})
    assert refused.status_code == 403
    assert client_status(owner, order) == "pending_payment"


def client_status(client, order) -> str:
    return client.get(f"/api/v1/orders/{order.pk}").json()["status"]


def test_a_retried_cancel_with_the_same_key_gets_the_first_answer(shop, order):
    owner = factories.api_client(factories.token_for(shop, "owner"))
    post(owner, f"/orders/{order.pk}/payments", {"amount_cents": 100, "method": "cash"})
    body = {"reason": "customer_request", "refund": True}
    first = post(owner, f"/orders/{order.pk}/cancel", body, **{"Idempotency-Key": "c-1"})
    again = post(owner, f"/orders/{order.pk}/cancel", body, **{"Idempotency-Key": "c-1"})
    without_key = post(owner, f"/orders/{order.pk}/cancel", body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert without_key.status_code == 409
    assert Refund.objects.filter(order=order).count() == 1


def test_a_reported_payment_is_listed_confirmed_once_and_recorded(client, order):
    from dingdan.payments.services.reported import report_payment

    report = report_payment(order=order, method="alipay", reference="支付宝 88")
    listed = client.get(f"/api/v1/orders/{order.pk}/reported-payments")
    assert [(r["id"], r["status"], r["amount_cents"], r["payment_id"])
            for r in listed.json()] == [(report.pk, "reported", order.total_cents, None)]

    url = f"/orders/{order.pk}/reported-payments/{report.pk}"
    confirmed = post(client, f"{url}/confirm", {})
    assert confirmed.status_code == 200, confirmed.content
    payment = Payment.objects.get(order=order)
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["payment_id"] == payment.pk
    assert (payment.method, payment.reference, payment.recorded_via) == (
        "alipay", "支付宝 88", "api")
    again = post(client, f"{url}/confirm", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "report_already_decided"
    assert Payment.objects.filter(order=order).count() == 1


def test_rejecting_a_report_needs_a_reason_the_customer_reads(client, order):
    from dingdan.payments.services.reported import report_payment

    report = report_payment(order=order, method="wechat_pay")
    url = f"/orders/{order.pk}/reported-payments/{report.pk}/reject"
    empty = post(client, url, {"reason": " "})
    assert empty.status_code == 400 and "reason" in empty.json()["error"]["fields"]
    rejected = post(client, url, {"reason": "没有收到这笔转账"})
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["reason"]) == (
        "rejected", "没有收到这笔转账")
    assert not Payment.objects.filter(order=order).exists()
    missing = post(client, f"/orders/{order.pk}/reported-payments/999999/reject",
                   {"reason": "x"})
    assert missing.status_code == 404
