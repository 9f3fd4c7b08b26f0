"""The merchant's customer pages: find a customer, add one from a pasted address, tag them,
add addresses and chat ids, merge a duplicate — the same rules as the API."""

import re

import pytest

from dingdan.customers.models import Customer, CustomerMerge
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


def logged_in(shop, role="clerk"):
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(factories.make_member(shop, role).user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_menu_leads_to_the_customer_list(shop):
    page = text(logged_in(shop).get("/"))
    assert 'href="/customers/"' in page


def test_the_list_searches_by_name_or_phone(shop):
    factories.make_customer(shop, name="王芳", phone="13800138000", tags=["VIP"])
    factories.make_customer(shop, name="李雷", phone="13900139000")
    client = logged_in(shop)

    everyone = text(client.get("/customers/"))
    by_phone = text(client.get("/customers/", {"q": "8000"}))

    assert "王芳" in everyone and "李雷" in everyone and "VIP" in everyone
    assert "王芳" in by_phone and "李雷" not in by_phone


def test_adding_a_customer_with_a_pasted_address_opens_their_page(shop):
    client = logged_in(shop)

    response = client.post(
        "/customers/new/",
        {
            "name": "王芳",
            "phone": "138 0013 8000",
            "address": "广西壮族自治区南宁市青秀区民族大道100号",
            "tags": "VIP，团长",
            "note": "只要上午送",
        },
        follow=True,
    )

    customer = Customer.objects.get(shop=shop)
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/"
    page = text(response)
    assert "Customer added." in page
    assert "13800138000" in page
    assert "广西壮族自治区南宁市青秀区" in page and "民族大道100号" in page
    assert "VIP" in page and "团长" in page and "只要上午送" in page


def test_a_bad_phone_on_the_form_is_explained_and_what_was_typed_stays(shop):
    response = logged_in(shop).post(
        "/customers/new/", {"name": "王芳", "phone": "12345", "address": "北京市朝阳区建国路88号"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "Not a valid mobile number: 12345" in page
    assert 'value="王芳"' in page and "北京市朝阳区建国路88号" in page
    assert not Customer.objects.exists()


def test_the_customer_page_shows_orders_spend_and_last_order(shop):
    customer = factories.make_customer(shop, name="王芳", identities=[("wechat", "wx_fang")])

    page = text(logged_in(shop, "viewer").get(f"/customers/{customer.pk}/"))

    assert re.search(r'data-testid="orders-count">0<', page)
    assert re.search(r'data-testid="spend">¥0\.00<', page)
    assert re.search(r'data-testid="last-order">—<', page)
    assert "wx_fang" in page
    assert "Merge a duplicate" not in page  # a viewer may only look


def test_tags_addresses_and_identities_are_added_from_the_customer_page(shop):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    client = logged_in(shop)
    url = f"/customers/{customer.pk}/"

    client.post(url, {"op": "tag", "tag": "VIP"})
    client.post(url, {"op": "address", "address": "上海浦东新区世纪大道100号", "make_default": "1"})
    client.post(url, {"op": "identity", "channel": "chat", "external_id": "阿芳"})
    client.post(url, {"op": "untag", "tag": "VIP"})
    client.post(url, {"op": "tag", "tag": "团长"})

    customer = Customer.objects.get(pk=customer.pk)
    assert list(customer.tags.values_list("name", flat=True)) == ["团长"]
    assert customer.default_address.city == "上海市"
    assert customer.addresses.count() == 2
    assert list(customer.identities.values_list("external_id", flat=True)) == ["阿芳"]


def test_the_default_address_can_be_changed_and_an_address_removed(shop):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    client = logged_in(shop)
    url = f"/customers/{customer.pk}/"
    client.post(url, {"op": "address", "address": "上海浦东新区世纪大道100号"})
    shanghai = customer.addresses.get(city="上海市")

    client.post(url, {"op": "default", "id": shanghai.pk})
    client.post(url, {"op": "remove_address", "id": customer.addresses.get(city="北京市").pk})

    customer = Customer.objects.get(pk=customer.pk)
    assert [a.city for a in customer.addresses.all()] == ["上海市"]
    assert customer.default_address.city == "上海市"


def test_another_customers_address_cannot_be_touched_from_this_page(shop):
    customer = factories.make_customer(shop, name="王芳")
    other = factories.make_customer(shop, name="李雷", address="北京市朝阳区建国路88号")
    address = other.addresses.get()

    response = logged_in(shop).post(
        f"/customers/{customer.pk}/", {"op": "remove_address", "id": address.pk}, follow=True
    )

    assert "Address not found." in text(response)
    assert other.addresses.count() == 1


def test_a_duplicate_is_found_by_search_and_merged_in(shop):
    keep = factories.make_customer(shop, name="王芳", phone="13800138000")
    duplicate = factories.make_customer(shop, name="芳姐", tags=["团长"])
    client = logged_in(shop)

    search = text(client.get(f"/customers/{keep.pk}/", {"merge_q": "芳"}))
    merged = client.post(
        f"/customers/{keep.pk}/", {"op": "merge", "merge_id": duplicate.pk}, follow=True
    )

    assert "芳姐" in search
    assert f'name="merge_id" value="{keep.pk}"' not in search
    page = text(merged)
    assert "Merged 芳姐 into this customer." in page
    assert "团长" in page and "Merged in earlier" in page
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    assert CustomerMerge.objects.filter(kept=keep).count() == 1


def test_editing_saves_name_phone_and_note(shop):
    customer = factories.make_customer(shop, name="王芳", phone="13800138000")
    client = logged_in(shop)

    form = text(client.get(f"/customers/{customer.pk}/edit/"))
    client.post(
        f"/customers/{customer.pk}/edit/",
        {"name": "王芳芳", "phone": "139-0013-9000", "note": "新号码"},
    )

    assert 'value="13800138000"' in form
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.note) == ("王芳芳", "13900139000", "新号码")


def test_a_viewer_gets_no_forms_and_is_refused_the_new_customer_page(shop):
    customer = factories.make_customer(shop, name="王芳")
    client = logged_in(shop, "viewer")

    listing = text(client.get("/customers/"))
    refused = client.get("/customers/new/")
    posted = client.post(f"/customers/{customer.pk}/", {"op": "tag", "tag": "VIP"}, follow=True)

    assert "/customers/new/" not in listing
    assert refused.status_code == 403
    assert "may not" in text(posted)
    assert not customer.tags.exists()


def test_another_shops_customer_is_not_found(shop):
    foreign = factories.make_customer(factories.make_shop(), name="别家的")
    client = logged_in(shop)
    assert client.get(f"/customers/{foreign.pk}/").status_code == 404
    assert client.get(f"/customers/{foreign.pk}/edit/").status_code == 404
    assert client.post(f"/customers/{foreign.pk}/", {"op": "tag", "tag": "x"}).status_code == 404
    assert not foreign.tags.exists()


def test_the_pages_are_laid_out_for_a_phone(shop):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    client = logged_in(shop)
    for url in ["/customers/", "/customers/new/", f"/customers/{customer.pk}/"]:
        page = text(client.get(url))
        assert 'name="viewport" content="width=device-width' in page
        assert "customers/customers.css" in page
        assert "<table" not in page  # lists fold into rows instead of scrolling sideways
