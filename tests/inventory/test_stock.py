"""A merchant receives, adjusts, counts and sells stock; the numbers stay honest."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import Backorder, StockLevel, StockMovement
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services import reservations
from dingdan.inventory.services import stock as services
from dingdan.inventory.services.ledger import Reference
from dingdan.notify.models import Alert
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def owner(shop):
    return factories.staff_actor(shop, "owner")


def level(variant) -> tuple[int, int, int]:
    row = StockLevel.objects.get(variant=variant)
    return row.on_hand, row.reserved, row.available


def test_receiving_adds_stock_and_writes_the_ledger(shop, owner):
    strawberry = factories.make_sku(shop, "CM-500", name="草莓", spec="500g")
    services.receive_stock(actor=owner, shop=shop, variant=strawberry, quantity=20, note="到货")
    assert level(strawberry) == (20, 0, 20)
    movement = StockMovement.objects.get(variant=strawberry)
    assert (movement.kind, movement.on_hand_delta, movement.note) == ("receive", 20, "到货")
    assert movement.actor_kind == "staff"


def test_an_order_reserves_the_sum_of_its_lines_for_one_sku(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 3), (tea, 4)], reference=Reference("order", "1")
    )
    assert level(tea) == (10, 7, 3)


def test_a_shortage_refuses_the_whole_order_and_names_every_short_sku(shop, owner):
    a = factories.make_sku(shop, "A-1", name="蓝莓", stock=5)
    b = factories.make_sku(shop, "B-1", name="芒果", stock=1)
    c = factories.make_sku(shop, "C-1", name="荔枝", stock=0)
    with pytest.raises(InsufficientStock) as refused:
        reservations.reserve_stock(
            actor=owner, shop=shop, lines=[(a, 2), (b, 3), (c, 1)],
            reference=Reference("order", "9"),
        )
    shortages = refused.value.details["shortages"]
    assert [(s["sku"], s["requested"], s["available"]) for s in shortages] == [
        ("B-1", 3, 1), ("C-1", 1, 0)
    ]
    assert "芒果" in str(refused.value) and "荔枝" in str(refused.value)
    assert level(a) == (5, 0, 5)  # nothing of the order was kept
    assert not StockMovement.objects.filter(kind="reserve").exists()


def test_cancelling_releases_exactly_what_the_order_held(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    order = Reference("order", "5")
    reservations.reserve_stock(actor=owner, shop=shop, lines=[(tea, 4)], reference=order)
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 2)], reference=Reference("order", "6")
    )
    released = reservations.release_stock(actor=owner, shop=shop, reference=order)
    assert released == {tea.pk: 4}
    assert level(tea) == (10, 2, 8)
    assert reservations.release_stock(actor=owner, shop=shop, reference=order) == {}


def test_shipping_deducts_stock_and_its_reservation(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    order = Reference("order", "7")
    reservations.reserve_stock(actor=owner, shop=shop, lines=[(tea, 3)], reference=order)
    reservations.ship_stock(actor=owner, shop=shop, reference=order, lines=[(tea, 2)])
    assert level(tea) == (8, 1, 7)
    with pytest.raises(InsufficientStock):
        reservations.ship_stock(actor=owner, shop=shop, reference=order, lines=[(tea, 2)])
    assert level(tea) == (8, 1, 7)


def test_adjustments_need_a_reason_and_cannot_take_reserved_stock(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 8)], reference=Reference("order", "1")
    )
    with pytest.raises(InvalidInput):
        services.adjust_stock(actor=owner, shop=shop, variant=tea, delta=-1, reason=" ")
    with pytest.raises(InsufficientStock):
        services.adjust_stock(actor=owner, shop=shop, variant=tea, delta=-3, reason="破损")
    services.adjust_stock(actor=owner, shop=shop, variant=tea, delta=-2, reason="破损")
    assert level(tea) == (8, 8, 0)


def test_a_stock_count_books_the_difference(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    services.count_stock(actor=owner, shop=shop, variant=tea, counted=7, note="月末盘点")
    assert level(tea) == (7, 0, 7)
    count = StockMovement.objects.get(variant=tea, kind="count")
    assert count.on_hand_delta == -3


def test_a_count_below_what_orders_hold_is_explained(shop, owner):
    tea = factories.make_sku(shop, stock=10)
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 6)], reference=Reference("order", "1")
    )
    with pytest.raises(InvalidInput) as refused:
        services.count_stock(actor=owner, shop=shop, variant=tea, counted=5)
    assert refused.value.code == "below_reserved"
    assert level(tea) == (10, 6, 4)


@pytest.mark.parametrize("quantity", [0, -5, 2.5, "3", True, 10**9])
def test_bad_quantities_are_refused_and_change_nothing(shop, owner, quantity):
    tea = factories.make_sku(shop, stock=4)
    with pytest.raises(InvalidInput):
        services.receive_stock(actor=owner, shop=shop, variant=tea, quantity=quantity)
    assert level(tea) == (4, 0, 4)


def test_services_have_no_stock(shop, owner):
    massage = factories.make_sku(shop, kind="service", name="推拿")
    with pytest.raises(InvalidInput) as refused:
        services.receive_stock(actor=owner, shop=shop, variant=massage, quantity=1)
    assert refused.value.code == "service_has_no_stock"
    assert not StockLevel.objects.filter(variant=massage).exists()


def test_warehouse_may_receive_but_a_viewer_may_not(shop):
    tea = factories.make_sku(shop)
    services.receive_stock(
        actor=factories.staff_actor(shop, "warehouse"), shop=shop, variant=tea, quantity=2
    )
    with pytest.raises(PermissionDenied):
        services.receive_stock(
            actor=factories.staff_actor(shop, "viewer"), shop=shop, variant=tea, quantity=2
        )
    assert level(tea) == (2, 0, 2)


def test_falling_below_the_threshold_alerts_the_merchant_once(shop, owner):
    tea = factories.make_sku(shop, "TEA-1", name="乌龙茶", stock=10)
    services.set_low_stock_threshold(actor=owner, shop=shop, variant=tea, threshold=3)
    for n in range(4):
        reservations.reserve_stock(
            actor=owner, shop=shop, lines=[(tea, 2)], reference=Reference("order", str(n))
        )
    alerts = Alert.objects.filter(shop=shop, kind="low_stock")
    assert alerts.count() == 1
    assert alerts.get().data == {"sku": "TEA-1", "name": "乌龙茶", "available": 2}


def test_backorders_are_served_first_by_priority_then_age_when_stock_arrives(shop, owner):
    shop.settings = {"allow_backorders": True}
    shop.save()
    tea = factories.make_sku(shop, "TEA-9", stock=2)
    first = reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 5)], reference=Reference("order", "old")
    )
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 2)], reference=Reference("order", "newer")
    )
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 1)], reference=Reference("order", "vip"), priority=2
    )
    assert first.reserved == {tea.pk: 2} and first.backordered == {tea.pk: 3}
    assert level(tea) == (2, 2, 0)

    services.receive_stock(actor=owner, shop=shop, variant=tea, quantity=4)

    held = {ref: reservations.held_for(Reference("order", ref)).get(tea.pk, 0)
            for ref in ("old", "newer", "vip")}
    assert held == {"old": 5, "newer": 0, "vip": 1}
    assert level(tea) == (6, 6, 0)
    waiting = Backorder.objects.get(reference_id="newer")
    assert waiting.quantity == 2 and waiting.filled_at is None
    assert Alert.objects.filter(kind="backorder_filled").count() == 2


def test_cancelling_a_backordered_order_stops_its_wait(shop, owner):
    tea = factories.make_sku(shop, stock=0)
    order = Reference("order", "b1")
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 2)], reference=order, allow_backorder=True
    )
    reservations.release_stock(actor=owner, shop=shop, reference=order)
    services.receive_stock(actor=owner, shop=shop, variant=tea, quantity=5)
    assert level(tea) == (5, 0, 5)


def test_verify_proves_the_ledger_and_catches_a_tampered_level(shop, owner, capsys):
    tea = factories.make_sku(shop, "TEA-V", stock=10)
    reservations.reserve_stock(
        actor=owner, shop=shop, lines=[(tea, 3)], reference=Reference("order", "1")
    )
    call_command("inventory", "verify")
    assert "OK" in capsys.readouterr().out

    StockLevel.objects.filter(variant=tea).update(on_hand=11)

    assert [p["sku"] for p in ledger_mismatches(shop)] == ["TEA-V"]
    with pytest.raises(CommandError):
        call_command("inventory", "verify", "--shop", shop.slug)
    assert "TEA-V" in capsys.readouterr().out


def test_a_level_can_never_be_oversold_even_by_a_direct_update(shop):
    from django.db import IntegrityError, transaction

    tea = factories.make_sku(shop, stock=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(variant=tea).update(reserved=3)


def test_system_actor_of_another_shop_cannot_move_stock(shop):
    other = factories.make_shop()
    tea = factories.make_sku(shop, stock=1)
    with pytest.raises(Exception) as refused:
        services.receive_stock(actor=Actor.system(other), shop=shop, variant=tea, quantity=1)
    assert refused.value.status == 404
    assert level(tea) == (1, 0, 1)
