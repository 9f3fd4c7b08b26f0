"""A group-buy order's pickup shipment waits at the point its chain entry named, unless staff
choose another of the shop's points."""

import pytest

from dingdan.chains.models import ChainEntry
from dingdan.chains.selectors.campaigns import campaign_points
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from tests import factories
from tests.chains.campaigns import confirm, preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(campaign):
    confirm(preview(campaign, chain_text(campaign) + "1. 李四 草莓x2 13912345678 东门\n"))
    return ChainEntry.objects.get(campaign=campaign)


def accepted(entry):
    return lifecycle.accept_order(actor=Actor.system(entry.order.shop), order=entry.order)


def test_the_pickup_shipment_waits_at_the_entrys_point(shop, entry):
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=accepted(entry), method="pickup")
    assert shipment.pickup_point == entry.pickup_point
    assert entry.pickup_point.name.endswith("东门")


def test_staff_may_choose_another_point_of_the_campaign(shop, campaign, entry):
    other = next(p for p in campaign_points(campaign) if p != entry.pickup_point)
    shipment = shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"),
                                        order=accepted(entry), method="pickup",
                                        pickup_point_id=other.pk)
    assert shipment.pickup_point == other
