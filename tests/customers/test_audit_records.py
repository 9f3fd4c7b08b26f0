"""Customer changes leave audit records; a merge records on both customers; the customer's
page shows its history."""

import pytest

from dingdan.customers.services import customers as services
from dingdan.shops.actors import Actor
from dingdan.shops.audit_selectors import history_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_creating_changing_tagging_and_addresses_are_recorded():
    shop = factories.make_shop()
    member = factories.make_member(shop, "clerk")
    actor = Actor.staff(member)
    customer = services.create_customer(actor=actor, shop=shop, name="王五",
                                        phone="13800138001", tags=["VIP"])
    services.update_customer(actor=actor, shop=shop, customer=customer, name="王五五",
                             note="爱吃草莓")
    services.tag_customer(actor=actor, shop=shop, customer=customer, tag="团长")
    services.untag_customer(actor=actor, shop=shop, customer=customer, tag="VIP")
    address = services.add_address(actor=actor, shop=shop, customer=customer,
                                   address="北京市朝阳区建国路88号")
    services.remove_address(actor=actor, shop=shop, address=address)

    records = list(history_for(shop, "customer", customer.pk).order_by("id"))
    assert [r.action for r in records] == [
        "created", "changed", "tagged", "untagged", "address_added", "address_removed"]
    assert records[0].changes["phone"] == {"before": None, "after": "13800138001"}
    assert records[0].changes["tags"] == {"before": None, "after": ["VIP"]}
    assert records[1].changes == {"name": {"before": "王五", "after": "王五五"},
                                  "note": {"before": "", "after": "爱吃草莓"}}
    assert records[2].changes == {"tag": {"before": None, "after": "团长"}}
    assert records[3].changes == {"tag": {"before": "VIP", "after": None}}
    assert records[4].changes["address"]["after"].endswith("建国路88号")
    assert records[5].changes["address"]["before"].endswith("建国路88号")
    assert all(r.actor_user == member.user for r in records)


def test_a_merge_is_recorded_on_both_customers():
    shop = factories.make_shop()
    actor = Actor.staff(factories.make_member(shop, "manager"))
    keep = services.create_customer(actor=actor, shop=shop, name="张三")
    duplicate = services.create_customer(actor=actor, shop=shop, name="张三(微信)",
                                         phone="13800138002")
    duplicate_id = duplicate.pk

    services.merge_customers(actor=actor, shop=shop, keep=keep, merge=duplicate)

    kept = history_for(shop, "customer", keep.pk).get(action="merged")
    assert kept.changes["merged_customer"]["after"] == f"张三(微信) (#{duplicate_id})"
    assert kept.changes["phone"] == {"before": "", "after": "13800138002"}
    gone = history_for(shop, "customer", duplicate_id).get(action="merged_into")
    assert gone.changes["kept_customer"]["after"] == f"张三 (#{keep.pk})"


def test_the_customer_page_shows_its_history():
    shop = factories.make_shop()
    owner = factories.make_member(shop, "owner")
    customer = services.create_customer(actor=Actor.staff(owner), shop=shop, name="赵六")
    services.update_customer(actor=Actor.staff(owner), shop=shop, customer=customer,
                             note="周末送货")
    client = factories.Client()
    client.force_login(owner.user)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-testid="audit-history"' in page
    assert "修改了客户 赵六" in page and "周末送货" in page


def test_adding_an_identity_is_recorded_once():
    shop = factories.make_shop()
    member = factories.make_member(shop, "clerk")
    actor = Actor.staff(member)
    customer = services.create_customer(actor=actor, shop=shop, name="孙七")

    services.add_identity(actor=actor, shop=shop, customer=customer, channel="WeChat",
                          external_id="sun7")
    services.add_identity(actor=actor, shop=shop, customer=customer, channel="wechat",
                          external_id="sun7")  # already known: nothing new

    record = history_for(shop, "customer", customer.pk).get(action="identity_added")
    assert record.changes == {"identity": {"before": None, "after": "wechat:sun7"}}
    assert record.actor_user == member.user and record.object_label == "孙七"


def test_setting_and_taking_over_the_default_address_is_recorded():
    shop = factories.make_shop()
    member = factories.make_member(shop, "clerk")
    actor = Actor.staff(member)
    customer = services.create_customer(actor=actor, shop=shop, name="周八",
                                        address="北京市朝阳区建国路88号")
    first = customer.addresses.get()
    second = services.add_address(actor=actor, shop=shop, customer=customer,
                                  address="上海市浦东新区世纪大道1号")
    start = history_for(shop, "customer", customer.pk).count()

    services.set_default_address(actor=actor, shop=shop, address=second)
    services.set_default_address(actor=actor, shop=shop, address=second)  # already the default
    services.add_address(actor=actor, shop=shop, customer=customer,
                         address="北京市朝阳区建国路88号", make_default=True)
    services.remove_address(actor=actor, shop=shop, address=first)

    records = list(history_for(shop, "customer", customer.pk).order_by("id"))[start:]
    assert [r.action for r in records] == [
        "default_address_changed", "default_address_changed", "address_removed"]
    beijing, shanghai = str(first), str(second)
    assert beijing.endswith("朝阳区建国路88号") and shanghai.endswith("浦东新区世纪大道1号")
    assert records[0].changes == {"address": {"before": beijing, "after": shanghai}}
    assert records[1].changes == {"address": {"before": shanghai, "after": beijing}}
    assert records[2].changes == {"address": {"before": beijing, "after": None}}
    assert all(r.actor_user == member.user for r in records)
    second.refresh_from_db()
    assert second.is_default  # the one left took over


def test_an_order_for_a_new_or_known_customer_records_who_and_which_new_address():
    shop = factories.make_shop()
    member = factories.make_member(shop, "clerk")
    actor = Actor.staff(member)

    customer, created = services.find_or_create_customer(
        actor=actor, shop=shop, name="吴九", phone="13800138009",
        address_line="北京市朝阳区建国路88号")
    again, created_again = services.find_or_create_customer(
        actor=actor, shop=shop, name="吴九", phone="13800138009",
        address_line="上海市浦东新区世纪大道1号")

    assert created and not created_again and again.pk == customer.pk
    records = list(history_for(shop, "customer", customer.pk).order_by("id"))
    assert [r.action for r in records] == ["created", "address_added"]
    assert records[0].changes["phone"] == {"before": None, "after": "13800138009"}
    assert records[0].changes["address"]["after"].endswith("朝阳区建国路88号")
    assert records[1].changes["address"]["before"] is None
    assert records[1].changes["address"]["after"].endswith("浦东新区世纪大道1号")
    assert all(r.actor_user == member.user for r in records)
