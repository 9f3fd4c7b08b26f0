"""A campaign closes itself at its cut-off: the task scheduled for that moment runs in the
configured task backend's worker, closes it as the system (recorded in the audit log) and
tells its organiser what it came to. A task for a cut-off that moved, or run twice or late,
changes nothing; a worker that was down at the cut-off catches up when it starts."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dingdan.chains.models import Campaign, ChainImport
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as services
from dingdan.chains.services import closing
from dingdan.chains.services.campaigns import ItemInput
from dingdan.chains.tasks import close_campaign_at_cut_off
from dingdan.errors import PermissionDenied
from dingdan.notify.models import Alert
from dingdan.notify.services import alert_message
from dingdan.shops.actors import Actor
from dingdan.shops.audit_selectors import history_for
from tests import factories
from tests.chains.campaigns import confirm, make_campaign, preview, states

TASK = "dingdan.chains.tasks.close_campaign_at_cut_off"
LI = "李四 草莓x2 13912345678 东门"
WANG = "王五 蓝莓1 13700001111 幸福里"


def chain(campaign, *entries: str) -> str:
    return chain_text(campaign) + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


def run_worker() -> None:
    """The configured backend's worker, until no task is due (the real `db_worker`)."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def clock_passes(campaign, by: dt.timedelta) -> None:
    """As if `by` had gone by: the cut-off, the pastes so far and the tasks waiting move
    back as much."""
    Campaign.objects.filter(pk=campaign.pk).update(cut_off_at=campaign.cut_off_at - by)
    ChainImport.objects.filter(campaign=campaign).update(created_at=F("created_at") - by)
    for result in DBTaskResult.objects.filter(task_path=TASK, status="READY"):
        DBTaskResult.objects.filter(pk=result.pk).update(run_after=result.run_after - by)
    campaign.refresh_from_db()


def closing_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at"))


def organiser_campaign(shop, **extra):
    member = factories.make_member(shop, "manager")
    campaign = make_campaign(shop, actor=Actor.staff(member), **extra)
    return member, campaign


@pytest.fixture
def shop(transactional_db):
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", price_cents=3990, stock=100)
    factories.make_sku(shop, "BLUE-125", name="蓝莓", spec="125g", price_cents=1990, stock=100)
    return shop


def test_the_campaign_closes_itself_at_its_cut_off_and_tells_its_organiser_the_totals(shop):
    member, campaign = organiser_campaign(shop, cut_off_in=dt.timedelta(hours=2))
    confirm(preview(campaign, chain(campaign, LI, WANG)))
    (task,) = closing_tasks()
    assert task.run_after == campaign.cut_off_at

    run_worker()  # before the cut-off: the task is not due yet
    campaign.refresh_from_db()
    assert campaign.status == "open"

    clock_passes(campaign, dt.timedelta(hours=2, seconds=1))
    run_worker()

    campaign.refresh_from_db()
    assert campaign.status == "closed" and campaign.closed_at is not None
    assert DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL"
    record = history_for(shop, "campaign", campaign.pk).order_by("-id").first()
    assert (record.action, record.actor_kind) == ("closed", "system")
    assert record.changes == {"status": {"before": "open", "after": "closed"}}
    alert = Alert.objects.get(shop=shop)
    assert alert.kind == "campaign_closed" and alert.recipient == member.user
    assert alert.data["order_count"] == 2
    assert alert.data["total_cents"] == 2 * 2990 + 1500
    assert [(p["sku"], p["quantity"]) for p in alert.data["products"]] == [
        ("STRAW-500", 2),
        ("BLUE-125", 1),
    ]
    assert alert_message(alert) == (
        "Group buy 周六草莓团 closed at its cut-off: 2 orders, ¥74.80. 草莓 500g ×2; 蓝莓 125g ×1"
    )


def test_running_the_task_twice_or_late_closes_once_and_alerts_once(shop):
    _member, campaign = organiser_campaign(shop, cut_off_in=-dt.timedelta(minutes=5))

    close_campaign_at_cut_off.enqueue(shop.pk, campaign.pk)  # a second, late copy
    run_worker()

    assert [t.status for t in closing_tasks()] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert [t.return_value for t in closing_tasks()] == [True, False]
    assert Alert.objects.filter(shop=shop).count() == 1
    closings = history_for(shop, "campaign", campaign.pk).filter(action="closed")
    assert closings.count() == 1


def test_a_cut_off_moved_later_is_waited_for_and_one_moved_earlier_is_kept(shop):
    member, campaign = organiser_campaign(shop, cut_off_in=dt.timedelta(hours=1))
    actor = Actor.staff(member)

    def move_cut_off(to):
        services.update_campaign(
            actor=actor,
            campaign=campaign,
            title=campaign.title,
            cut_off_at=to,
            items=[
                ItemInput("STRAW-500", 2990, per_person_limit=3, total_cap=10),
                ItemInput("BLUE-125", 1500),
            ],
            pickup_point_ids=[p.pk for p in campaign.pickup_points.all()],
            rules=campaign.rules,
        )
        campaign.refresh_from_db()

    move_cut_off(campaign.cut_off_at + dt.timedelta(days=1))  # later: the first task is moot
    clock_passes(campaign, dt.timedelta(hours=1, seconds=1))
    run_worker()
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert [t.return_value for t in closing_tasks() if t.status == "SUCCESSFUL"] == [False]

    move_cut_off(timezone.now() - dt.timedelta(seconds=1))  # now earlier: closes at once
    run_worker()
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert len(closing_tasks()) == 3


def test_without_an_organiser_in_the_shop_the_owners_are_told(shop):
    owners = [factories.make_member(shop, "owner") for _n in range(2)]
    factories.make_member(shop, "clerk")
    made_by_api = make_campaign(shop, cut_off_in=-dt.timedelta(seconds=1))
    gone, left_shop = organiser_campaign(
        shop, cut_off_in=-dt.timedelta(seconds=1), points=list(made_by_api.pickup_points.all())
    )
    gone.delete()

    run_worker()

    for campaign in (made_by_api, left_shop):
        told = Alert.objects.filter(subject=f"campaign:{campaign.pk}")
        assert sorted(told.values_list("recipient", flat=True)) == sorted(o.user_id for o in owners)


def test_a_worker_starting_after_the_cut_off_catches_up(shop):
    campaign = make_campaign(shop, cut_off_in=dt.timedelta(hours=1))
    later = make_campaign(
        shop, cut_off_in=dt.timedelta(days=2), points=list(campaign.pickup_points.all())
    )
    # The worker was down at the cut-off, and the scheduled tasks are lost.
    DBTaskResult.objects.filter(task_path=TASK).delete()
    Campaign.objects.filter(pk=campaign.pk).update(
        cut_off_at=timezone.now() - dt.timedelta(minutes=30)
    )

    call_command("worker", "--batch", "--interval", "0")

    campaign.refresh_from_db()
    later.refresh_from_db()
    assert (campaign.status, later.status) == ("closed", "open")
    assert history_for(shop, "campaign", campaign.pk).filter(action="closed").exists()


def test_the_catch_up_is_also_a_command(shop):
    campaign = make_campaign(shop, cut_off_in=-dt.timedelta(minutes=1))
    DBTaskResult.objects.filter(task_path=TASK).delete()

    call_command("chains", "close-overdue")

    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_entries_seen_in_time_can_still_be_confirmed_after_the_campaign_closed_itself(shop):
    campaign = make_campaign(shop, cut_off_in=dt.timedelta(hours=1))
    in_time = preview(campaign, chain(campaign, LI))
    clock_passes(campaign, dt.timedelta(hours=1, seconds=1))
    run_worker()
    campaign.refresh_from_db()
    assert campaign.status == "closed"

    late = preview(campaign, chain(campaign, LI, WANG))

    assert states(late) == [(1, "李四", "new"), (2, "王五", "after_cut_off")]
    assert confirm(late, selected=[0, 1])["created"] == 1
    assert confirm(in_time)["entries"][0]["outcome"] == "already_imported"


def test_closing_by_hand_needs_the_right_to_manage_campaigns_and_is_recorded_once(shop):
    campaign = make_campaign(shop)
    clerk = Actor.staff(factories.make_member(shop, "clerk"))
    manager = Actor.staff(factories.make_member(shop, "manager"))

    with pytest.raises(PermissionDenied):
        closing.close_campaign(actor=clerk, campaign=campaign)
    closing.close_campaign(actor=manager, campaign=campaign)
    closing.close_campaign(actor=manager, campaign=campaign)

    campaign.refresh_from_db()
    assert campaign.status == "closed"
    closings = history_for(shop, "campaign", campaign.pk).filter(action="closed")
    assert [r.actor_user for r in closings] == [manager.user]
    assert not Alert.objects.filter(shop=shop).exists()  # they did it themselves


def test_an_alert_for_one_person_is_shown_to_them_and_not_to_others(shop):
    member, _campaign = organiser_campaign(shop, cut_off_in=-dt.timedelta(seconds=1))
    other = factories.make_member(shop, "manager")
    run_worker()
    alert = Alert.objects.get(shop=shop)

    def dashboard_alerts(who):
        client = factories.Client()
        client.force_login(who.user)
        return client.get("/").content.decode()

    assert "周六草莓团" in dashboard_alerts(member)
    assert "周六草莓团" not in dashboard_alerts(other)
    session = factories.Client()
    session.force_login(other.user)
    assert session.post(f"/api/v1/alerts/{alert.pk}/read").status_code == 404
    token = factories.api_client(factories.token_for(shop, "owner"))
    assert [a["kind"] for a in token.get("/api/v1/alerts").json()] == ["campaign_closed"]
