"""After-sales cases over the API, as other programs call it: open, list, read, reject,
cancel, with the error codes the documentation promises."""

import pytest

from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=20)
    return shop


def accepted(shop, ship=True):
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"),
                                   order=factories.place(shop, [("APPLE", 3)]))
    if ship:
        shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    return order


def test_a_case_is_opened_read_listed_and_rejected(shop):
    order = accepted(shop)
    line_id = order.lines.get().pk
    api = factories.api_client(factories.token_for(shop, "clerk"), language="en")
    made = api.post(f"/api/v1/orders/{order.pk}/aftersales", {
        "type": "return_refund", "lines": [{"line_id": line_id, "quantity": 2}],
        "reason": "quality", "description": "有虫眼"}, content_type="application/json")
    assert made.status_code == 201, made.content
    case = made.json()
    assert case["status"] == "requested" and case["order_number"] == order.number
    assert case["lines"] == [{"line_id": line_id, "sku": "APPLE", "name": "红富士苹果",
                              "quantity": 2, "resellable": None, "damaged": None}]
    assert api.get(f"/api/v1/aftersales/{case['id']}").json()["description"] == "有虫眼"
    listed = api.get("/api/v1/aftersales?status=requested&type=return_refund").json()
    assert [c["id"] for c in listed] == [case["id"]]
    assert api.get("/api/v1/aftersales?status=approved").json() == []
    assert api.get("/api/v1/aftersales?status=nonsense").status_code == 400

    rejected = api.post(f"/api/v1/aftersales/{case['id']}/reject", {"reason": "已超期"},
                        content_type="application/json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    again = api.post(f"/api/v1/aftersales/{case['id']}/cancel", {},
                     content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_over_claims_and_unshipped_orders_are_refused_with_their_codes(shop):
    api = factories.api_client(factories.token_for(shop, "clerk"))
    order = accepted(shop)
    line_id = order.lines.get().pk
    over = api.post(f"/api/v1/orders/{order.pk}/aftersales", {
        "type": "refund_only", "lines": [{"line_id": line_id, "quantity": 4}],
        "reason": "damaged"}, content_type="application/json")
    assert over.status_code == 409
    error = over.json()["error"]
    assert error["code"] == "over_claim" and "红富士苹果" in error["message"]

    waiting = accepted(shop, ship=False)
    not_yet = api.post(f"/api/v1/orders/{waiting.pk}/aftersales", {
        "type": "refund_only", "lines": [{"line_id": waiting.lines.get().pk, "quantity": 1}],
        "reason": "late"}, content_type="application/json")
    assert not_yet.status_code == 409
    assert not_yet.json()["error"]["code"] == "not_fulfilled"
    assert "取消" in not_yet.json()["error"]["message"]  # Chinese by default


def test_a_retried_open_with_the_same_key_opens_one_case(shop):
    order = accepted(shop)
    api = factories.api_client(factories.token_for(shop, "clerk"))
    body = {"type": "refund_only", "reason": "damaged",
            "lines": [{"line_id": order.lines.get().pk, "quantity": 1}]}
    answers = [api.post(f"/api/v1/orders/{order.pk}/aftersales", body,
                        content_type="application/json", headers={"Idempotency-Key": "k1"})
               for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert len(api.get("/api/v1/aftersales").json()) == 1


def test_a_case_is_approved_for_less_refunded_and_closed(shop):
    from dingdan.payments.services.payments import record_payment

    order = accepted(shop)
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=order.total_cents, method="cash")
    api = factories.api_client(factories.token_for(shop, "manager"), language="en")
    case = api.post(f"/api/v1/orders/{order.pk}/aftersales", {
        "type": "refund_only", "lines": [{"line_id": order.lines.get().pk, "quantity": 1}],
        "reason": "damaged"}, content_type="application/json").json()
    assert case["requested_cents"] == 1000
    too_much = api.post(f"/api/v1/aftersales/{case['id']}/approve", {"refund_cents": 1001},
                        content_type="application/json")
    assert too_much.status_code == 400
    assert "refund_cents" in too_much.json()["error"]["fields"]
    approved = api.post(f"/api/v1/aftersales/{case['id']}/approve", {"refund_cents": 600},
                        content_type="application/json")
    assert approved.json()["status"] == "approved" and approved.json()["approved_cents"] == 600
    refunded = api.post(f"/api/v1/aftersales/{case['id']}/refund")
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded"
    (refund,) = api.get(f"/api/v1/orders/{order.pk}/refunds").json()["items"]
    assert refund["amount_cents"] == 600
    again = api.post(f"/api/v1/aftersales/{case['id']}/refund")
    assert again.status_code == 409
    assert again.json()["error"]["details"]["allowed"] == ["close"]
    closed = api.post(f"/api/v1/aftersales/{case['id']}/close", {},
                      content_type="application/json")
    assert closed.json()["status"] == "closed"
    steps = [(e["before"], e["after"]) for e in closed.json()["events"]]
    assert steps[-1] == ("refunded", "closed") and len(steps) == 4
