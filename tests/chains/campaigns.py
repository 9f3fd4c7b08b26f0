"""Small helpers for the group-buy campaign tests: a campaign with two pickup points, and
the service calls a merchant makes, as the shop's owner."""

import datetime as dt

from django.utils import timezone

from dingdan.chains.services import campaigns as services
from dingdan.chains.services import confirming, previews
from dingdan.chains.services.campaigns import ItemInput
from dingdan.shops.actors import Actor


def owner(shop) -> Actor:
    return Actor.system(shop)


def make_points(shop):
    actor = owner(shop)
    east = services.create_pickup_point(actor=actor, shop=shop, name="阳光小区东门",
                                        address="幸福路8号", aliases=["小区东门"])
    south = services.create_pickup_point(actor=actor, shop=shop, name="幸福里南门")
    return east, south


def make_campaign(shop, *, cut_off_in=dt.timedelta(days=1), items=None, fulfilment="pickup",
                  points=None, actor=None, **extra):
    if points is None:
        points = make_points(shop) if fulfilment == "pickup" else ()
    return services.create_campaign(
        actor=actor or owner(shop), shop=shop, title="周六草莓团",
        cut_off_at=timezone.now() + cut_off_in,
        items=items or [ItemInput("STRAW-500", 2990, per_person_limit=3, total_cap=10),
                        ItemInput("BLUE-125", 1500)],
        fulfilment=fulfilment, pickup_point_ids=[p.pk for p in points],
        rules="坏果包赔\n周日下午两点后提货", **extra,
    )


def preview(campaign, text, actor=None):
    return previews.preview_chain(actor=actor or owner(campaign.shop), campaign=campaign,
                                  text=text)


def confirm(draft, actor=None, selected=None):
    return confirming.confirm_import(actor=actor or owner(draft.shop), chain_import=draft,
                                     selected=selected)


def states(draft) -> list[tuple[int, str, str]]:
    return [(e["seq"], e["customer"], e["state"]) for e in draft.entries]
