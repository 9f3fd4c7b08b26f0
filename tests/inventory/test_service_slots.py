"""A service (推拿, 美甲 …) has no stock; each time slot takes a limited number of bookings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dingdan.errors import Conflict, InvalidInput
from dingdan.inventory.models import ServiceSlot
from dingdan.inventory.services import slots
from tests import factories

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shop():
    return factories.make_shop()


def test_a_slot_takes_bookings_up_to_its_capacity(shop):
    actor = factories.staff_actor(shop, "clerk")
    massage = factories.make_sku(shop, kind="service", name="推拿", slot_capacity=3)
    ten = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)

    slots.book_slot(actor=actor, shop=shop, variant=massage, starts_at=ten, quantity=2)
    slots.book_slot(actor=actor, shop=shop, variant=massage, starts_at=ten)
    with pytest.raises(Conflict) as full:
        slots.book_slot(actor=actor, shop=shop, variant=massage, starts_at=ten)

    assert full.value.code == "slot_full"
    assert ServiceSlot.objects.get(variant=massage).booked == 3
    eleven = datetime(2026, 12, 1, 11, 0, tzinfo=SHANGHAI)
    slots.book_slot(actor=actor, shop=shop, variant=massage, starts_at=eleven)
    slots.release_slot(actor=actor, shop=shop, variant=massage, starts_at=ten)
    slots.book_slot(actor=actor, shop=shop, variant=massage, starts_at=ten)
    assert ServiceSlot.objects.get(variant=massage, starts_at=ten).booked == 3


def test_bookings_start_on_the_slot_grid_in_the_shops_time_zone(shop):
    actor = factories.staff_actor(shop, "clerk")
    nails = factories.make_sku(shop, kind="service", name="美甲", slot_capacity=1)
    with pytest.raises(InvalidInput) as refused:
        slots.book_slot(
            actor=actor, shop=shop, variant=nails,
            starts_at=datetime(2026, 12, 1, 10, 30, tzinfo=SHANGHAI),
        )
    assert refused.value.code == "slot_misaligned"
    assert not ServiceSlot.objects.exists()


def test_goods_cannot_be_booked(shop):
    actor = factories.staff_actor(shop, "clerk")
    tea = factories.make_sku(shop, stock=3)
    with pytest.raises(InvalidInput):
        slots.book_slot(
            actor=actor, shop=shop, variant=tea,
            starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI),
        )
