"""A campaign's join page: a customer opens the link, picks quantities, gives a name, phone
and pickup point, and joins. The order is made as a confirmed chain entry makes it, the
limits and the cap hold together with pasted entries, and the line dingdan writes for the
entry is recognised when the group's chain is pasted back."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dingdan import ratelimit
from dingdan.chains.models import Campaign, ChainEntry
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import joining
from dingdan.chains.views import join_page as views
from dingdan.errors import Conflict
from dingdan.orders.models import Order
from dingdan.shops.audit_models import AuditRecord
from tests import factories
from tests.chains.campaigns import confirm, make_campaign, preview, states
from tests.field_errors import error_after_input
from tests.inventory.test_concurrency import race

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


def url(campaign) -> str:
    return f"/join/{campaign.join_token}/"


def item_pk(campaign, sku) -> int:
    return campaign.items.get(variant__sku=sku).pk


def point_pk(campaign, name="阳光小区东门") -> int:
    return campaign.pickup_points.get(name=name).pk


def form(campaign, *, name="张三", phone="138 0013 8000", point="阳光小区东门", **quantities):
    data = {"customer": name, "phone": phone}
    if point:
        data["point"] = str(point_pk(campaign, point))
    for sku, quantity in (quantities or {"STRAW-500": 2}).items():
        data[f"qty-{item_pk(campaign, sku.replace('_', '-'))}"] = str(quantity)
    return data


def join(campaign, name="张三", phone="13800138000", point="阳光小区东门", **quantities):
    """The service call the page makes, for tests that need no HTTP."""
    return joining.join_campaign(
        campaign=campaign, customer=name, phone=phone,
        quantities={sku.replace("_", "-"): n for sku, n in quantities.items()},
        pickup_point_id=point_pk(campaign, point) if point else None)


def page(response) -> str:
    return response.content.decode()


# -- joining -----------------------------------------------------------------------------------


def test_the_page_shows_items_prices_what_is_left_limits_cut_off_and_points(client, campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))

    response = client.get(url(campaign))

    text = page(response)
    assert response.status_code == 200
    assert "周六草莓团" in text and "阿芳水果" in text
    assert "草莓 500g" in text and "¥29.90" in text and "蓝莓 125g" in text and "¥15.00" in text
    assert 'data-testid="left-STRAW-500">8 left<' in text  # cap 10, 李四 holds 2
    assert "limit 3 per person" in text
    assert "阳光小区东门" in text and "幸福路8号" in text and "幸福里南门" in text
    assert 'data-testid="countdown"' in text and 'data-seconds="' in text
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"


def test_joining_makes_an_order_at_campaign_prices_and_its_chain_entry(client, campaign):
    response = client.post(url(campaign), form(campaign, STRAW_500=2, BLUE_125=1))

    order = Order.objects.get(shop=campaign.shop)
    assert response.status_code == 302
    assert response["Location"] == f"/o/{order.link_token}/?done=joined"
    assert order.channel == "chain" and order.status == "pending_confirmation"
    assert order.customer_name == "张三" and order.customer_phone == "13800138000"
    assert order.delivery_method == "pickup" and order.note.endswith("阳光小区东门")
    assert sorted(order.lines.values_list("sku", "quantity", "unit_price_cents")) == [
        ("BLUE-125", 1, 1500), ("STRAW-500", 2, 2990)]
    assert order.events.get(kind="placed").actor_kind == "customer"
    entry = ChainEntry.objects.get(campaign=campaign)
    assert (entry.order, entry.source, entry.identity_key, entry.seq) == (
        order, "page", "13800138000|张三#1", 1)
    assert entry.text == "张三 草莓500g×2 蓝莓125g×1 13800138000 阳光小区东门"
    assert entry.pickup_point.name == "阳光小区东门"

    landing = client.get(response["Location"])
    assert "You joined the group buy" in page(landing) and order.number in page(landing)


def test_a_delivery_campaign_asks_for_the_address(client, shop):
    campaign = make_campaign(shop, fulfilment="delivery")
    data = form(campaign, point=None)

    refused = client.post(url(campaign), data)
    assert refused.status_code == 400
    assert error_after_input(page(refused), "address") == "Enter the delivery address."

    response = client.post(url(campaign), {**data, "address": "幸福路8号3栋502"})
    order = Order.objects.get(shop=shop)
    assert response.status_code == 302
    assert order.delivery_method == "local" and "幸福路8号3栋502" in order.address_detail
    assert ChainEntry.objects.get(campaign=campaign).address == "幸福路8号3栋502"


def test_bad_input_is_shown_at_each_field_and_everything_typed_is_kept(client, campaign):
    data = {"customer": "", "phone": "12345", "point": "999999",
            f"qty-{item_pk(campaign, 'STRAW-500')}": "", f"qty-{item_pk(campaign, 'BLUE-125')}": ""}

    response = client.post(url(campaign), data)

    text = page(response)
    assert response.status_code == 400
    assert "Please check the marked fields." in text
    assert error_after_input(text, "customer") == "Enter your name."
    assert error_after_input(text, "phone") == "Enter a mobile number, e.g. 13800138000."
    assert 'data-testid="error-items"' in text and "Choose at least one product." in text
    assert 'data-testid="error-point"' in text and "Choose one of the pickup points." in text
    assert 'value="12345"' in text
    assert Order.objects.count() == 0

    typed = {**form(campaign, name="王五", phone="13700001111"),
             f"qty-{item_pk(campaign, 'BLUE-125')}": "两"}
    response = client.post(url(campaign), typed)
    qty = f"qty-{item_pk(campaign, 'BLUE-125')}"
    assert error_after_input(page(response), qty) == "Enter a whole number from 0 to 999."
    assert 'value="王五"' in page(response) and 'value="13700001111"' in page(response)
    assert 'value="两"' in page(response) and "checked" in page(response)


def test_the_per_person_limit_counts_pasted_entries_and_holds_exactly(client, campaign):
    # 张三 already wrote 2 of the 3 allowed in the group's chain.
    confirm(preview(campaign, chain_text(campaign) + "1. 张三 草莓x2 13800138000 东门\n"))
    qty = f"qty-{item_pk(campaign, 'STRAW-500')}"

    over = client.post(url(campaign), form(campaign, STRAW_500=2))

    assert over.status_code == 409
    assert error_after_input(page(over), qty) == (
        "草莓 500g: over the per-person limit (1 more allowed)")
    assert 'value="2"' in page(over) and 'value="张三"' in page(over)
    assert client.post(url(campaign), form(campaign, STRAW_500=1)).status_code == 302
    entry = ChainEntry.objects.get(campaign=campaign, source="page")
    assert entry.identity_key == "13800138000|张三#2" and entry.seq == 2
    assert client.post(url(campaign), form(campaign, STRAW_500=1)).status_code == 409


def test_the_total_cap_holds_exactly_and_cancelled_orders_give_units_back(client, campaign):
    confirm(preview(campaign, chain_text(campaign)
                    + "1. 李四 草莓x3 13912345678 东门\n2. 王五 草莓x3 13700001111 东门\n"
                    + "3. 赵六 草莓x2 13600001111 南门\n"))  # 8 of 10

    over = client.post(url(campaign), form(campaign, STRAW_500=3))
    assert over.status_code == 409
    assert "草莓 500g: only 2 left" in page(over)
    assert client.post(url(campaign), form(campaign, STRAW_500=2)).status_code == 302
    sold_out = page(client.get(url(campaign)))
    assert 'data-testid="left-STRAW-500">sold out<' in sold_out
    assert client.post(url(campaign), form(campaign, name="钱七", phone="13500001111",
                                           STRAW_500=1)).status_code == 409

    cancelled = Order.objects.get(customer_name="赵六")
    cancelled.status = "cancelled"  # as cancel_order leaves it; its units count no more
    cancelled.save(update_fields=["status"])
    assert client.post(url(campaign), form(campaign, name="钱七", phone="13500001111",
                                           STRAW_500=2)).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_joins_racing_for_the_last_units_take_them_once(shop):
    campaign = make_campaign(shop)
    confirm(preview(campaign, chain_text(campaign)
                    + "1. 李四 草莓x3 13912345678 东门\n2. 王五 草莓x3 13700001111 东门\n"
                    + "3. 赵六 草莓x2 13600001111 南门\n"))  # 8 of 10
    people = [("钱七", "13500001111"), ("孙八", "13500002222")]

    def join_from_thread(n: int):
        fresh = Campaign.objects.select_related("shop").get(pk=campaign.pk)
        name, phone = people[n]
        return join(fresh, name=name, phone=phone, STRAW_500=2)

    results = race(2, join_from_thread)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(orders) == 1 and len(refused) == 1
    assert isinstance(refused[0], Conflict) and refused[0].code == "campaign_limit"
    assert refused[0].details["overruns"] == [{"sku": "STRAW-500", "kind": "cap", "allowed": 0}]
    assert ChainEntry.objects.filter(campaign=campaign, source="page").count() == 1
    held = sum(Order.objects.get(pk=e.order_id).lines.get().quantity
               for e in ChainEntry.objects.filter(campaign=campaign))
    assert held == 10


def test_after_the_cut_off_or_once_closed_the_page_takes_nothing(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        cut_off_at=timezone.now() - dt.timedelta(minutes=1))

    shown = client.get(url(campaign))
    assert shown.status_code == 200
    assert 'data-testid="closed"' in page(shown) and 'data-testid="join"' not in page(shown)
    refused = client.post(url(campaign), form(campaign))
    assert refused.status_code == 409 and 'data-testid="closed"' in page(refused)

    Campaign.objects.filter(pk=campaign.pk).update(
        cut_off_at=timezone.now() + dt.timedelta(days=1), status="closed")
    assert client.post(url(campaign), form(campaign)).status_code == 409
    assert Order.objects.count() == 0


# -- the chain text and a later paste -------------------------------------------------------


def test_a_joined_entry_is_posted_in_the_chain_text_and_read_back_as_the_same_entry(campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))
    group_chain = chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"
    join(campaign, name="Amy Wu", phone="+86 139 0000 1111", point="幸福里南门",
         STRAW_500=1, BLUE_125=2)

    posted = chain_text(campaign)
    line = "2. Amy Wu 草莓500g×1 蓝莓125g×2 13900001111 幸福里南门"
    assert posted.endswith(line + "\n")
    # A paste made before the line is in the group's chain does not call it missing.
    early = preview(campaign, group_chain)
    assert early.missing == []

    # The merchant adds the line to the group's chain; people add more; it is pasted back.
    pasted = preview(campaign, group_chain + line + "\n3. 赵六 蓝莓x1 13600001111 南门\n")

    assert states(pasted) == [(1, "李四", "unchanged"), (2, "Amy Wu", "unchanged"),
                              (3, "赵六", "new")]
    assert pasted.missing == []
    result = confirm(pasted)
    assert result["created"] == 1
    assert Order.objects.filter(shop=campaign.shop).count() == 3
    assert ChainEntry.objects.filter(campaign=campaign).count() == 3
    # The group's chain has the line now: dingdan's text no longer lists it.
    assert line not in chain_text(campaign)
    assert confirm(preview(campaign, group_chain + line + "\n"))["created"] == 0


def test_a_name_the_plain_line_would_misread_is_written_with_labels(campaign):
    # A first word that reads like an address would not come back as the name.
    join(campaign, name="3栋502", STRAW_500=1)

    entry = ChainEntry.objects.get(campaign=campaign)
    assert entry.text == "姓名:3栋502 草莓500g×1 电话:13800138000 自提点:阳光小区东门"
    assert states(preview(campaign, chain_text(campaign))) == [(1, "3栋502", "unchanged")]


def test_entry_numbers_follow_the_chain_as_last_pasted(campaign):
    # 张三's first line is in the group's chain but not imported (榴莲 is not sold here).
    preview(campaign, chain_text(campaign)
            + "1. 李四 草莓x2 13912345678 东门\n2. 张三 榴莲x1 13800138000 东门\n")

    join(campaign, STRAW_500=1)

    entry = ChainEntry.objects.get(campaign=campaign)
    assert entry.seq == 3
    assert entry.identity_key == "13800138000|张三#2"  # after their line still in the chain


# -- the link ----------------------------------------------------------------------------------


def staff_client(shop, role="owner"):
    user = factories.make_user()
    factories.make_member(shop, role, user=user)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_staff_see_the_link_and_replacing_it_retires_the_old_one(client, campaign):
    old = url(campaign)
    owner = staff_client(campaign.shop)
    detail = page(owner.get(f"/campaigns/{campaign.pk}/"))
    assert f"http://testserver{old}" in detail and 'data-testid="rotate-join-link"' in detail

    response = owner.post(f"/campaigns/{campaign.pk}/join-link/")

    campaign.refresh_from_db()
    assert response.status_code == 302 and url(campaign) != old
    assert client.get(old).status_code == 404
    assert client.get(url(campaign)).status_code == 200
    assert AuditRecord.objects.filter(object_type="campaign", object_id=str(campaign.pk),
                                      action="link_rotated").count() == 1


def test_only_roles_that_edit_the_campaign_replace_the_link(campaign):
    clerk = staff_client(campaign.shop, "clerk")
    token = campaign.join_token
    detail = page(clerk.get(f"/campaigns/{campaign.pk}/"))
    assert 'data-testid="join-link"' in detail and 'data-testid="rotate-join-link"' not in detail

    assert clerk.post(f"/campaigns/{campaign.pk}/join-link/").status_code == 403
    campaign.refresh_from_db()
    assert campaign.join_token == token


def test_a_wrong_token_is_a_plain_404(client, campaign):
    assert client.get(f"/join/{campaign.join_token[:-2]}xx/").status_code == 404
    assert client.get("/join/short/").status_code == 404
    assert client.post(f"/join/{'x' * 24}/", form(campaign)).status_code == 404
    assert Order.objects.count() == 0


def test_joining_needs_the_csrf_token(campaign):
    strict = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})

    assert strict.post(url(campaign), form(campaign)).status_code == 403
    assert Order.objects.count() == 0

    strict.get(url(campaign))
    token = strict.cookies["csrftoken"].value
    with_token = {**form(campaign), "csrfmiddlewaretoken": token}
    assert strict.post(url(campaign), with_token).status_code == 302


def test_too_many_requests_from_one_address_are_answered_429(client, campaign, monkeypatch):
    monkeypatch.setattr(views, "PAGE_RATE", ratelimit.Rate("join-page", requests=3, seconds=60))

    assert [client.get(url(campaign)).status_code for _ in range(3)] == [200] * 3
    refused = client.get(url(campaign))

    assert refused.status_code == 429
    assert "Too many requests from your network" in page(refused)
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Wrong tokens count too, so guessing links is slow.
    assert client.get("/join/xxxxxxxxxxxxxxxxxxxxxxxx/").status_code == 429
    other = Client(headers={"Accept-Language": "en"}, REMOTE_ADDR="10.0.0.9")
    assert other.get(url(campaign)).status_code == 200


def test_joins_are_limited_more_tightly_than_views(client, campaign, monkeypatch):
    monkeypatch.setattr(views, "JOIN_RATE", ratelimit.Rate("join-submit", requests=1,
                                                           seconds=60))
    assert client.post(url(campaign), form(campaign, STRAW_500=1)).status_code == 302
    assert client.post(url(campaign), form(campaign, STRAW_500=1)).status_code == 429
    assert client.get(url(campaign)).status_code == 200
    assert Order.objects.count() == 1


# -- languages -------------------------------------------------------------------------------


def test_the_page_is_in_chinese_by_default_and_in_english_on_request(campaign):
    chinese = page(Client().get(url(campaign)))
    english = page(Client(headers={"Accept-Language": "en"}).get(url(campaign)))

    assert 'lang="zh-hans"' in chinese and "参加团购" in chinese and "自提点" in chinese
    assert 'lang="en"' in english and "Join the group buy" in english
