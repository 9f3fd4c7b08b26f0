"""Catalog changes leave audit records, and the product page shows them."""

import pytest

from dingdan.catalog.services.products import create_sku, update_sku
from dingdan.exchange.services import catalog_import as importing
from dingdan.shops.actors import Actor
from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.audit_selectors import history_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_creating_changing_and_taking_a_sku_off_sale_is_recorded():
    shop = factories.make_shop()
    member = factories.make_member(shop, "manager")
    actor = Actor.staff(member)
    variant = create_sku(actor=actor, shop=shop, sku="S1", name="草莓", spec="500g",
                         price_cents=1000, aliases=["奶油草莓"])

    update_sku(actor=actor, shop=shop, variant=variant, price_cents=1200, aliases=["丹东草莓"])
    update_sku(actor=actor, shop=shop, variant=variant, is_active=False)

    product = history_for(shop, "product", variant.product_id).order_by("id")
    assert [r.action for r in product] == ["created", "changed"]
    assert product[0].changes["name"] == {"before": None, "after": "草莓"}
    assert product[1].changes == {"aliases": {"before": ["奶油草莓"], "after": ["丹东草莓"]}}
    sku = history_for(shop, "variant", variant.pk).order_by("id")
    assert [r.action for r in sku] == ["created", "changed", "deactivated"]
    assert sku[1].changes == {"price_cents": {"before": 1000, "after": 1200}}
    assert sku[2].changes == {"is_active": {"before": True, "after": False}}
    assert sku[1].object_label == "草莓 500g (S1)" and sku[1].actor_user == member.user


def test_the_product_page_shows_its_history_to_a_manager_but_not_a_clerk():
    shop = factories.make_shop()
    manager = factories.make_member(shop, "manager")
    variant = create_sku(actor=Actor.staff(manager), shop=shop, sku="S1", name="蓝莓",
                         price_cents=1000)
    update_sku(actor=Actor.staff(manager), shop=shop, variant=variant, price_cents=1500)
    client = factories.Client()
    client.force_login(manager.user)

    page = client.get(f"/products/{variant.pk}/").content.decode()
    assert "修改了SKU 蓝莓 (S1)" in page and "¥10.00" in page and "¥15.00" in page

    clerk = factories.Client()
    clerk.force_login(factories.make_member(shop, "clerk").user)
    assert "修改了SKU" not in clerk.get(f"/products/{variant.pk}/").content.decode()


def test_an_import_records_each_new_and_changed_sku():
    shop = factories.make_shop()
    actor = Actor.staff(factories.make_member(shop, "owner"))
    create_sku(actor=actor, shop=shop, sku="OLD", name="旧货", price_cents=100)
    data = "sku,name,price_cents\nOLD,旧货,150\nNEW,新货,200\n".encode()

    report = importing.import_catalog(actor=actor, shop=shop, file_name="c.csv", data=data,
                                      dry_run=False)

    assert report.applied
    changed = AuditRecord.objects.get(shop=shop, object_type="variant", action="changed",
                                      object_label__contains="OLD")
    assert changed.changes == {"price_cents": {"before": 100, "after": 150}}
    assert AuditRecord.objects.filter(shop=shop, object_type="product", action="created",
                                      object_label="新货").exists()
    assert AuditRecord.objects.filter(shop=shop, object_type="variant", action="created",
                                      object_label__contains="NEW").exists()
