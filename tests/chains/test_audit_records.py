"""Group-buy campaigns and pickup points leave audit records; the campaign page shows them."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.services import campaigns as services
from dingdan.chains.services import confirming
from dingdan.shops.actors import Actor
from dingdan.shops.audit_selectors import history_for
from tests import factories
from tests.chains.campaigns import make_campaign

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
