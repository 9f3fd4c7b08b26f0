"""A merchant changes an order from its page: quantities, lines, delivery and notes; 改价;
review flags and follow-ups; 常用模板. Every change shows on the timeline, and a refusal
keeps what was typed and says why."""

import pytest

from dingdan.inventory.models import StockLevel
from dingdan.orders.models import FollowUp, Order, OrderTemplate
from dingdan.orders.services import editing, lifecycle, review
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "CM-500", name="草莓", spec="500g", price_cents=3990, stock=10)
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=1990, stock=5)
    factories.make_sku(shop, "MG-1", name="芒果", price_cents=1590, stock=8)
    return shop


@pytest.fixture
def order(shop):
    return factories.place(shop, [("CM-500", 2), ("LM-125", 1)])


def client_for(shop, role="owner", name=None):
    user = factories.make_user()
    if name:
        user.first_name = name
        user.save()
    factories.make_member(shop, role, user=user)
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def reserved(sku: str) -> int:
    return StockLevel.objects.get(variant__sku=sku).reserved


def edit_form(order, **changes) -> dict:
    """The edit form as the page fills it, with `changes` typed over it."""
    lines = list(order.lines.all())
    return {
        "version": str(order.version),
        "sku": [line.sku for line in lines],
        "quantity": [str(line.quantity) for line in lines],
        "delivery_method": order.delivery_method, "note": order.note,
        "internal_note": order.internal_note, "reason": "", "op": "save",
    } | changes


def timeline(client, order) -> list[str]:
    response = client.get(f"/orders/{order.pk}/")
    return [f"{e.sentence} | {e.note}" for e in response.context["timeline"]]


# -- edit -------------------------------------------------------------------------------


def test_changing_a_quantity_removing_and_adding_lines_with_a_reason(shop, order):
    client = client_for(shop, "clerk", name="小王")
    form = page(client.get(f"/orders/{order.pk}/edit/"))
    assert 'name="version" value="1"' in form and 'data-testid="qty-CM-500"' in form
    assert "芒果" in form  # the shop's products can be added

    response = client.post(f"/orders/{order.pk}/edit/", edit_form(
        order, quantity=["3", "1"], remove=["1"], new_sku="MG-1", new_quantity="2",
        delivery_method="local", note="放门口", internal_note="老客户", reason="电话加量",
    ), follow=True)

    order.refresh_from_db()
    assert response.redirect_chain[-1][0] == f"/orders/{order.pk}/"
    assert "Order saved." in texts(response)
    assert list(order.lines.values_list("sku", "quantity")) == [("CM-500", 3), ("MG-1", 2)]
    assert (order.delivery_method, order.note, order.internal_note, order.version) == (
        "local", "放门口", "老客户", 2)
    assert order.total_cents == 3 * 3990 + 2 * 1590
    assert (reserved("CM-500"), reserved("LM-125"), reserved("MG-1")) == (3, 0, 2)
    last = timeline(client, order)[-1]
    assert last.startswith("小王 changed the products (CM-500 ×2→×3, −LM-125, +MG-1 ×2)")
    assert "the delivery method" in last and last.endswith("| 电话加量")


def test_a_quantity_of_zero_removes_the_line(shop, order):
    client = client_for(shop)
    client.post(f"/orders/{order.pk}/edit/", edit_form(order, quantity=["2", "0"]))
    assert list(order.lines.values_list("sku", "quantity")) == [("CM-500", 2)]


def test_add_puts_the_product_in_the_list_without_saving(shop, order):
    client = client_for(shop)
    response = client.post(f"/orders/{order.pk}/edit/", edit_form(
        order, op="add", new_sku="MG-1", new_quantity="4", internal_note="还没保存"))
    text = page(response)
    assert 'data-testid="qty-MG-1"' in text and 'value="4"' in text
    assert "还没保存" in text and "Added to the list; save to apply." in texts(response)
    order.refresh_from_db()
    assert order.version == 1 and order.lines.count() == 2


def test_saving_an_unchanged_form_changes_nothing(shop, order):
    response = client_for(shop).post(f"/orders/{order.pk}/edit/", edit_form(order),
                                     follow=True)
    assert "Nothing changed." in texts(response)
    order.refresh_from_db()
    assert order.version == 1


def test_a_stale_form_says_what_changed_and_keeps_what_was_typed(shop, order):
    other = factories.make_member(shop, "clerk")
    other.user.first_name = "小李"
    other.user.save()
    editing.edit_order(actor=Actor.staff(other), order=order, version=1,
                       internal_note="客户要发票")
    client = client_for(shop)

    stale = client.post(f"/orders/{order.pk}/edit/", edit_form(
        Order.objects.get(pk=order.pk), version="1", quantity=["5", "1"], note="我写的"))

    messages = texts(stale)
    assert stale.status_code == 200
    assert any("The order changed since you loaded it (version 1, now 2)" in m
               for m in messages), messages
    assert "小李 changed the internal note to “客户要发票”" in messages
    text = page(stale)
    assert 'value="5"' in text and "我写的" in text and 'name="version" value="2"' in text
    order.refresh_from_db()
    assert list(order.lines.values_list("quantity", flat=True)) == [2, 1]

    again = client.post(f"/orders/{order.pk}/edit/", edit_form(
        order, quantity=["5", "1"], note="我写的"), follow=True)
    assert "Order saved." in texts(again)
    assert order.lines.get(sku="CM-500").quantity == 5


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"quantity": ["99", "1"]}, "Not enough stock. 草莓 500g (CM-500): wanted 97, "
                                    "available 8", 'value="99"'),
        ({"new_sku": "NOPE"}, "No product with the SKU NOPE.", "放门口"),
        ({"quantity": ["two", "1"]}, "CM-500: two is not a whole number.", 'value="two"'),
        ({"quantity": ["200000", "1"]}, "CM-500: Must be a whole number from 1 to",
         'value="200000"'),
        ({"remove": ["0", "1"]}, "Add at least one product.", "放门口"),
    ],
)
def test_a_refused_edit_says_why_and_keeps_the_form(shop, order, changes, message, kept):
    response = client_for(shop).post(f"/orders/{order.pk}/edit/", edit_form(
        order, note="放门口", **changes))
    assert response.status_code == 200
    assert any(message in m for m in texts(response)), texts(response)
    assert kept in page(response)
    order.refresh_from_db()
    assert order.version == 1 and order.note == ""
    assert (reserved("CM-500"), reserved("LM-125")) == (2, 1)


def test_a_shipped_order_offers_no_edit(shop, order):
    staff = factories.staff_actor(shop)
    for status in ("accepted", "preparing", "shipped"):
        lifecycle.transition_order(actor=staff, order=order, to=status)
    client = client_for(shop)
    assert 'data-testid="edit-order"' not in page(client.get(f"/orders/{order.pk}/"))
    response = client.get(f"/orders/{order.pk}/edit/", follow=True)
    assert any("can no longer be edited" in m for m in texts(response))


def test_a_viewer_sees_no_edit_and_is_refused_with_403(shop, order):
    client = client_for(shop, "viewer")
    text = page(client.get(f"/orders/{order.pk}/"))
    assert 'data-testid="edit-order"' not in text and 'data-testid="reprice-order"' not in text
    response = client.post(f"/orders/{order.pk}/edit/", edit_form(order, quantity=["9", "1"]))
    assert response.status_code == 403 and "may not edit orders" in page(response)
    assert order.lines.get(sku="CM-500").quantity == 2


# -- 改价 -------------------------------------------------------------------------------


def reprice_form(order, **changes) -> dict:
    return {"version": str(order.version), "price-CM-500": "39.90", "price-LM-125": "19.90",
            "discount": "0.00", "reason": "老顾客"} | changes


def test_repricing_a_line_and_the_order_with_a_reason(shop, order):
    client = client_for(shop, "finance", name="会计")
    form = page(client.get(f"/orders/{order.pk}/reprice/"))
    assert 'value="39.90"' in form and 'data-testid="price-LM-125"' in form

    response = client.post(f"/orders/{order.pk}/reprice/", reprice_form(
        order, **{"price-CM-500": "35.5", "discount": "￥5"}), follow=True)

    order.refresh_from_db()
    assert "Prices changed." in texts(response)
    assert order.lines.get(sku="CM-500").unit_price_cents == 3550
    assert (order.subtotal_cents, order.discount_cents, order.total_cents) == (
        2 * 3550 + 1990, 500, 2 * 3550 + 1990 - 500)
    assert timeline(client, order)[-1] == (
        "会计 changed the prices: CM-500 ¥39.90→¥35.50, discount ¥0.00→¥5.00, "
        "total ¥99.70→¥85.90 | 老顾客")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.345", "CM-500: 12.345 has more than two decimals"),
        ("abc", "CM-500: abc is not a price in yuan; write it like 12.50."),
        ("-3", "CM-500: An amount cannot be negative."),
        ("", "CM-500: Enter a price in yuan, e.g. 12.50."),
    ],
)
def test_a_bad_price_is_refused_with_a_clear_message(shop, order, typed, message):
    response = client_for(shop).post(f"/orders/{order.pk}/reprice/", reprice_form(
        order, **{"price-CM-500": typed, "price-LM-125": "18.00", "reason": "议价"}))
    assert response.status_code == 200
    assert any(m.startswith(message) for m in texts(response)), texts(response)
    text = page(response)
    assert 'value="18.00"' in text and 'value="议价"' in text  # nothing typed is lost
    order.refresh_from_db()
    assert order.version == 1 and order.total_cents == 2 * 3990 + 1990


def test_a_bad_discount_and_a_missing_reason_are_refused(shop, order):
    client = client_for(shop)
    bad = client.post(f"/orders/{order.pk}/reprice/", reprice_form(order, discount="5.555"))
    assert any(m.startswith("Order discount: 5.555 has more than two decimals")
               for m in texts(bad)), texts(bad)
    no_reason = client.post(f"/orders/{order.pk}/reprice/",
                            reprice_form(order, reason=" ", **{"price-CM-500": "30"}))
    assert texts(no_reason) == ["Say why the price changes."]
    assert 'value="30"' in page(no_reason)
    order.refresh_from_db()
    assert order.version == 1


def test_a_stale_reprice_says_what_changed(shop, order):
    editing.edit_order(actor=Actor.system(shop), order=order, version=1, note="改了备注")
    response = client_for(shop).post(f"/orders/{order.pk}/reprice/",
                                     reprice_form(order, **{"price-CM-500": "30"}))
    messages = texts(response)
    assert any("The order changed since you loaded it" in m for m in messages)
    assert "The system changed the customer's note" in messages
    assert 'value="30"' in page(response) and 'name="version" value="2"' in page(response)


def test_a_clerk_gets_no_reprice_form_and_a_403(shop, order):
    client = client_for(shop, "clerk")
    text = page(client.get(f"/orders/{order.pk}/"))
    assert 'data-testid="edit-order"' in text and 'data-testid="reprice-order"' not in text
    assert client.get(f"/orders/{order.pk}/reprice/").status_code == 403
    response = client.post(f"/orders/{order.pk}/reprice/",
                           reprice_form(order, **{"price-CM-500": "1.00"}))
    assert response.status_code == 403
    assert "may not change order prices" in page(response)
    assert order.lines.get(sku="CM-500").unit_price_cents == 3990


def test_a_paid_order_is_not_offered_for_repricing(shop, order):
    Order.objects.filter(pk=order.pk).update(payment_status="paid")
    client = client_for(shop)
    assert 'data-testid="reprice-order"' not in page(client.get(f"/orders/{order.pk}/"))
    response = client.post(f"/orders/{order.pk}/reprice/", reprice_form(order), follow=True)
    assert "Prices can only change before the order is paid or shipped." in texts(response)


# -- review ----------------------------------------------------------------------------


def test_resolving_a_flag_with_a_note(shop):
    order = factories.place(shop, [("CM-500", 1)], phone=None)
    client = client_for(shop, "clerk", name="小王")
    text = page(client.get(f"/orders/{order.pk}/"))
    assert "No phone number: the customer cannot be reached." in text
    assert 'data-testid="resolve-missing_phone"' in text

    response = client.post(f"/orders/{order.pk}/flags/missing_phone/resolve/",
                           {"note": "微信联系上了"}, follow=True)

    assert "Flag resolved." in texts(response)
    assert "No phone number" not in page(response).split('data-testid="timeline"')[0]
    assert timeline(client, order)[-1] == (
        "小王 resolved a flag: No phone number: the customer cannot be reached. | 微信联系上了")
    order.refresh_from_db()
    assert order.needs_attention is False
    again = client.post(f"/orders/{order.pk}/flags/missing_phone/resolve/", follow=True)
    assert "This order has no open flag missing_phone." in texts(again)


def test_a_viewer_sees_flags_but_may_not_resolve_them(shop):
    order = factories.place(shop, [("CM-500", 1)], phone=None)
    client = client_for(shop, "viewer")
    text = page(client.get(f"/orders/{order.pk}/"))
    assert "No phone number" in text and 'data-testid="resolve-missing_phone"' not in text
    assert 'data-testid="follow-up-form"' not in text
    response = client.post(f"/orders/{order.pk}/flags/missing_phone/resolve/")
    assert response.status_code == 403 and "may not edit orders" in page(response)
    assert order.flags.filter(resolved_at__isnull=True).count() == 1


def test_adding_listing_and_completing_a_follow_up(shop, order):
    client = client_for(shop, "clerk", name="小王")
    assert 'data-testid="follow-up-form"' in page(client.get(f"/orders/{order.pk}/"))

    added = client.post(f"/orders/{order.pk}/follow-ups/",
                        {"due_at": "2026-12-01T10:00", "note": "提醒付款"}, follow=True)

    assert "Follow-up added." in texts(added)
    listed = page(added).split('data-testid="follow-ups"')[1].split("</section>")[0]
    assert "2026-12-01 10:00" in listed and "提醒付款" in listed
    follow_up = FollowUp.objects.get(order=order)
    assert follow_up.due_at.isoformat() == "2026-12-01T02:00:00+00:00"  # Shanghai clock

    done = client.post(f"/orders/{order.pk}/follow-ups/{follow_up.pk}/done/", follow=True)

    assert "Follow-up done." in texts(done)
    assert "提醒付款" not in page(done).split('data-testid="follow-ups"')[1].split("</section>")[0]
    sentences = timeline(client, order)
    assert "小王 added a follow-up: 提醒付款 | " in sentences
    assert sentences[-1] == "小王 marked a follow-up done: 提醒付款 | "
    again = client.post(f"/orders/{order.pk}/follow-ups/{follow_up.pk}/done/", follow=True)
    assert "This follow-up is already done." in texts(again)


def test_a_follow_up_needs_a_time_and_a_note(shop, order):
    client = client_for(shop)
    no_time = client.post(f"/orders/{order.pk}/follow-ups/", {"due_at": "明天", "note": "x"},
                          follow=True)
    no_note = client.post(f"/orders/{order.pk}/follow-ups/",
                          {"due_at": "2026-12-01T10:00", "note": " "}, follow=True)
    assert "Enter a date and time, e.g. 2026-12-01 10:00." in texts(no_time)
    assert "Say what to follow up on." in texts(no_note)
    assert not FollowUp.objects.exists()


def test_another_orders_follow_up_cannot_be_completed_through_this_one(shop, order):
    other = factories.place(shop, [("MG-1", 1)])
    theirs = review.add_follow_up(actor=Actor.system(shop), order=other,
                                  due_at=order.created_at, note="别的订单")
    response = client_for(shop).post(f"/orders/{order.pk}/follow-ups/{theirs.pk}/done/",
                                     follow=True)
    assert "Follow-up not found." in texts(response)
    theirs.refresh_from_db()
    assert theirs.done_at is None


# -- 常用模板 ---------------------------------------------------------------------------


def test_template_round_trip(shop, order):
    client = client_for(shop, "clerk")
    made = client.post("/orders/templates/", {
        "name": "水果周卡", "delivery_method": "pickup", "note": "周六自提",
        "sku": ["CM-500", "MG-1", ""], "quantity": ["2", "", ""],
    }, follow=True)
    assert "Template 水果周卡 saved." in texts(made)
    assert "CM-500 × 2, MG-1 × 1" in page(made)

    saved = client.post(f"/orders/{order.pk}/save-template/", {"name": "张三常买"}, follow=True)
    assert "Saved as the template 张三常买." in texts(saved)
    assert [(t.name, t.lines, t.delivery_method) for t in OrderTemplate.objects.all()] == [
        ("张三常买", [{"sku": "CM-500", "quantity": 2}, {"sku": "LM-125", "quantity": 1}],
         "express"),
        ("水果周卡", [{"sku": "CM-500", "quantity": 2}, {"sku": "MG-1", "quantity": 1}],
         "pickup"),
    ]

    weekly = OrderTemplate.objects.get(name="水果周卡")
    new = client.get(f"/orders/new/?template={weekly.pk}")
    assert [r for r in new.context["rows"] if r["sku"]] == [
        {"sku": "CM-500", "quantity": "2"}, {"sku": "MG-1", "quantity": "1"}]
    assert (new.context["form"]["delivery_method"], new.context["form"]["note"]) == (
        "pickup", "周六自提")
    assert 'value="CM-500"' in page(new) and "水果周卡" in page(new)

    placed = client.post("/orders/new/", {
        "name": "王芳", "phone": "13900139000", "address": "", "delivery_method": "pickup",
        "note": "周六自提", "sku": ["CM-500", "MG-1"], "quantity": ["2", "1"], "op": "place",
    }, follow=True)
    new_order = Order.objects.exclude(pk=order.pk).get()
    assert placed.redirect_chain[-1][0] == f"/orders/{new_order.pk}/"
    assert list(new_order.lines.values_list("sku", "quantity")) == [("CM-500", 2), ("MG-1", 1)]

    deleted = client.post(f"/orders/templates/{weekly.pk}/delete/", follow=True)
    assert "Template 水果周卡 deleted." in texts(deleted)
    assert list(OrderTemplate.objects.values_list("name", flat=True)) == ["张三常买"]


def test_a_template_with_an_unknown_sku_keeps_the_form(shop):
    response = client_for(shop).post("/orders/templates/", {
        "name": "坏的", "delivery_method": "express", "note": "",
        "sku": ["NOPE"], "quantity": ["1"],
    })
    assert "No product with the SKU NOPE." in texts(response)
    assert 'value="坏的"' in page(response) and 'value="NOPE"' in page(response)
    assert not OrderTemplate.objects.exists()


def test_a_viewer_sees_templates_but_may_not_change_them(shop, order):
    template = OrderTemplate.objects.create(shop=shop, name="周卡",
                                            lines=[{"sku": "CM-500", "quantity": 1}])
    client = client_for(shop, "viewer")
    text = page(client.get("/orders/templates/"))
    assert "周卡" in text and 'data-testid="template-form"' not in text
    assert 'data-testid="save-template-form"' not in page(client.get(f"/orders/{order.pk}/"))
    assert client.post(f"/orders/templates/{template.pk}/delete/").status_code == 403
    assert client.post(f"/orders/{order.pk}/save-template/", {"name": "x"}).status_code == 403
    assert client.get(f"/orders/new/?template={template.pk}").status_code == 403
    assert OrderTemplate.objects.count() == 1


def test_another_shops_template_is_not_found(shop):
    other = factories.make_shop()
    theirs = OrderTemplate.objects.create(shop=other, name="别人的", lines=[])
    client = client_for(shop)
    assert client.get(f"/orders/new/?template={theirs.pk}").status_code == 404
    assert client.post(f"/orders/templates/{theirs.pk}/delete/").status_code == 404
    assert OrderTemplate.objects.filter(pk=theirs.pk).exists()
