"""Pickup points belong to fulfilment: a point the merchant sets up for a group buy, over
the campaigns API as before, is the fulfilment app's point, and a campaign still offers
it."""

import pytest

from dingdan.chains.models import CampaignPickupPoint
from dingdan.fulfillment.models import PickupPoint
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_point_made_over_the_campaigns_api_is_a_fulfilment_point():
    shop = factories.make_shop()
    owner = factories.api_client(factories.token_for(shop, "owner"), language="en")
    response = owner.post("/api/v1/pickup-points",
                          {"name": "阳光小区东门", "address": "幸福路 8 号", "aliases": ["东门"]},
                          content_type="application/json")
    assert response.status_code == 201
    point = PickupPoint.objects.get(pk=response.json()["id"])
    assert (point.shop, point.name, point.address, point.aliases) == (
        shop, "阳光小区东门", "幸福路 8 号", ["东门"])
    # Where a customer finds it is not known yet; nothing asked for it.
    assert (point.opening_hours, point.phone) == ("", "")


def test_a_campaign_offers_a_fulfilment_point():
    field = CampaignPickupPoint._meta.get_field("pickup_point")
    assert field.related_model is PickupPoint
    assert PickupPoint._meta.db_table == "chains_pickuppoint"
