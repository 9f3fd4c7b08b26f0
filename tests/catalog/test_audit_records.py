"""Catalog changes leave audit records, and the product page shows them."""

import pytest

from dingdan.catalog.models import Variant
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


def test_taking_a_sku_off_sale_and_back_and_its_aliases_over_the_api_are_recorded():
    shop = factories.make_shop()
    create_sku(actor=Actor.system(shop), shop=shop, sku="S1", name="芒果", spec="5斤",
               price_cents=4500, aliases=["台芒"])
    api = factories.api_client(factories.token_for(shop, "manager", name="上架脚本"))

    for body in ({"is_active": False}, {"is_active": True},
                 {"aliases": ["小台芒", "台芒"]}, {"aliases": ["小台芒"]},
                 {"aliases": ["小台芒"]}):  # the last one changes nothing
        response = api.patch("/api/v1/products/S1", body, content_type="application/json")
        assert response.status_code == 200, response.content

    variant = Variant.objects.get(shop=shop, sku="S1")
    sku = list(history_for(shop, "variant", variant.pk).filter(actor_kind="api").order_by("id"))
    assert [r.action for r in sku] == ["deactivated", "activated"]
    assert sku[0].changes == {"is_active": {"before": True, "after": False}}
    assert sku[1].changes == {"is_active": {"before": False, "after": True}}
    product = list(history_for(shop, "product", variant.product_id).filter(actor_kind="api")
                   .order_by("id"))
    assert [r.action for r in product] == ["changed", "changed"]
    assert product[0].changes == {"aliases": {"before": ["台芒"], "after": ["台芒", "小台芒"]}}
    assert product[1].changes == {"aliases": {"before": ["台芒", "小台芒"], "after": ["小台芒"]}}
    assert {r.actor_token.name for r in sku + product} == {"上架脚本"}
    assert sku[0].object_label == "芒果 5斤 (S1)" and product[0].object_label == "芒果"


def test_adding_a_sku_to_a_known_product_records_what_it_changed_on_the_product():
    shop = factories.make_shop()
    actor = Actor.staff(factories.make_member(shop, "manager"))
    first = create_sku(actor=actor, shop=shop, sku="S1", name="草莓", spec="500g",
                       price_cents=1000, category="水果")

    second = create_sku(actor=actor, shop=shop, sku="S2", name="草莓", spec="1kg",
                        price_cents=1800, category="鲜果", aliases=["奶油草莓"])

    assert second.product_id == first.product_id
    product = list(history_for(shop, "product", first.product_id).order_by("id"))
    assert [r.action for r in product] == ["created", "changed", "changed"]
    assert product[1].changes == {"category": {"before": "水果", "after": "鲜果"}}
    assert product[2].changes == {"aliases": {"before": [], "after": ["奶油草莓"]}}
    created = history_for(shop, "variant", second.pk).get()
    assert created.action == "created"
    assert created.changes["sku"] == {"before": None, "after": "S2"}
    assert created.changes["price_cents"] == {"before": None, "after": 1800}
