"""A merchant's stock movements leave audit records; an order's reservation does not."""

import pytest

from dingdan.catalog.models import Variant
from dingdan.exchange.services import catalog_import as importing
from dingdan.inventory.services import stock as services
from dingdan.inventory.services.ledger import Reference
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


def test_a_write_off_is_recorded_with_its_reason():
    shop = factories.make_shop()
    member = factories.make_member(shop, "warehouse")
    variant = factories.make_sku(shop, "EGG", name="鸡蛋", stock=10)

    services.write_off_stock(actor=Actor.staff(member), shop=shop, variant=variant, quantity=3,
                             reason="  过期 ")

    record = history_for(shop, "stock", variant.pk).get(action="written_off")
    assert record.changes == {"on_hand": {"before": 10, "after": 7},
                              "reason": {"before": None, "after": "过期"}}
    assert record.actor_user == member.user and "鸡蛋" in record.object_label


def test_bulk_receive_count_and_thresholds_record_one_entry_per_sku():
    shop = factories.make_shop()
    member = factories.make_member(shop, "warehouse")
    actor = Actor.staff(member)
    egg = factories.make_sku(shop, "EGG", name="鸡蛋", stock=0)
    milk = factories.make_sku(shop, "MILK", name="牛奶", stock=4)
    before = {v.pk: history_for(shop, "stock", v.pk).count() for v in (egg, milk)}

    services.receive_stock_in_bulk(actor=actor, shop=shop, quantities=[(egg, 5), (milk, 2)],
                                   note="周一到货")
    services.count_stock_in_bulk(actor=actor, shop=shop, counts=[(egg, 4), (milk, 6)])
    services.set_low_stock_thresholds(actor=actor, shop=shop,
                                      thresholds=[(egg, 2), (milk, None)])

    egg_records = list(history_for(shop, "stock", egg.pk).order_by("id"))[before[egg.pk]:]
    milk_records = list(history_for(shop, "stock", milk.pk).order_by("id"))[before[milk.pk]:]
    assert [r.action for r in egg_records] == ["received", "counted", "changed"]
    assert egg_records[0].changes == {"on_hand": {"before": 0, "after": 5},
                                      "note": {"before": None, "after": "周一到货"}}
    assert egg_records[1].changes == {"on_hand": {"before": 5, "after": 4}}
    assert egg_records[2].changes == {"low_stock_threshold": {"before": None, "after": 2}}
    # The milk's threshold was already off: nothing changed, nothing recorded.
    assert [r.action for r in milk_records] == ["received", "counted"]
    assert milk_records[0].changes["on_hand"] == {"before": 4, "after": 6}
    assert milk_records[1].changes == {"on_hand": {"before": 6, "after": 6}}
    assert all(r.actor_user == member.user for r in egg_records + milk_records)


def test_a_catalog_import_with_stock_columns_records_the_stock_it_moves():
    shop = factories.make_shop()
    member = factories.make_member(shop, "owner")
    old = factories.make_sku(shop, "OLD", name="旧货", stock=3)
    data = ("sku,name,price_cents,stock,low_stock_threshold\n"
            "OLD,旧货,1000,8,2\nNEW,新货,200,5,\n").encode()

    report = importing.import_catalog(actor=Actor.staff(member), shop=shop, file_name="c.csv",
                                      data=data, dry_run=False)

    assert report.applied, report.problems
    counted = history_for(shop, "stock", old.pk).get(action="counted")
    assert counted.changes["on_hand"] == {"before": 3, "after": 8}
    assert counted.changes["note"] == {"before": None, "after": "从 c.csv 导入"}
    threshold = history_for(shop, "stock", old.pk).get(action="changed")
    assert threshold.changes == {"low_stock_threshold": {"before": None, "after": 2}}
    new = Variant.objects.get(shop=shop, sku="NEW")
    received = history_for(shop, "stock", new.pk).get(action="received")
    assert received.changes["on_hand"] == {"before": 0, "after": 5}
    assert {counted.actor_user, threshold.actor_user, received.actor_user} == {member.user}


def test_returning_goods_to_stock_is_left_to_its_after_sales_case():
    shop = factories.make_shop()
    variant = factories.make_sku(shop, "EGG", stock=1)
    before = history_for(shop, "stock", variant.pk).count()
    services.return_to_stock(actor=Actor.system(shop), shop=shop, variant=variant, quantity=1,
                             reference=Reference("aftersales", "1"))
    assert history_for(shop, "stock", variant.pk).count() == before
