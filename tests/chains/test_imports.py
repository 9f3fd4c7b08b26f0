"""A merchant pastes the group's chain into a campaign again and again as it grows: new
entries become orders at the campaign's price, entries seen before are recognised however
the chain was renumbered, edited entries wait for approval, late ones are not created."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.models import ChainEntry, ChainImport
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as services
from dingdan.chains.services import previews
from dingdan.chains.services.campaigns import ItemInput
from dingdan.errors import Conflict, PermissionDenied
from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.services import lifecycle
from tests import factories
from tests.chains.campaigns import confirm, make_campaign, owner, preview, states

pytestmark = pytest.mark.django_db

LI = "李四 草莓x2 13912345678 东门"
WANG = "王五 蓝莓1 奶油草莓1 13700001111 幸福里"
ZHAO = "赵六 蓝莓x3 13600001111 南门"
QIAN = "钱七 草莓1 13500001111 东门"


def chain(campaign, *entries: str, numbers=None) -> str:
    numbers = numbers or range(1, len(entries) + 1)
    return chain_text(campaign) + "".join(
        f"{n}. {entry}\n" for n, entry in zip(numbers, entries, strict=True))


def orders_of(campaign) -> list[Order]:
    return [e.order for e in ChainEntry.objects.filter(campaign=campaign)
            .select_related("order").order_by("seq")]


def test_new_entries_become_orders_at_the_campaign_price(campaign):
    draft = preview(campaign, chain(campaign, LI, WANG))
    assert states(draft) == [(1, "李四", "new"), (2, "王五", "new")]
    assert Order.objects.count() == 0  # nothing before confirming

    result = confirm(draft)

    assert (result["created"], result["failed"]) == (2, 0)
    li, wang = orders_of(campaign)
    assert (li.customer_name, li.customer_phone, li.channel) == ("李四", "13912345678", "chain")
    assert li.delivery_method == "pickup" and "阳光小区东门" in li.note
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in li.lines.all()] == [
        ("STRAW-500", 2, 2990)]
    assert li.total_cents == 5980
    assert wang.total_cents == 1500 + 2990
    assert li.status == "pending_confirmation"
    assert OrderEvent.objects.filter(order=li, kind="placed").exists()
    assert ChainEntry.objects.get(order=li).pickup_point.name == "阳光小区东门"


def test_pasting_the_same_chain_again_creates_nothing(campaign):
    confirm(preview(campaign, chain(campaign, LI, WANG)))

    again = preview(campaign, chain(campaign, LI, WANG))

    assert states(again) == [(1, "李四", "unchanged"), (2, "王五", "unchanged")]
    assert confirm(again)["created"] == 0
    assert Order.objects.count() == 2


def test_a_growing_chain_adds_only_the_new_entries(campaign):
    confirm(preview(campaign, chain(campaign, LI)))
    confirm(preview(campaign, chain(campaign, LI, WANG)))

    grown = preview(campaign, chain(campaign, LI, WANG, ZHAO, QIAN))

    assert [s for *_, s in states(grown)] == ["unchanged", "unchanged", "new", "new"]
    assert confirm(grown)["created"] == 2
    assert [o.customer_name for o in orders_of(campaign)] == ["李四", "王五", "赵六", "钱七"]


def test_renumbered_entries_are_still_recognised(campaign):
    confirm(preview(campaign, chain(campaign, LI, WANG, ZHAO)))

    # 李四 deleted their line; the others moved up, with decoration and full-width digits.
    renumbered = preview(campaign, chain_text(campaign)
                         + "①王五 蓝莓1 奶油草莓1 13700001111 幸福里\n"
                         + "２、赵六 蓝莓x3 13600001111 南门\n")

    assert states(renumbered) == [(1, "王五", "unchanged"), (2, "赵六", "unchanged")]
    assert [m["customer"] for m in renumbered.missing] == ["李四"]
    confirm(renumbered)
    assert Order.objects.count() == 3
    assert list(ChainEntry.objects.filter(campaign=campaign, customer="赵六")
                .values_list("seq", flat=True)) == [2]


def test_the_same_person_twice_is_two_entries(campaign):
    draft = preview(campaign, chain(campaign, LI, "李四 蓝莓1 13912345678 东门"))
    assert [e["key"] for e in draft.entries] == ["13912345678|李四#1", "13912345678|李四#2"]
    confirm(draft)
    assert states(preview(campaign, chain(campaign, LI, "李四 蓝莓1 13912345678 东门"))) == [
        (1, "李四", "unchanged"), (2, "李四", "unchanged")]


def test_an_edited_entry_is_changed_and_applied_only_when_approved(campaign):
    confirm(preview(campaign, chain(campaign, LI, WANG)))

    edited = preview(campaign, chain(campaign, "李四 草莓x3 13912345678 东门 不要太熟", WANG))

    assert states(edited) == [(1, "李四", "changed"), (2, "王五", "unchanged")]
    first = edited.entries[0]
    assert first["before"]["items"] == [{"sku": "STRAW-500", "quantity": 2}]
    assert first["selected"] is False  # shown for approval
    assert confirm(edited)["changed"] == 0  # not approved: nothing changes
    li = orders_of(campaign)[0]
    assert li.total_cents == 5980

    approved = preview(campaign, chain(campaign, "李四 草莓x3 13912345678 东门 不要太熟", WANG))
    result = confirm(approved, selected=[0])

    assert result["changed"] == 1
    li.refresh_from_db()
    assert [(line.quantity, line.unit_price_cents) for line in li.lines.all()] == [(3, 2990)]
    assert li.total_cents == 3 * 2990
    assert "不要太熟" in li.note
    kinds = set(OrderEvent.objects.filter(order=li).values_list("kind", flat=True))
    assert kinds >= {"placed", "edited"} and "repriced" not in kinds  # campaign price kept
    assert states(preview(campaign, chain(campaign, "李四 草莓x3 13912345678 东门 不要太熟",
                                          WANG)))[0][2] == "unchanged"


def test_a_change_to_an_order_that_can_no_longer_be_edited_is_reported(campaign):
    confirm(preview(campaign, chain(campaign, LI)))
    li = orders_of(campaign)[0]
    lifecycle.transition_order(actor=owner(campaign.shop), order=li, to="cancelled",
        reason="customer_request")

    result = confirm(preview(campaign, chain(campaign, "李四 草莓x1 13912345678 东门")),
                     selected=[0])

    assert result["failed"] == 1
    assert "can no longer be edited" in result["entries"][0]["message"]
    li.refresh_from_db()
    assert li.lines.get().quantity == 2


def test_new_entries_after_the_cut_off_are_flagged_and_not_created(shop):
    campaign = make_campaign(shop, cut_off_in=dt.timedelta(days=1))
    seen_in_time = preview(campaign, chain(campaign, LI))
    campaign.cut_off_at = timezone.now() - dt.timedelta(minutes=1)
    campaign.save()
    ChainImport.objects.filter(pk=seen_in_time.pk).update(
        created_at=campaign.cut_off_at - dt.timedelta(hours=1))

    late = preview(campaign, chain(campaign, LI, WANG))

    # 李四 was pasted before the cut-off: still on time. 王五 first appears after it.
    assert states(late) == [(1, "李四", "new"), (2, "王五", "after_cut_off")]
    result = confirm(late, selected=[0, 1])
    assert result["created"] == 1
    assert [o.customer_name for o in orders_of(campaign)] == ["李四"]
    assert seen_in_time.status == "draft"


def test_per_person_limit_is_checked_across_entries_and_imports(campaign):
    # STRAW-500: at most 3 per person.
    confirm(preview(campaign, chain(campaign, LI)))  # 李四 has 2

    draft = preview(campaign, chain(campaign, LI, "李四 草莓x2 蓝莓1 13912345678 东门",
                                    "王五 草莓x4 13700001111 幸福里"))

    assert [e["problems"] for e in draft.entries] == [[], ["over_limit"], ["over_limit"]]
    assert draft.entries[1]["over"] == [{"sku": "STRAW-500", "kind": "limit", "allowed": 1}]
    assert [e["selected"] for e in draft.entries] == [False, False, False]
    result = confirm(draft, selected=[1, 2])  # ticked anyway: refused at confirmation
    assert (result["created"], result["failed"]) == (0, 2)
    assert "over the per-person limit" in result["entries"][0]["message"]


def test_the_total_cap_is_first_come_first_served(shop):
    campaign = make_campaign(shop, items=[ItemInput("STRAW-500", 2990, total_cap=5)])
    draft = preview(campaign, chain(campaign, LI, "王五 草莓x2 13700001111 幸福里",
                                    "赵六 草莓x2 13600001111 南门", QIAN))

    assert [e["problems"] for e in draft.entries] == [[], [], ["over_cap"], []]
    result = confirm(draft)
    assert result["created"] == 3
    assert sum(o.lines.get().quantity for o in orders_of(campaign)) == 5


def test_a_cancelled_order_gives_its_units_back_to_the_cap(shop):
    campaign = make_campaign(shop, items=[ItemInput("STRAW-500", 2990, total_cap=2)])
    confirm(preview(campaign, chain(campaign, LI)))
    lifecycle.transition_order(actor=owner(shop), order=orders_of(campaign)[0], to="cancelled",
        reason="customer_request")
    draft = preview(campaign, chain(campaign, LI, "王五 草莓x2 13700001111 幸福里"))
    assert [e["problems"] for e in draft.entries] == [[], []]


def test_entries_needing_a_look_are_not_ticked(campaign):
    draft = preview(campaign, chain(campaign, "赵六 蓝莓1 13600001111",  # no pickup point
                                    "孙八 草莓1 1380013800 东门",  # phone too short
                                    "周九 榴莲x2 13700002222 东门",  # unknown product
                                    LI))
    assert [(e["problems"], e["selected"]) for e in draft.entries] == [
        (["no_pickup_point"], False),
        (["phone_invalid"], False),
        (["product_unknown"], False),
        ([], True),
    ]
    result = confirm(draft, selected=[0, 1, 3])
    assert (result["created"], result["failed"]) == (1, 2)


def test_a_fixed_entry_is_imported_as_fixed_and_recognised_later(campaign):
    text = chain(campaign, "周九 榴莲x2 蓝莓1 13700002222")
    draft = preview(campaign, text)

    entry = previews.fix_entry(
        actor=owner(campaign.shop), chain_import=draft, index=0, customer="周九",
        phone="137 0000 2222", items="草莓x2 蓝莓1", pickup_point_id=campaign_point(campaign))

    assert entry["problems"] == [] and entry["selected"] is True
    assert confirm(ChainImport.objects.get(pk=draft.pk))["created"] == 1
    order = orders_of(campaign)[0]
    assert sorted((line.sku, line.quantity) for line in order.lines.all()) == [
        ("BLUE-125", 1), ("STRAW-500", 2)]
    assert order.delivery_method == "pickup"
    # The chain still says 榴莲: pasting it again is not a change.
    assert states(preview(campaign, text)) == [(1, "周九", "unchanged")]


def campaign_point(campaign) -> int:
    return campaign.pickup_points.get(name="幸福里南门").pk


def test_a_stock_shortage_fails_that_entry_only(shop):
    StockLevel.objects.filter(variant__sku="BLUE-125").update(on_hand=2)
    campaign = make_campaign(shop)
    result = confirm(preview(campaign, chain(campaign, LI, ZHAO, WANG)))

    outcomes = [(o["customer"], o["outcome"]) for o in result["entries"]]
    assert outcomes == [("李四", "created"), ("赵六", "failed"), ("王五", "created")]
    assert "Not enough stock" in result["entries"][1]["message"]
    assert states(preview(campaign, chain(campaign, LI, ZHAO, WANG)))[1][2] == "new"


def test_confirming_the_same_draft_twice_creates_nothing_twice(campaign):
    draft = preview(campaign, chain(campaign, LI, WANG))
    first = confirm(draft)
    second = confirm(draft)
    assert second["already_confirmed"] and second["created"] == first["created"] == 2
    assert Order.objects.count() == 2


def test_two_drafts_of_the_same_chain_create_each_order_once(campaign):
    one = preview(campaign, chain(campaign, LI, WANG))
    two = preview(campaign, chain(campaign, LI, WANG, ZHAO))
    confirm(one)
    result = confirm(two)
    assert [o["outcome"] for o in result["entries"]] == [
        "already_imported", "already_imported", "created"]
    assert Order.objects.count() == 3


def test_a_delivery_campaign_delivers_to_the_address(shop):
    campaign = make_campaign(shop, fulfilment="delivery")
    draft = preview(campaign, chain(campaign, "李四 草莓x2 13912345678 北京市朝阳区建国路88号"))
    assert draft.entries[0]["address"] == "北京市朝阳区建国路88号"
    confirm(draft)
    order = orders_of(campaign)[0]
    assert (order.delivery_method, order.address_detail) == ("local", "建国路88号")


def test_a_viewer_cannot_import(campaign):
    viewer = factories.staff_actor(campaign.shop, "viewer")
    with pytest.raises(PermissionDenied):
        preview(campaign, chain(campaign, LI), actor=viewer)
    draft = preview(campaign, chain(campaign, LI))
    with pytest.raises(PermissionDenied):
        confirm(draft, actor=viewer)


def test_an_archived_campaign_takes_no_import(campaign):
    campaign.status = "archived"
    campaign.save()
    with pytest.raises(Conflict):
        preview(campaign, chain(campaign, LI))


def test_a_clerk_imports_and_the_timeline_says_who(campaign):
    clerk = factories.staff_actor(campaign.shop, "clerk")
    confirm(preview(campaign, chain(campaign, LI), actor=clerk), actor=clerk)
    event = OrderEvent.objects.get(order=orders_of(campaign)[0], kind="placed")
    assert event.actor_kind == "staff" and event.data["channel"] == "chain"


def test_update_refuses_removing_a_pickup_point_with_orders(campaign):
    confirm(preview(campaign, chain(campaign, LI)))
    from dingdan.errors import InvalidInput

    with pytest.raises(InvalidInput, match="cannot be removed"):
        services.update_campaign(
            actor=owner(campaign.shop), campaign=campaign, title=campaign.title,
            cut_off_at=campaign.cut_off_at, items=[ItemInput("STRAW-500", 2990)],
            pickup_point_ids=[campaign_point(campaign)])
