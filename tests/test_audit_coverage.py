"""Every write service of the apps that keep the audit log says what it records.

The services are found in the source: each public function of the modules below that runs
a transaction (decorated with `transaction.atomic` or opening one). Each must be named in
`AUDITED` with the (object type, action) pairs it writes, or with "no audit: <reason>". A
new write service without either fails here.

The table is not taken on trust: for each service a scenario calls it, and the records
that call leaves must be exactly the pairs the table names (a service listed as "no audit"
must leave none)."""

import ast
import datetime as dt
import inspect
from pathlib import Path

import pytest
from django.utils import timezone

from dingdan.catalog.services import products
from dingdan.chains.models import Campaign
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns, closing, confirming, joining, previews
from dingdan.customers.services import customers
from dingdan.exchange.services import catalog_import
from dingdan.inventory.services import stock
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.services import shops
from tests import factories
from tests.chains.campaigns import make_campaign

ROOT = Path(__file__).resolve().parent.parent / "dingdan"

# Where write services that must keep the log live. Of inventory only the merchant's stock
# movements: reservations, backorders, the ledger and slots are orders' business.
AUDITED_MODULES = [
    *sorted((ROOT / "catalog" / "services").rglob("*.py")),
    ROOT / "inventory" / "services" / "stock.py",
    *sorted((ROOT / "customers" / "services").rglob("*.py")),
    *sorted((ROOT / "shops" / "services").rglob("*.py")),
    *sorted((ROOT / "chains" / "services").rglob("*.py")),
    *sorted((ROOT / "exchange" / "services").rglob("*.py")),
]
ORDERS_BUSINESS = [ROOT / "inventory" / "services" / name
                   for name in ("reservations.py", "backorders.py", "ledger.py", "slots.py")]

STOCK, PRODUCT, VARIANT, CUSTOMER = "stock", "product", "variant", "customer"
MEMBERSHIP, TOKEN, SHOP, SETTINGS = "membership", "api_token", "shop", "shop_settings"
CAMPAIGN, POINT = "campaign", "pickup_point"

AUDITED: dict[str, set[tuple[str, str]] | str] = {
    # catalog
    "catalog.products.create_sku": {(PRODUCT, "created"), (VARIANT, "created"),
                                    (PRODUCT, "changed")},
    "catalog.products.update_sku": {(PRODUCT, "changed"), (VARIANT, "changed"),
                                    (VARIANT, "deactivated"), (VARIANT, "activated")},
    # inventory
    "inventory.stock.receive_stock": {(STOCK, "received")},
    "inventory.stock.receive_stock_in_bulk": {(STOCK, "received")},
    "inventory.stock.adjust_stock": {(STOCK, "adjusted")},
    "inventory.stock.count_stock": {(STOCK, "counted")},
    "inventory.stock.count_stock_in_bulk": {(STOCK, "counted")},
    "inventory.stock.write_off_stock": {(STOCK, "written_off")},
    "inventory.stock.return_to_stock": (
        "no audit: returned goods are recorded by their after-sales case and the ledger"),
    "inventory.stock.set_low_stock_threshold": {(STOCK, "changed")},
    "inventory.stock.set_low_stock_thresholds": {(STOCK, "changed")},
    # customers
    "customers.customers.create_customer": {(CUSTOMER, "created")},
    "customers.customers.update_customer": {(CUSTOMER, "changed")},
    "customers.customers.add_address": {(CUSTOMER, "address_added"),
                                        (CUSTOMER, "default_address_changed")},
    "customers.customers.set_default_address": {(CUSTOMER, "default_address_changed")},
    "customers.customers.remove_address": {(CUSTOMER, "address_removed")},
    "customers.customers.tag_customer": {(CUSTOMER, "tagged")},
    "customers.customers.untag_customer": {(CUSTOMER, "untagged")},
    "customers.customers.add_identity": {(CUSTOMER, "identity_added")},
    "customers.customers.find_or_create_customer": {(CUSTOMER, "created"),
                                                    (CUSTOMER, "address_added")},
    "customers.customers.merge_customers": {(CUSTOMER, "merged"), (CUSTOMER, "merged_into")},
    # shops
    "shops.shops.create_shop": {(MEMBERSHIP, "added")},
    "shops.shops.update_shop": {(SHOP, "changed"), (SETTINGS, "changed")},
    "shops.shops.update_shop_settings": {(SETTINGS, "changed")},
    "shops.shops.add_member": {(MEMBERSHIP, "added")},
    "shops.shops.change_member_role": {(MEMBERSHIP, "role_changed")},
    "shops.shops.remove_member": {(MEMBERSHIP, "removed")},
    "shops.shops.create_token": {(TOKEN, "created")},
    "shops.shops.revoke_token": {(TOKEN, "revoked")},
    # chains
    "chains.campaigns.create_pickup_point": {(POINT, "created")},
    "chains.campaigns.update_pickup_point": {(POINT, "changed")},
    "chains.campaigns.create_campaign": {(CAMPAIGN, "created")},
    "chains.campaigns.update_campaign": {(CAMPAIGN, "changed")},
    # Orders for people the shop does not know yet make their customers too.
    "chains.confirming.confirm_import": {(CAMPAIGN, "orders_imported"), (CUSTOMER, "created")},
    "chains.confirming.batch_confirm": {(CAMPAIGN, "closed"), (CAMPAIGN, "confirmed")},
    "chains.closing.close_campaign": {(CAMPAIGN, "closed")},
    "chains.closing.close_at_cut_off": {(CAMPAIGN, "closed")},
    "chains.previews.preview_chain": (
        "no audit: a draft to check; nothing changes until it is confirmed"),
    "chains.previews.fix_entry": (
        "no audit: a correction inside a draft; the confirmation is recorded"),
    # The order's timeline records the customer joining; a new customer is recorded.
    "chains.joining.join_campaign": {(CUSTOMER, "created")},
    "chains.joining.rotate_join_link": {(CAMPAIGN, "link_rotated")},
    # exchange: through the catalog and stock writes, in bulk
    "exchange.catalog_import.import_catalog": {
        (PRODUCT, "created"), (PRODUCT, "changed"), (VARIANT, "created"),
        (VARIANT, "changed"), (STOCK, "received"), (STOCK, "counted"), (STOCK, "changed")},
}


# -- finding the write services ---------------------------------------------------------


def _opens_a_transaction(node: ast.AST) -> bool:
    return isinstance(node, ast.Call | ast.Attribute) and "transaction.atomic" in ast.unparse(
        node.func if isinstance(node, ast.Call) else node)


def _writes(function: ast.FunctionDef) -> bool:
    if any(_opens_a_transaction(d) for d in function.decorator_list):
        return True
    return any(
        isinstance(node, ast.With) and any(_opens_a_transaction(i.context_expr)
                                           for i in node.items)
        for node in ast.walk(function)
    )


def _key(path: Path, name: str) -> str:
    app = path.relative_to(ROOT).parts[0]
    return f"{app}.{path.stem}.{name}"


def write_services(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            _key(path, node.name) for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
            and _writes(node)
        ]
    return found


def test_every_write_service_says_what_it_records_or_why_not():
    found = set(write_services(AUDITED_MODULES))
    assert len(found) > 30  # the search itself still works
    missing = sorted(found - set(AUDITED))
    assert not missing, f"write services missing from AUDITED: {missing}"
    stale = sorted(set(AUDITED) - found)
    assert not stale, f"AUDITED names services that are gone or no longer write: {stale}"
    for name, expected in AUDITED.items():
        if isinstance(expected, str):
            reason = expected.removeprefix("no audit:").strip()
            assert expected.startswith("no audit: ") and reason, name
        else:
            assert expected, name


def test_orders_stock_business_writes_no_audit_records():
    for path in ORDERS_BUSINESS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module == "dingdan.shops"
                    for alias in node.names}
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "audit" not in imported and "dingdan.shops.audit" not in modules, path.name


# -- the table against real calls ---------------------------------------------------------


def _goods_shop():
    shop = factories.make_shop()
    for sku, name, spec in (("STRAW-500", "草莓", "500g"), ("BLUE-125", "蓝莓", "125g")):
        factories.make_sku(shop, sku, name=name, spec=spec, price_cents=2000, stock=50)
    return shop


def _sku(shop, sku="EGG", stock_=0):
    return factories.make_sku(shop, sku, name=f"货{sku}", stock=stock_)


def _chain(campaign, *entries):
    return chain_text(campaign) + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


LI, WANG = "李四 草莓x2 13912345678 东门", "王五 蓝莓1 13700001111 幸福里"


def s_create_sku(shop, actor):
    return lambda: [products.create_sku(actor=actor, shop=shop, sku=sku, name="新货", spec=spec,
                                        price_cents=100, category=category)
                    for sku, spec, category in (("NEW", "", "水果"), ("NEW2", "大", "鲜果"))]


def s_update_sku(shop, actor):
    v = _sku(shop)
    return lambda: [products.update_sku(actor=actor, shop=shop, variant=v, **change)
                    for change in ({"price_cents": 5, "aliases": ["别名"]}, {"is_active": False},
                                   {"is_active": True})]


def s_receive_stock(shop, actor):
    v = _sku(shop)
    return lambda: stock.receive_stock(actor=actor, shop=shop, variant=v, quantity=3)


def s_receive_stock_in_bulk(shop, actor):
    a, b = _sku(shop, "A"), _sku(shop, "B")
    return lambda: stock.receive_stock_in_bulk(actor=actor, shop=shop,
                                               quantities=[(a, 1), (b, 2)])


def s_adjust_stock(shop, actor):
    v = _sku(shop, stock_=5)
    return lambda: stock.adjust_stock(actor=actor, shop=shop, variant=v, delta=-1, reason="破损")


def s_count_stock(shop, actor):
    v = _sku(shop, stock_=5)
    return lambda: stock.count_stock(actor=actor, shop=shop, variant=v, counted=4)


def s_count_stock_in_bulk(shop, actor):
    a, b = _sku(shop, "A", 2), _sku(shop, "B")
    return lambda: stock.count_stock_in_bulk(actor=actor, shop=shop, counts=[(a, 1), (b, 3)])


def s_write_off_stock(shop, actor):
    v = _sku(shop, stock_=5)
    return lambda: stock.write_off_stock(actor=actor, shop=shop, variant=v, quantity=2,
                                         reason="过期")


def s_return_to_stock(shop, actor):
    v = _sku(shop)
    return lambda: stock.return_to_stock(actor=actor, shop=shop, variant=v, quantity=1,
                                         reference=Reference("aftersales", "1"))


def s_set_low_stock_threshold(shop, actor):
    v = _sku(shop)
    return lambda: stock.set_low_stock_threshold(actor=actor, shop=shop, variant=v, threshold=2)


def s_set_low_stock_thresholds(shop, actor):
    a, b = _sku(shop, "A"), _sku(shop, "B")
    return lambda: stock.set_low_stock_thresholds(actor=actor, shop=shop,
                                                  thresholds=[(a, 1), (b, None)])


def s_create_customer(shop, actor):
    return lambda: customers.create_customer(actor=actor, shop=shop, name="新客",
                                             address="北京市朝阳区建国路88号")


def s_update_customer(shop, actor):
    c = factories.make_customer(shop)
    return lambda: customers.update_customer(actor=actor, shop=shop, customer=c, note="备注")


def s_add_address(shop, actor):
    c = factories.make_customer(shop, address="北京市朝阳区建国路88号")
    # Added first, then the same address made the default.
    return lambda: [customers.add_address(actor=actor, shop=shop, customer=c,
                                          address="上海市浦东新区世纪大道1号", make_default=default)
                    for default in (False, True)]


def s_set_default_address(shop, actor):
    c = factories.make_customer(shop, address="北京市朝阳区建国路88号")
    other = customers.add_address(actor=actor, shop=shop, customer=c,
                                  address="上海市浦东新区世纪大道1号")
    return lambda: customers.set_default_address(actor=actor, shop=shop, address=other)


def s_remove_address(shop, actor):
    c = factories.make_customer(shop, address="北京市朝阳区建国路88号")
    return lambda: customers.remove_address(actor=actor, shop=shop, address=c.addresses.get())


def s_tag_customer(shop, actor):
    c = factories.make_customer(shop)
    return lambda: customers.tag_customer(actor=actor, shop=shop, customer=c, tag="VIP")


def s_untag_customer(shop, actor):
    c = factories.make_customer(shop, tags=["VIP"])
    return lambda: customers.untag_customer(actor=actor, shop=shop, customer=c, tag="VIP")


def s_add_identity(shop, actor):
    c = factories.make_customer(shop)
    return lambda: customers.add_identity(actor=actor, shop=shop, customer=c, channel="wechat",
                                          external_id="wx1")


def s_find_or_create_customer(shop, actor):
    return lambda: [customers.find_or_create_customer(
        actor=actor, shop=shop, name="下单人", phone="13800138000", address_line=line)
        for line in ("北京市朝阳区建国路88号", "上海市浦东新区世纪大道1号")]


def s_merge_customers(shop, actor):
    keep, merge = factories.make_customer(shop), factories.make_customer(shop)
    return lambda: customers.merge_customers(actor=actor, shop=shop, keep=keep, merge=merge)


def s_create_shop(shop, actor):
    return lambda: shops.create_shop(slug=f"{shop.slug}-2", name="分店",
                                     owner_email="boss@example.com")


def s_update_shop(shop, actor):
    return lambda: shops.update_shop(actor=actor, shop=shop, name="改名", allow_backorders=True)


def s_update_shop_settings(shop, actor):
    return lambda: shops.update_shop_settings(actor=actor, shop=shop,
                                              changes={"tax_rate_bp": 600})


def s_add_member(shop, actor):
    return lambda: shops.add_member(actor=actor, shop=shop, email="new@example.com",
                                    role="clerk")


def s_change_member_role(shop, actor):
    m = factories.make_member(shop, "clerk")
    return lambda: shops.change_member_role(actor=actor, shop=shop, membership=m, role="viewer")


def s_remove_member(shop, actor):
    m = factories.make_member(shop, "clerk")
    return lambda: shops.remove_member(actor=actor, shop=shop, membership=m)


def s_create_token(shop, actor):
    return lambda: shops.create_token(actor=actor, shop=shop, name="erp", role="viewer")


def s_revoke_token(shop, actor):
    token, _secret = shops.create_token(actor=actor, shop=shop, name="erp", role="viewer")
    return lambda: shops.revoke_token(actor=actor, shop=shop, token=token)


def s_create_pickup_point(shop, actor):
    return lambda: campaigns.create_pickup_point(actor=actor, shop=shop, name="东门")


def s_update_pickup_point(shop, actor):
    point = campaigns.create_pickup_point(actor=actor, shop=shop, name="东门")
    return lambda: campaigns.update_pickup_point(actor=actor, point=point, name="西门")


def s_create_campaign(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    point = campaigns.create_pickup_point(actor=actor, shop=shop, name="东门")
    return lambda: campaigns.create_campaign(
        actor=actor, shop=shop, title="团", cut_off_at=timezone.now() + dt.timedelta(days=1),
        items=[campaigns.ItemInput("STRAW-500", 1000)], pickup_point_ids=[point.pk])


def s_update_campaign(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    return lambda: campaigns.update_campaign(
        actor=actor, campaign=c, title="新团名", cut_off_at=c.cut_off_at,
        items=[campaigns.ItemInput("STRAW-500", 1000)],
        pickup_point_ids=[p.pk for p in c.pickup_points.all()])


def s_confirm_import(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    draft = previews.preview_chain(actor=actor, campaign=c, text=_chain(c, LI, WANG))
    return lambda: confirming.confirm_import(actor=actor, chain_import=draft)


def s_batch_confirm(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    open_one = make_campaign(shop)
    closed_one = make_campaign(shop, points=list(open_one.pickup_points.all()))
    for c in (open_one, closed_one):
        draft = previews.preview_chain(actor=actor, campaign=c, text=_chain(c, LI))
        confirming.confirm_import(actor=actor, chain_import=draft)
    past = timezone.now() - dt.timedelta(minutes=1)
    Campaign.objects.filter(pk=open_one.pk).update(cut_off_at=past)
    Campaign.objects.filter(pk=closed_one.pk).update(status="closed")
    open_one.refresh_from_db()
    closed_one.refresh_from_db()
    return lambda: [confirming.batch_confirm(actor=actor, campaign=c)
                    for c in (open_one, closed_one)]


def s_preview_chain(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    return lambda: previews.preview_chain(actor=actor, campaign=c, text=_chain(c, LI))


def s_fix_entry(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    draft = previews.preview_chain(actor=actor, campaign=c, text=_chain(c, LI))
    return lambda: previews.fix_entry(actor=actor, chain_import=draft, index=0, customer="周九",
                                      phone="13700002222", items="草莓x1")


def s_close_campaign(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    # Closing twice records one closing.
    return lambda: [closing.close_campaign(actor=actor, campaign=c) for _n in range(2)]


def s_close_at_cut_off(shop, actor):
    shop = _goods_shop()
    due = make_campaign(shop, cut_off_in=-dt.timedelta(minutes=1))
    later = make_campaign(shop, points=list(due.pickup_points.all()))
    return lambda: [closing.close_at_cut_off(shop_id=shop.pk, campaign_id=c.pk)
                    for c in (due, due, later)]
def s_join_campaign(shop, actor):
    shop = _goods_shop()
    c = make_campaign(shop)
    point = c.pickup_points.first()
    return lambda: joining.join_campaign(campaign=c, customer="新客", phone="13912345678",
                                         quantities={"STRAW-500": 1}, pickup_point_id=point.pk)


def s_rotate_join_link(shop, actor):
    shop = _goods_shop()
    actor = factories.staff_actor(shop)
    c = make_campaign(shop)
    return lambda: joining.rotate_join_link(actor=actor, campaign=c)


def s_import_catalog(shop, actor):
    _sku(shop, "OLD", 3)
    data = ("sku,name,price_cents,stock,low_stock_threshold\n"
            "OLD,改名货,150,8,2\nNEW,新货,200,5,\n").encode()
    return lambda: catalog_import.import_catalog(actor=actor, shop=shop, file_name="c.csv",
                                                 data=data, dry_run=False)


SCENARIOS = {name: globals()[f"s_{name.rsplit('.', 1)[1]}"] for name in AUDITED}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(AUDITED))
def test_the_table_matches_what_the_service_records(name):
    scenario = SCENARIOS[name]
    function = name.rsplit(".", 1)[1]
    assert f".{function}(" in inspect.getsource(scenario), f"{scenario.__name__} never calls it"
    shop = factories.make_shop()
    actor = factories.staff_actor(shop)
    call = scenario(shop, actor)
    last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0

    call()

    written = set(AuditRecord.objects.filter(id__gt=last)
                  .values_list("object_type", "action"))
    expected = AUDITED[name]
    assert written == (set() if isinstance(expected, str) else expected)
