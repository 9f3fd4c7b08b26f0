"""A merchant sets up a group-buy: products at campaign prices with limits, pickup points,
a cut-off; dingdan writes the chain text to post, and reads its own text back."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.models import CampaignItem
from dingdan.chains.selectors.campaigns import campaign_points
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.selectors.reading import read_chain, reader_for
from dingdan.chains.services import campaigns as services
from dingdan.chains.services.campaigns import ItemInput
from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.shops.actors import Actor
from tests import factories
from tests.chains.campaigns import make_campaign, make_points, owner

pytestmark = pytest.mark.django_db


def test_a_campaign_keeps_its_items_prices_limits_and_pickup_points(shop, campaign):
    items = list(CampaignItem.objects.filter(campaign=campaign).select_related("variant"))
    assert [(i.variant.sku, i.price_cents, i.per_person_limit, i.total_cap) for i in items] == [
        ("STRAW-500", 2990, 3, 10), ("BLUE-125", 1500, None, None)]
    assert [p.name for p in campaign_points(campaign)] == ["阳光小区东门", "幸福里南门"]
    assert campaign.status == "open" and campaign.shop_id == shop.pk


@pytest.mark.parametrize(("change", "field"), [
    ({"title": " "}, "title"),
    ({"cut_off_at": dt.datetime(2026, 12, 19, 20, 0)}, "cut_off_at"),  # naive
    ({"items": []}, "items"),
    ({"items": [ItemInput("NOPE", 100)]}, "items.0.sku"),
    ({"items": [ItemInput("STRAW-500", 100), ItemInput("STRAW-500", 200)]}, "items.1.sku"),
    ({"items": [ItemInput("STRAW-500", -1)]}, "items.0.price"),
    ({"items": [ItemInput("STRAW-500", 100, per_person_limit=0)]}, "items.0.limit"),
    ({"pickup_point_ids": []}, "pickup_points"),
    ({"fulfilment": "drone"}, "fulfilment"),
])
def test_a_campaign_that_cannot_work_is_refused_naming_the_field(shop, change, field):
    east, _south = make_points(shop)
    fields = {"title": "草莓团", "cut_off_at": timezone.now() + dt.timedelta(days=1),
              "items": [ItemInput("STRAW-500", 2990)], "pickup_point_ids": [east.pk]}
    with pytest.raises(InvalidInput) as refused:
        services.create_campaign(actor=owner(shop), shop=shop, **{**fields, **change})
    assert field in refused.value.fields


def test_a_delivery_date_before_the_cut_off_is_refused(shop):
    east, _ = make_points(shop)
    with pytest.raises(InvalidInput, match="before the cut-off"):
        services.create_campaign(
            actor=owner(shop), shop=shop, title="团", items=[ItemInput("STRAW-500", 1)],
            cut_off_at=timezone.now() + dt.timedelta(days=3),
            delivery_date=timezone.localdate(), pickup_point_ids=[east.pk])


def test_another_shops_pickup_point_cannot_be_used(shop):
    other = factories.make_shop()
    theirs = services.create_pickup_point(actor=owner(other), shop=other, name="别家门口")
    with pytest.raises(InvalidInput):
        make_campaign(shop, points=[theirs])


def test_only_roles_that_manage_the_catalog_edit_campaigns(shop):
    clerk = factories.staff_actor(shop, "clerk")
    with pytest.raises(PermissionDenied):
        services.create_pickup_point(actor=clerk, shop=shop, name="东门")


def test_updating_replaces_items_and_moving_the_cut_off_reopens(shop, campaign):
    later = timezone.now() + dt.timedelta(days=5)
    points = [p.pk for p in campaign.pickup_points.all()]
    services.update_campaign(
        actor=owner(shop), campaign=campaign, title="新标题", cut_off_at=later,
        items=[ItemInput("BLUE-125", 1200, total_cap=5)], pickup_point_ids=points,
        status="closed")
    campaign.refresh_from_db()
    assert (campaign.title, campaign.cut_off_at, campaign.status) == ("新标题", later, "closed")
    assert list(campaign.items.values_list("variant__sku", "price_cents", "total_cap")) == [
        ("BLUE-125", 1200, 5)]
    assert not services.accepts_new_entries(campaign)


def test_pickup_point_names_are_unique_in_a_shop(shop):
    make_points(shop)
    with pytest.raises(InvalidInput, match="already has a pickup point"):
        services.create_pickup_point(actor=owner(shop), shop=shop, name="幸福里南门")


# -- the chain text ------------------------------------------------------------------------


def test_the_chain_text_has_the_header_items_rules_and_an_example(shop, campaign):
    text = chain_text(campaign)
    lines = text.splitlines()
    assert lines[0] == "#接龙 周六草莓团"
    assert lines[1].startswith("截单时间: ")
    assert "自提点: 阳光小区东门(幸福路8号)" in lines
    assert "自提点: 幸福里南门" in lines
    assert any(line.startswith("· 草莓 500g ¥29.90") and "3" in line and "10" in line
               for line in lines)
    assert "· 蓝莓 125g ¥15.00" in lines
    assert "※ 坏果包赔" in lines
    assert lines[-1] == "例: 张三 草莓500gx2 13800138000 阳光小区东门"


def test_the_shop_may_post_in_english(shop, campaign):
    shop.settings = {"language": "en"}
    shop.save()
    campaign.refresh_from_db()
    text = chain_text(campaign)
    assert text.startswith("Group buy: 周六草莓团\nCut-off: ")
    assert "limit 3 per person" in text and "10 in total" in text
    assert "Example: Amy 草莓500gx2 13800138000 阳光小区东门" in text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dingdans_own_chain_text_reads_back_as_no_entries(campaign, language):
    reader = reader_for(campaign)
    assert read_chain(reader, chain_text(campaign, language)) == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_entries_added_under_dingdans_chain_text_read_back_exactly(campaign, language):
    text = chain_text(campaign, language) + (
        "1. 李四 草莓x2 13912345678 东门\n"
        "2. 王五 蓝莓1 奶油草莓1 13700001111 幸福里\n"
    )
    entries = read_chain(reader_for(campaign), text)
    assert [(e["seq"], e["customer"], e["phone"], e["pickup_point"], e["items"], e["problems"])
            for e in entries] == [
        (1, "李四", "13912345678", "阳光小区东门", [{"sku": "STRAW-500", "quantity": 2}], []),
        (2, "王五", "13700001111", "幸福里南门",
         [{"sku": "BLUE-125", "quantity": 1}, {"sku": "STRAW-500", "quantity": 1}], []),
    ]


def test_the_example_line_is_itself_a_valid_entry(campaign):
    example = chain_text(campaign).splitlines()[-1].removeprefix("例: ")
    entries = read_chain(reader_for(campaign), f"1. {example}")
    assert entries[0]["items"] == [{"sku": "STRAW-500", "quantity": 2}]
    assert entries[0]["pickup_point"] == "阳光小区东门"


def test_campaign_items_come_first_then_the_shop_catalog(campaign):
    # 草莓 alone would be ambiguous in the shop (500g and 1kg); the campaign sells 500g.
    entries = read_chain(reader_for(campaign), "1. 李四 草莓x2 牛奶1 13912345678 东门")
    assert entries[0]["items"] == [{"sku": "STRAW-500", "quantity": 2},
                                   {"sku": "MILK-12", "quantity": 1}]


def test_a_pickup_point_alias_names_the_point(campaign):
    entries = read_chain(reader_for(campaign), "1. 李四 草莓x2 13912345678 小区东门")
    assert entries[0]["pickup_point"] == "阳光小区东门"


def test_system_actor_of_another_shop_cannot_touch_the_campaign(shop, campaign):
    other = factories.make_shop()
    from dingdan.errors import NotFound

    with pytest.raises(NotFound):
        services.update_campaign(
            actor=Actor.system(other), campaign=campaign, title="x",
            cut_off_at=campaign.cut_off_at, items=[ItemInput("STRAW-500", 1)])
