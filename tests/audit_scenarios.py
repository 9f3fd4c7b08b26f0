"""One scenario per audited write service, for tests/test_audit_coverage.py: `s_<function>(shop,
actor)` prepares what the call needs and returns the call itself, so the test can see which
audit records exactly that call leaves."""

import datetime as dt

from django.utils import timezone

from dingdan.catalog.services import products
from dingdan.chains.models import Campaign
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns, closing, confirming, joining, previews
from dingdan.customers.services import customers
from dingdan.exchange.services import catalog_import
from dingdan.inventory.services import stock
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.services import shops
from tests import factories
from tests.chains.campaigns import make_campaign


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


def s_write_off_returned(shop, actor):
    v = _sku(shop)
    return lambda: stock.write_off_returned(actor=actor, shop=shop, variant=v, quantity=1,
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


def scenario(service: str):
    """The scenario of a service named like "catalog.products.create_sku"."""
    return globals()[f"s_{service.rsplit('.', 1)[1]}"]
