"""The audit records of group-buy campaigns and pickup points: what is followed of each,
and one small function per kind of change, called by a service inside its transaction."""

import zoneinfo

from django.utils import timezone

from dingdan.chains.models import Campaign, CampaignItem, CampaignPickupPoint
from dingdan.fulfillment.models import PickupPoint
from dingdan.shops import audit
from dingdan.shops.actors import Actor

POINT_FIELDS = ("name", "address", "aliases", "is_active")


def _item(item: CampaignItem) -> str:
    text = f"{item.variant.sku} ¥{item.price_cents // 100}.{item.price_cents % 100:02d}"
    if item.per_person_limit:
        text += f" ≤{item.per_person_limit}"
    if item.total_cap:
        text += f" /{item.total_cap}"
    return text


def campaign_snapshot(campaign: Campaign) -> dict:
    """The campaign as the log follows it: times in the shop's zone, items and points as
    short texts in their order."""
    zone = zoneinfo.ZoneInfo(campaign.shop.timezone)
    items = CampaignItem.objects.filter(campaign=campaign).select_related("variant")
    points = CampaignPickupPoint.objects.filter(campaign=campaign).select_related(
        "pickup_point")
    return {
        "title": campaign.title,
        "cut_off_at": timezone.localtime(campaign.cut_off_at, zone).strftime("%Y-%m-%d %H:%M"),
        "delivery_date": campaign.delivery_date.isoformat() if campaign.delivery_date else None,
        "fulfilment": campaign.fulfilment,
        "rules": campaign.rules,
        "status": campaign.status,
        "items": [_item(item) for item in items.order_by("position", "id")],
        "pickup_points": [link.pickup_point.name for link in points.order_by("position", "id")],
    }


def campaign_record(
    actor: Actor, campaign: Campaign, action: str, changes: audit.Changes
) -> None:
    if changes or action != audit.CHANGED:
        audit.record(actor=actor, shop=campaign.shop, object_type=audit.CAMPAIGN,
                     obj_id=campaign.pk, label=campaign.title, action=action, changes=changes)


def point_record(actor: Actor, point: PickupPoint, action: str, changes: audit.Changes) -> None:
    if changes or action != audit.CHANGED:
        audit.record(actor=actor, shop=actor.shop, object_type=audit.PICKUP_POINT,
                     obj_id=point.pk, label=point.name, action=action, changes=changes)
