"""Closing a campaign: by hand (`close_campaign`, the same as choosing "closed" in the
campaign form) or by itself at its cut-off (`close_at_cut_off`, run by the task scheduled
for that moment, see `chains/tasks.py`, and by `close_overdue_campaigns`, the catch-up for
cut-offs that passed while no worker ran).

A closed campaign takes no entry first seen after it closed; entries seen in a paste made
in time can still be confirmed, and batch confirmation works as before."""

from django.db import transaction
from django.utils import timezone

from dingdan import hooks
from dingdan.chains.models import Campaign, CampaignStatus
from dingdan.chains.selectors.campaigns import campaign_organisers
from dingdan.chains.selectors.summaries import campaign_summary
from dingdan.chains.services import audit_records
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

# The staff alert the organiser gets (notify answers the `chains.alert` hook).
CLOSED_ALERT = "campaign_closed"


@transaction.atomic
def close_campaign(*, actor: Actor, campaign: Campaign) -> Campaign:
    """Stop taking new entries now. A campaign that is not open stays as it is, so closing
    twice records one closing."""
    shop = campaign.shop
    require(actor, "catalog.manage", shop)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk, shop=shop)
    campaign.shop = shop
    if campaign.status == CampaignStatus.OPEN:
        _close(actor, campaign)
    return campaign


@transaction.atomic
def close_at_cut_off(*, shop_id: int, campaign_id: int) -> bool:
    """Close the campaign if it is still open and its cut-off has come, as the system, and
    alert its organiser with the totals. Closed already, a cut-off moved later or a
    campaign gone: nothing happens. Answers whether it closed."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("shop")
        .filter(pk=campaign_id, shop=shop_id)
        .first()
    )
    if campaign is None or campaign.status != CampaignStatus.OPEN:
        return False
    if campaign.cut_off_at > timezone.now():
        return False  # moved later: the task scheduled for the new cut-off closes it
    _close(Actor.system(campaign.shop), campaign)
    _alert_organisers(campaign)
    return True


def close_overdue_campaigns() -> int:
    """Close every open campaign whose cut-off has passed (the worker was not running at
    the time); how many were closed."""
    due = list(
        Campaign.objects.filter(status=CampaignStatus.OPEN, cut_off_at__lte=timezone.now())
        .order_by("cut_off_at", "id")
        .values_list("shop_id", "pk")
    )
    return sum(close_at_cut_off(shop_id=shop_id, campaign_id=pk) for shop_id, pk in due)


def _close(actor: Actor, campaign: Campaign) -> None:
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit_records.campaign_record(
        actor,
        campaign,
        audit.CLOSED,
        {"status": audit.change(CampaignStatus.OPEN, CampaignStatus.CLOSED)},
    )


def _alert_organisers(campaign: Campaign) -> None:
    """What the campaign came to, for the people who run it (no customer's details)."""
    summary = campaign_summary(campaign, pii=False)
    hooks.announce(
        "chains.alert",
        shop_id=campaign.shop_id,
        kind=CLOSED_ALERT,
        subject=f"campaign:{campaign.pk}",
        data={
            "campaign_id": campaign.pk,
            "title": campaign.title,
            "order_count": summary.order_count,
            "total_cents": summary.total_cents,
            "products": [
                {
                    "sku": p.sku,
                    "name": p.name,
                    "quantity": p.quantity,
                    "amount_cents": p.amount_cents,
                }
                for p in summary.products
            ],
        },
        recipient_ids=campaign_organisers(campaign),
    )
