"""A merchant's stock movements leave audit records; an order's reservation does not."""

import pytest

from dingdan.inventory.services import stock as services
from dingdan.shops.actors import Actor
from dingdan.shops.audit_selectors import history_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_receiving_adjusting_counting_and_the_threshold_are_recorded_with_before_and_after():
    shop = factories.make_shop()
    member = factories.make_member(shop, "warehouse")
    actor = Actor.staff(member)
    variant = factories.make_sku(shop, "EGG", name="鸡蛋", stock=0)
    before = history_for(shop, "stock", variant.pk).count()

    services.receive_stock(actor=actor, shop=shop, variant=variant, quantity=10, note="到货")
    services.adjust_stock(actor=actor, shop=shop, variant=variant, delta=-2, reason="破损")
    services.count_stock(actor=actor, shop=shop, variant=variant, counted=5)
    services.set_low_stock_threshold(actor=actor, shop=shop, variant=variant, threshold=3)

    records = list(history_for(shop, "stock", variant.pk).order_by("id"))[before:]
    assert [r.action for r in records] == ["received", "adjusted", "counted", "changed"]
    assert records[0].changes == {"on_hand": {"before": 0, "after": 10},
                                  "note": {"before": None, "after": "到货"}}
    assert records[1].changes == {"on_hand": {"before": 10, "after": 8},
                                  "reason": {"before": None, "after": "破损"}}
    assert records[2].changes == {"on_hand": {"before": 8, "after": 5}}
    assert records[3].changes == {"low_stock_threshold": {"before": None, "after": 3}}
    assert all(r.actor_user == member.user and "鸡蛋" in r.object_label for r in records)


def test_an_order_reserving_stock_writes_no_stock_record():
    shop = factories.make_shop()
    variant = factories.make_sku(shop, "EGG", stock=5)
    before = history_for(shop, "stock", variant.pk).count()
    factories.place(shop, [("EGG", 2)])
    assert history_for(shop, "stock", variant.pk).count() == before
