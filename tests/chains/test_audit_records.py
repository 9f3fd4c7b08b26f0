"""Group-buy campaigns and pickup points leave audit records; the campaign page shows them."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as services
from dingdan.chains.services import confirming
from dingdan.shops.actors import Actor
from dingdan.shops.audit_selectors import history_for
from tests import factories
from tests.chains.campaigns import confirm, make_campaign, preview

pytestmark = pytest.mark.django_db


def test_pickup_points_record_creation_and_changes(shop):
    actor = Actor.system(shop)
    point = services.create_pickup_point(actor=actor, shop=shop, name="东门", address="幸福路8号")
    services.update_pickup_point(actor=actor, point=point, name="东门", address="幸福路9号",
                                 is_active=False)
    created, changed = history_for(shop, "pickup_point", point.pk).order_by("id")
    assert created.action == "created" and created.changes["name"]["after"] == "东门"
    assert changed.changes == {"address": {"before": "幸福路8号", "after": "幸福路9号"},
                               "is_active": {"before": True, "after": False}}


def test_a_campaign_records_creation_changes_and_its_closing(shop, campaign):
    actor = Actor.staff(factories.make_member(shop, "owner"))
    services.update_campaign(
        actor=actor, campaign=campaign, title="周日草莓团", cut_off_at=campaign.cut_off_at,
        items=[services.ItemInput("STRAW-500", 2590, per_person_limit=3, total_cap=10)],
        pickup_point_ids=[p.pk for p in campaign.pickup_points.all()], rules=campaign.rules,
    )
    services.update_campaign(
        actor=actor, campaign=campaign, title="周日草莓团",
        cut_off_at=timezone.now() - dt.timedelta(minutes=1),
        items=[services.ItemInput("STRAW-500", 2590, per_person_limit=3, total_cap=10)],
        pickup_point_ids=[p.pk for p in campaign.pickup_points.all()], rules=campaign.rules,
    )
    campaign.refresh_from_db()
    confirming.batch_confirm(actor=actor, campaign=campaign)

    records = list(history_for(shop, "campaign", campaign.pk).order_by("id"))
    assert [r.action for r in records] == ["created", "changed", "changed", "closed"]
    assert records[1].changes["title"] == {"before": "周六草莓团", "after": "周日草莓团"}
    assert records[1].changes["items"] == {
        "before": ["STRAW-500 ¥29.90 ≤3 /10", "BLUE-125 ¥15.00"],
        "after": ["STRAW-500 ¥25.90 ≤3 /10"]}
    assert set(records[2].changes) == {"cut_off_at"}
    assert records[3].changes["status"] == {"before": "open", "after": "closed"}


def test_the_campaign_page_shows_its_history(shop):
    owner = factories.make_member(shop, "owner")
    campaign = make_campaign(shop)
    client = factories.Client()
    client.force_login(owner.user)
    page = client.get(f"/campaigns/{campaign.pk}/", headers={"Accept-Language": "en"})
    assert "the system created group buy 周六草莓团" in page.content.decode()


def _chain(campaign, *entries: str) -> str:
    return chain_text(campaign) + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


def test_importing_a_chain_records_how_many_orders_it_made_and_changed(shop, campaign):
    member = factories.make_member(shop, "clerk")
    actor = Actor.staff(member)
    li, wang = "李四 草莓x2 13912345678 东门", "王五 蓝莓1 13700001111 幸福里"
    start = history_for(shop, "campaign", campaign.pk).count()

    confirm(preview(campaign, _chain(campaign, li, wang), actor=actor), actor=actor)
    changed = preview(campaign, _chain(campaign, "李四 草莓x3 13912345678 东门", wang),
                      actor=actor)
    confirm(changed, actor=actor, selected=[0])
    confirm(preview(campaign, _chain(campaign, "李四 草莓x3 13912345678 东门", wang),
                    actor=actor), actor=actor)  # nothing new: nothing to record

    records = list(history_for(shop, "campaign", campaign.pk).order_by("id"))[start:]
    assert [r.action for r in records] == ["orders_imported", "orders_imported"]
    assert records[0].changes == {"orders_created": {"before": None, "after": 2},
                                  "orders_changed": {"before": None, "after": 0}}
    assert records[1].changes == {"orders_created": {"before": None, "after": 0},
                                  "orders_changed": {"before": None, "after": 1}}
    assert all(r.actor_user == member.user and r.object_label == "周六草莓团" for r in records)


def test_batch_confirming_a_campaign_already_closed_records_the_orders_accepted(shop, campaign):
    actor = Actor.staff(factories.make_member(shop, "manager"))
    confirm(preview(campaign, _chain(campaign, "李四 草莓x2 13912345678 东门",
                                     "王五 蓝莓1 13700001111 幸福里")))
    services.update_campaign(
        actor=actor, campaign=campaign, title=campaign.title, cut_off_at=campaign.cut_off_at,
        items=[services.ItemInput("STRAW-500", 2990, per_person_limit=3, total_cap=10),
               services.ItemInput("BLUE-125", 1500)],
        pickup_point_ids=[p.pk for p in campaign.pickup_points.all()], rules=campaign.rules,
        status="closed",
    )
    campaign.refresh_from_db()

    result = confirming.batch_confirm(actor=actor, campaign=campaign)
    confirming.batch_confirm(actor=actor, campaign=campaign)  # nothing left: no record

    assert len(result["succeeded"]) == 2
    closing, confirmed = list(history_for(shop, "campaign", campaign.pk).order_by("id"))[-2:]
    assert closing.action == "changed"
    assert closing.changes["status"] == {"before": "open", "after": "closed"}
    assert confirmed.action == "confirmed"
    assert confirmed.changes == {"orders_accepted": {"before": None, "after": 2}}
    assert confirmed.actor_user == actor.user


def test_renaming_a_pickup_point_and_its_aliases_is_recorded_and_an_unchanged_save_is_not(shop):
    member = factories.make_member(shop, "manager")
    actor = Actor.staff(member)
    point = services.create_pickup_point(actor=actor, shop=shop, name="东门",
                                         aliases=["小区东门"])

    services.update_pickup_point(actor=actor, point=point, name="阳光小区东门",
                                 aliases=["东门", "小区东门"])
    services.update_pickup_point(actor=actor, point=point, name="阳光小区东门",
                                 aliases=["东门", "小区东门"])

    created, changed = history_for(shop, "pickup_point", point.pk).order_by("id")
    assert created.changes["aliases"] == {"before": None, "after": ["小区东门"]}
    assert changed.action == "changed" and changed.object_label == "阳光小区东门"
    assert changed.changes == {
        "name": {"before": "东门", "after": "阳光小区东门"},
        "aliases": {"before": ["小区东门"], "after": ["东门", "小区东门"]}}
    assert changed.actor_user == member.user
