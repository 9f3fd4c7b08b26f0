"""Background work of group-buy campaigns: each campaign closes itself at its cut-off.

Creating a campaign, moving its cut-off or reopening it schedules `close_campaign_at_cut_off`
for the cut-off (`run_after`). The task re-reads the campaign, so a task for a cut-off that
has since moved later, or for a campaign closed meanwhile, does nothing; running it twice
or late is harmless. A worker that was down at the cut-off catches up when it starts
(`closing.close_overdue_campaigns`, also `dingdan chains close-overdue`)."""

import logging

from django.db import transaction
from django_tasks import task

from dingdan.chains.models import Campaign
from dingdan.chains.services import closing

logger = logging.getLogger(__name__)


@task()
def close_campaign_at_cut_off(shop_id: int, campaign_id: int) -> bool:
    return closing.close_at_cut_off(shop_id=shop_id, campaign_id=campaign_id)


def schedule_closing(campaign: Campaign) -> None:
    """Once the caller's transaction commits, a task for the campaign's cut-off (a task
    queued for a change that rolled back would only find nothing to do, but on a separate
    queue it could run before the campaign is visible)."""
    shop_id, campaign_id, at = campaign.shop_id, campaign.pk, campaign.cut_off_at

    def enqueue() -> None:
        try:
            close_campaign_at_cut_off.using(run_after=at).enqueue(shop_id, campaign_id)
        except Exception:
            # The change is committed; the worker's catch-up closes the campaign instead.
            logger.exception("could not schedule closing campaign %s", campaign_id)

    transaction.on_commit(enqueue)
