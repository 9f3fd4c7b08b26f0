"""After the cut-off the merchant reads what to buy and pack: totals by product, by pickup
point, a pick list per point; then accepts every waiting order at once."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.models import ChainEntry
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.selectors.summaries import campaign_summary
from dingdan.chains.services.confirming import batch_confirm
from dingdan.errors import Conflict, PermissionDenied
from dingdan.orders.services import editing, lifecycle
from tests import factories
from tests.chains.campaigns import confirm, owner, preview

pytestmark = pytest.mark.django_db

ENTRIES = (
    "1. 李四 草莓x2 13912345678 东门\n"
    "2. 王五 蓝莓1 奶油草莓1 13700001111 幸福里\n"
    "3. 赵六 蓝莓x3 13600001111 东门 放门口\n"
    "4. 钱七 草莓1 13500001111 东门\n"
)


@pytest.fixture
def imported(campaign):
    confirm(preview(campaign, chain_text(campaign) + ENTRIES))
    return {e.customer: e.order for e in ChainEntry.objects.filter(campaign=campaign)}


def test_totals_by_product_and_by_pickup_point(campaign, imported):
    summary = campaign_summary(campaign, pii=True)

    assert [(p.sku, p.quantity, p.amount_cents) for p in summary.products] == [
        ("STRAW-500", 4, 4 * 2990), ("BLUE-125", 4, 4 * 1500)]
    assert [(point, p.sku, p.quantity) for point, p in summary.by_point] == [
        ("阳光小区东门", "STRAW-500", 3), ("阳光小区东门", "BLUE-125", 3),
        ("幸福里南门", "STRAW-500", 1), ("幸福里南门", "BLUE-125", 1)]
    assert summary.order_count == 4
    assert summary.total_cents == 4 * 2990 + 4 * 1500


def test_pick_lists_name_each_customer_phone_and_items(campaign, imported):
    east, south = campaign_summary(campaign, pii=True).pick_lists

    assert (east.point, east.address) == ("阳光小区东门", "幸福路8号")
    assert [(r.seq, r.customer, r.phone, r.items) for r in east.rows] == [
        (1, "李四", "13912345678", [("草莓 500g", 2)]),
        (3, "赵六", "13600001111", [("蓝莓 125g", 3)]),
        (4, "钱七", "13500001111", [("草莓 500g", 1)]),
    ]
    assert "放门口" in east.rows[1].note
    assert [(r.customer, r.items) for r in south.rows] == [
        ("王五", [("蓝莓 125g", 1), ("草莓 500g", 1)])]


def test_cancelled_orders_are_left_out_and_edits_counted(campaign, imported):
    actor = owner(campaign.shop)
    lifecycle.transition_order(actor=actor, order=imported["钱七"], to="cancelled",
        reason="customer_request")
    li = imported["李四"]
    editing.edit_order(actor=actor, order=li, version=li.version, lines=[("STRAW-500", 5)])

    summary = campaign_summary(campaign, pii=True)

    assert [(p.sku, p.quantity) for p in summary.products] == [
        ("STRAW-500", 6), ("BLUE-125", 4)]
    assert summary.order_count == 3


def test_phones_are_masked_for_roles_that_may_not_see_them(campaign, imported):
    east = campaign_summary(campaign, pii=False).pick_lists[0]
    assert east.rows[0].phone == "139****5678"


def test_batch_confirm_accepts_every_waiting_order_after_the_cut_off(campaign, imported):
    actor = owner(campaign.shop)
    with pytest.raises(Conflict, match="until its cut-off"):
        batch_confirm(actor=actor, campaign=campaign)
    lifecycle.transition_order(actor=actor, order=imported["钱七"], to="cancelled",
        reason="customer_request")
    campaign.cut_off_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()

    result = batch_confirm(actor=actor, campaign=campaign)

    assert sorted(row["number"] for row in result["succeeded"]) == sorted(
        imported[name].number for name in ("李四", "王五", "赵六"))
    assert result["failed"] == []
    assert {o.customer_name: o.status for o in
            (e.order for e in ChainEntry.objects.filter(campaign=campaign))} == {
        "李四": "accepted", "王五": "accepted", "赵六": "accepted", "钱七": "cancelled"}
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_batch_confirm_reports_the_orders_that_fail(campaign):
    from dingdan.inventory.models import StockLevel

    # This shop promises stock when it accepts an order: 4 blueberries wanted, 3 on hand.
    campaign.shop.settings = {"reserve_stock_on": "acceptance"}
    campaign.shop.save()
    StockLevel.objects.filter(variant__sku="BLUE-125").update(on_hand=3)
    confirm(preview(campaign, chain_text(campaign) + ENTRIES))
    campaign.cut_off_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()

    result = batch_confirm(actor=owner(campaign.shop), campaign=campaign)

    assert len(result["succeeded"]) == 3
    [failed] = result["failed"]
    assert failed["error"]["code"] == "insufficient_stock"
    assert ChainEntry.objects.get(order_id=failed["id"]).customer == "赵六"


def test_a_viewer_cannot_batch_confirm(campaign, imported):
    with pytest.raises(PermissionDenied):
        batch_confirm(actor=factories.staff_actor(campaign.shop, "viewer"), campaign=campaign)
