"""The merchant's group-buy pages: set up a campaign, copy its chain text, paste the chain
back, fix an entry, confirm, and read the summary — and who may do which."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.models import Campaign, ChainEntry, ChainImport
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.orders.models import Order
from tests import factories
from tests.chains.campaigns import confirm, preview

pytestmark = pytest.mark.django_db

ENTRIES = (
    "1. 李四 草莓x2 13912345678 东门\n"
    "2. 周九 榴莲x2 13700002222 幸福里\n"
)


def client_for(shop, role="owner"):
    user = factories.make_user()
    factories.make_member(shop, role, user=user)
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_campaign_list_is_in_the_navigation(shop, campaign):
    response = client_for(shop).get("/campaigns/")
    assert response.status_code == 200
    assert 'href="/campaigns/"' in page(response) and "Group buys" in page(response)
    assert "周六草莓团" in page(response)


def test_a_merchant_creates_a_campaign_with_a_new_pickup_point(shop):
    client = client_for(shop)
    cut_off = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/campaigns/new/", {
        "title": "周末蓝莓团", "cut_off": cut_off, "delivery_date": "", "fulfilment": "pickup",
        "rules": "坏果包赔", "new_point_name": "幸福里南门", "new_point_address": "幸福路1号",
        "sku": ["BLUE-125", "STRAW-500", ""], "price": ["15", "29.90", ""],
        "limit": ["", "3", ""], "cap": ["50", "", ""],
    }, follow=True)

    campaign = Campaign.objects.get(shop=shop)
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.pk}/"
    assert list(campaign.items.values_list("variant__sku", "price_cents", "per_person_limit",
                                           "total_cap")) == [
        ("BLUE-125", 1500, None, 50), ("STRAW-500", 2990, 3, None)]
    assert "· 蓝莓 125g ¥15.00" in page(response)  # the chain text to copy
    assert 'data-testid="copy-chain"' in page(response)


def test_a_bad_price_is_shown_and_nothing_is_saved(shop):
    cut_off = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(shop).post("/campaigns/new/", {
        "title": "团", "cut_off": cut_off, "fulfilment": "delivery",
        "sku": ["BLUE-125"], "price": ["12.345"], "limit": [""], "cap": [""],
    })
    assert response.status_code == 200
    assert any("more than two decimals" in m for m in texts(response))
    assert not Campaign.objects.exists()


def test_a_clerk_cannot_create_campaigns(shop):
    response = client_for(shop, "clerk").get("/campaigns/new/")
    assert response.status_code == 403
    assert "may not create and change products" in page(response)


def test_paste_preview_fix_and_confirm(shop, campaign):
    client = client_for(shop)
    response = client.post(f"/campaigns/{campaign.pk}/import/",
                           {"text": chain_text(campaign) + ENTRIES}, follow=True)
    draft = ChainImport.objects.get(campaign=campaign)
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.pk}/imports/{draft.pk}/"
    html = page(response)
    assert 'value="0" checked' in html and 'value="1" checked' not in html
    assert "product not in the catalog" in html
    assert Order.objects.count() == 0

    # Fix entry 2 inline (htmx swaps just that entry).
    point = draft.entries[1]["pickup_point_id"]
    fixed = client.post(
        f"/campaigns/{campaign.pk}/imports/{draft.pk}/entries/1/",
        {"customer": "周九", "phone": "13700002222", "items": "蓝莓x2", "pickup_point": point},
        headers={"HX-Request": "true"})
    assert fixed.status_code == 200
    assert page(fixed).lstrip().startswith("<tbody")
    assert "蓝莓 125g ×2" in page(fixed) and "corrected" in page(fixed)

    confirmed = client.post(f"/campaigns/{campaign.pk}/imports/{draft.pk}/confirm/",
                            {"keep": ["0", "1"]}, follow=True)
    assert "2 orders created, 0 changed, 0 not imported." in texts(confirmed)
    assert Order.objects.filter(channel="chain").count() == 2
    assert 'data-testid="outcome-created"' in page(confirmed)

    again = client.post(f"/campaigns/{campaign.pk}/imports/{draft.pk}/confirm/",
                        {"keep": ["0", "1"]}, follow=True)
    assert any("already confirmed" in m for m in texts(again))
    assert Order.objects.count() == 2


def test_fixing_without_htmx_redirects_back_with_a_message(shop, campaign):
    draft = preview(campaign, chain_text(campaign) + ENTRIES)
    response = client_for(shop).post(
        f"/campaigns/{campaign.pk}/imports/{draft.pk}/entries/1/",
        {"customer": "周九", "phone": "123", "items": "蓝莓x2",
         "pickup_point": draft.entries[0]["pickup_point_id"]}, follow=True)
    assert "Entry 2 corrected." in texts(response)
    draft.refresh_from_db()
    assert draft.entries[1]["problems"] == ["phone_invalid"]


def test_a_viewer_sees_campaigns_but_cannot_import(shop, campaign):
    viewer = client_for(shop, "viewer")
    assert viewer.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert 'data-testid="paste-chain"' not in page(viewer.get(f"/campaigns/{campaign.pk}/"))

    refused = viewer.post(f"/campaigns/{campaign.pk}/import/",
                          {"text": chain_text(campaign) + ENTRIES})
    assert refused.status_code == 403
    assert "Your role (Viewer) may not create orders" in page(refused)
    assert not ChainImport.objects.exists()

    draft = preview(campaign, chain_text(campaign) + ENTRIES)
    assert viewer.get(f"/campaigns/{campaign.pk}/imports/{draft.pk}/").status_code == 403
    assert viewer.post(f"/campaigns/{campaign.pk}/imports/{draft.pk}/confirm/",
                       {"keep": ["0"]}).status_code == 403
    assert Order.objects.count() == 0


def test_another_shops_campaign_is_not_found(shop, campaign):
    stranger = client_for(factories.make_shop())
    assert stranger.get(f"/campaigns/{campaign.pk}/").status_code == 404


def test_summary_exports_and_print(shop, campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))
    client = client_for(shop)

    summary = client.get(f"/campaigns/{campaign.pk}/summary/")
    assert summary.status_code == 200
    assert 'data-testid="by-product"' in page(summary) and "李四" in page(summary)

    csv_file = client.get(f"/campaigns/{campaign.pk}/export/picklists.csv")
    assert csv_file["Content-Type"].startswith("text/csv")
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    xlsx = client.get(f"/campaigns/{campaign.pk}/export/products.xlsx")
    assert xlsx.content.startswith(b"PK")
    assert client.get(f"/campaigns/{campaign.pk}/export/products.pdf").status_code == 404

    printed = client.get(f"/campaigns/{campaign.pk}/print/")
    assert page(printed).count('class="sheet pick-list"') == 2  # one page per pickup point
    assert "chains/print.css" in page(printed)


def test_batch_confirm_from_the_summary_page(shop, campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))
    client = client_for(shop)
    early = client.post(f"/campaigns/{campaign.pk}/batch-confirm/", follow=True)
    assert any("until its cut-off" in m for m in texts(early))

    campaign.cut_off_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()
    done = client.post(f"/campaigns/{campaign.pk}/batch-confirm/", follow=True)
    order = ChainEntry.objects.get(campaign=campaign).order
    assert f"Accepted 1 orders: {order.number}" in texts(done)
    order.refresh_from_db()
    assert order.status == "accepted"


def test_pickup_points_page_adds_and_edits(shop):
    client = client_for(shop)
    client.post("/campaigns/pickup-points/", {"name": "东门", "address": "幸福路8号",
                                              "aliases": "小区东门|东大门"})
    from dingdan.fulfillment.models import PickupPoint

    point = PickupPoint.objects.get(shop=shop)
    assert point.aliases == ["小区东门", "东大门"]
    client.post("/campaigns/pickup-points/", {"point_id": point.pk, "name": "东门",
                                              "address": "", "aliases": ""})
    point.refresh_from_db()
    assert (point.is_active, point.aliases) == (False, [])


def test_an_imported_order_shows_its_group_buy_and_pickup_point(shop, campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))
    order = ChainEntry.objects.get(campaign=campaign).order
    typed = factories.place(shop, [("BLUE-125", 1)])
    client = client_for(shop)

    shown = page(client.get(f"/orders/{order.pk}/"))
    assert "Group buy:" in shown and f'href="/campaigns/{campaign.pk}/"' in shown
    assert "周六草莓团" in shown and "entry 1" in shown and "阳光小区东门" in shown
    assert 'data-testid="group-buy"' not in page(client.get(f"/orders/{typed.pk}/"))
