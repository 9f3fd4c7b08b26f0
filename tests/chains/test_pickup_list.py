"""A pickup point's list of the group-buy orders still to be collected there: who comes,
their phone (masked for roles that may not see it), what they take, from which campaign;
as a page to print and as a PDF."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dingdan.chains.models import ChainEntry
from dingdan.chains.selectors.campaigns import campaign_points
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.orders.services import lifecycle
from tests import factories
from tests.chains.campaigns import confirm, make_campaign, preview
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db

ENTRIES = (
    "1. 李四 草莓x2 13912345678 东门\n"
    "2. 王五 蓝莓1 13700001111 幸福里\n"
    "3. 赵六 蓝莓x3 13612345678 东门 放门口\n"
    "4. 钱七 草莓1 13500001111 东门\n"
)


@pytest.fixture
def imported(campaign):
    confirm(preview(campaign, chain_text(campaign) + ENTRIES))
    return {e.customer: e for e in ChainEntry.objects.filter(campaign=campaign)}


@pytest.fixture
def east(imported):
    return imported["李四"].pickup_point


def client_for(shop, role="owner"):
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(factories.make_member(shop, role).user)
    return client


def test_the_list_names_who_collects_what_at_the_point(shop, campaign, imported, east):
    page = client_for(shop).get(f"/campaigns/pickup-points/{east.pk}/pickup-list/").content
    page = page.decode()

    assert "Pickup list: 阳光小区东门" in page
    assert page.count("<tr><td class=\"tick\">") == 3
    for name in ("李四", "赵六", "钱七"):
        assert name in page
    assert "王五" not in page  # collects at 幸福里南门
    assert "13912345678" in page and "草莓 500g ×2" in page and "放门口" in page
    assert campaign.title in page and imported["李四"].order.number in page


def test_orders_already_collected_or_cancelled_are_not_on_it(shop, imported, east):
    actor = factories.staff_actor(shop)
    lifecycle.cancel_order(actor=actor, order=imported["钱七"].order, reason="customer_request")
    order = imported["李四"].order
    for step in (lifecycle.accept_order, lifecycle.start_preparing, lifecycle.ship_order,
                 lifecycle.mark_delivered):
        order = step(actor=actor, order=order)

    page = client_for(shop).get(f"/campaigns/pickup-points/{east.pk}/pickup-list/").content
    page = page.decode()

    assert "赵六" in page
    assert "李四" not in page and "钱七" not in page


def test_a_campaign_keeps_only_its_orders(shop, campaign, imported, east):
    other = make_campaign(shop, points=[east])
    confirm(preview(other, chain_text(other) + "1. 孙八 草莓x1 13800001234 东门\n"))
    client = client_for(shop)
    url = f"/campaigns/pickup-points/{east.pk}/pickup-list/"

    everything = client.get(url).content.decode()
    one = client.get(f"{url}?campaign={campaign.pk}").content.decode()

    assert "孙八" in everything and "李四" in everything
    assert "孙八" not in one and "李四" in one


def test_a_role_without_personal_data_sees_masked_phones(shop, imported, east):
    page = client_for(shop, "finance").get(
        f"/campaigns/pickup-points/{east.pk}/pickup-list/").content.decode()

    assert "139****5678" in page and "13912345678" not in page
    assert 'data-testid="pii-masked"' in page


def test_the_list_as_a_pdf(shop, campaign, imported, east, tmp_path):
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils (pdftotext) is not installed")
    response = client_for(shop, "viewer").get(
        f"/campaigns/pickup-points/{east.pk}/pickup-list/?campaign={campaign.pk}&format=pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"pickup-list-{east.pk}-campaign-{campaign.pk}.pdf" in response["Content-Disposition"]
    path = tmp_path / "list.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "阳光小区东门" in text and "草莓" in text and "赵六" in text
    assert "136****5678" in text and "13612345678" not in text


def test_the_point_and_campaign_pages_link_to_it(shop, campaign, east):
    client = client_for(shop)

    points = client.get("/campaigns/pickup-points/").content.decode()
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()

    assert f"/campaigns/pickup-points/{east.pk}/pickup-list/" in points
    assert f"/campaigns/pickup-points/{east.pk}/pickup-list/?campaign={campaign.pk}" in detail


def test_another_shops_point_or_campaign_is_not_found(shop, campaign, east):
    other = factories.make_shop()
    factories.make_sku(other, "STRAW-500", stock=5)
    factories.make_sku(other, "BLUE-125", stock=5)
    theirs = make_campaign(other)
    point = campaign_points(theirs)[0]
    client = client_for(shop)

    assert client.get(f"/campaigns/pickup-points/{point.pk}/pickup-list/").status_code == 404
    assert client.get(f"/campaigns/pickup-points/{east.pk}/pickup-list/"
                      f"?campaign={theirs.pk}").status_code == 404
    assert client.get(f"/campaigns/pickup-points/{east.pk}/pickup-list/"
                      "?campaign=x").status_code == 400


def test_a_longer_list_costs_no_more_queries(shop, imported, east):
    client = client_for(shop)
    url = f"/campaigns/pickup-points/{east.pk}/pickup-list/"
    client.get(url)  # the session, warmed up
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
        more = make_campaign(shop, points=[east])
        confirm(preview(more, chain_text(more) + "1. 孙八 草莓x1 蓝莓x2 13800001234 东门\n"
                                                 "2. 周九 蓝莓x1 13800004321 东门\n"))
    assert counts[0] == counts[1]
