"""A merchant keeps a customer book: people with a phone, addresses, tags and the chat or
shop accounts they order from, each found again the next time they order."""

import pytest

from dingdan.customers import selectors
from dingdan.customers.models import Address, Customer, CustomerTag, Identity, Tag
from dingdan.customers.services import customers as services
from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def clerk(shop):
    return factories.staff_actor(shop, "clerk")


def _everything(shop):
    return (
        list(Customer.objects.filter(shop=shop).values_list("id", "name", "phone", "note")),
        list(Address.objects.filter(shop=shop).values_list("id", "detail", "is_default")),
        list(CustomerTag.objects.filter(shop=shop).values_list("customer_id", "tag__name")),
        list(Identity.objects.filter(shop=shop).values_list("channel", "external_id")),
    )


def test_a_clerk_adds_a_customer_with_a_pasted_address_tags_and_a_wechat_id(shop, clerk):
    customer = services.create_customer(
        actor=clerk,
        shop=shop,
        name="  王芳 ",
        phone="138-0013-8000",
        address="广东省深圳市南山区科技园路1号",
        tags=["VIP", " 团长 "],
        note="只要上午送",
        identities=[("WeChat", "wx_wangfang")],
    )

    assert (customer.name, customer.phone, customer.note) == ("王芳", "13800138000", "只要上午送")
    address = customer.addresses.get()
    assert address.parts == ("广东省", "深圳市", "南山区", "科技园路1号")
    assert address.is_default
    assert sorted(customer.tags.values_list("name", flat=True)) == ["VIP", "团长"]
    assert list(customer.identities.values_list("channel", "external_id")) == [
        ("wechat", "wx_wangfang")
    ]


def test_an_address_can_also_be_given_in_parts(shop, clerk):
    customer = services.create_customer(
        actor=clerk,
        shop=shop,
        name="李雷",
        address={"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路"},
    )
    assert customer.addresses.get().parts == ("浙江省", "杭州市", "西湖区", "文三路")


def test_the_same_phone_twice_is_refused_naming_the_customer_who_has_it(shop, clerk):
    first = services.create_customer(actor=clerk, shop=shop, name="王芳", phone="13800138000")
    before = _everything(shop)

    with pytest.raises(Conflict) as refused:
        services.create_customer(actor=clerk, shop=shop, name="芳芳", phone="+86 138 0013 8000")

    assert refused.value.code == "customer_exists"
    assert "王芳" in str(refused.value)
    assert refused.value.details["customer_id"] == first.pk
    assert _everything(shop) == before


def test_two_shops_may_each_have_a_customer_with_the_same_phone(clerk, shop):
    other = factories.make_shop()
    services.create_customer(actor=clerk, shop=shop, name="王芳", phone="13800138000")
    services.create_customer(
        actor=factories.staff_actor(other), shop=other, name="王芳", phone="13800138000"
    )
    assert Customer.objects.filter(phone="13800138000").count() == 2


def test_many_customers_may_have_no_phone(shop, clerk):
    for name in ["张三", "李四", "王五"]:
        services.create_customer(actor=clerk, shop=shop, name=name)
    assert Customer.objects.filter(shop=shop, phone="").count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "王" * 101}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"address": "街" * 301}, "address"),
        ({"address": {"province": "省" * 21}}, "address.province"),
        ({"tags": ["VIP", ""]}, "tags"),
        ({"tags": ["标" * 31]}, "tags"),
        ({"note": "备" * 2001}, "note"),
        ({"identities": [("wechat", "")]}, "identities.external_id"),
        ({"identities": [("微信", "wx1")]}, "identities.channel"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(shop, clerk, changes, field):
    before = _everything(shop)
    arguments = {"name": "王芳", "phone": "13800138000", **changes}

    with pytest.raises(InvalidInput) as refused:
        services.create_customer(actor=clerk, shop=shop, **arguments)

    assert field in refused.value.fields
    assert _everything(shop) == before
    assert not Tag.objects.filter(shop=shop).exists()


def test_roles_that_may_only_look_cannot_add_customers(shop):
    for role in ["viewer", "warehouse", "finance"]:
        with pytest.raises(PermissionDenied):
            services.create_customer(
                actor=factories.staff_actor(shop, role), shop=shop, name="王芳"
            )
    assert not Customer.objects.exists()


def test_another_shops_customer_cannot_be_changed(shop, clerk):
    foreign = factories.make_customer(factories.make_shop(), name="别人家的")
    with pytest.raises(NotFound):
        services.update_customer(actor=clerk, shop=shop, customer=foreign, name="改名")
    with pytest.raises(NotFound):
        services.update_customer(actor=clerk, shop=foreign.shop, customer=foreign, name="改名")
    foreign.refresh_from_db()
    assert foreign.name == "别人家的"


def test_editing_changes_only_what_was_given(shop, clerk):
    customer = factories.make_customer(shop, name="王芳", phone="13800138000", note="老客")

    services.update_customer(actor=clerk, shop=shop, customer=customer, name="王芳芳")

    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.note) == ("王芳芳", "13800138000", "老客")


def test_an_empty_phone_removes_it_and_another_customers_phone_is_refused(shop, clerk):
    factories.make_customer(shop, name="王芳", phone="13800138000")
    other = factories.make_customer(shop, name="李雷", phone="13900139000")

    with pytest.raises(Conflict):
        services.update_customer(actor=clerk, shop=shop, customer=other, phone="13800138000")
    services.update_customer(actor=clerk, shop=shop, customer=other, phone="")

    other.refresh_from_db()
    assert other.phone == ""


def test_tags_are_added_and_removed_and_shared_across_the_shop(shop, clerk):
    wang = factories.make_customer(shop, name="王芳")
    li = factories.make_customer(shop, name="李雷")

    services.tag_customer(actor=clerk, shop=shop, customer=wang, tag="VIP")
    services.tag_customer(actor=clerk, shop=shop, customer=wang, tag="VIP")
    services.tag_customer(actor=clerk, shop=shop, customer=li, tag="VIP")
    services.untag_customer(actor=clerk, shop=shop, customer=li, tag="VIP")

    assert list(wang.tags.values_list("name", flat=True)) == ["VIP"]
    assert not li.tags.exists()
    assert Tag.objects.filter(shop=shop, name="VIP").count() == 1


def test_the_first_address_is_the_default_and_another_can_take_over(shop, clerk):
    customer = factories.make_customer(shop, name="王芳")
    home = services.add_address(
        actor=clerk, shop=shop, customer=customer, address="北京市朝阳区建国路88号"
    )
    office = services.add_address(
        actor=clerk, shop=shop, customer=customer, address="北京市海淀区中关村大街1号"
    )
    assert home.is_default and not office.is_default

    services.set_default_address(actor=clerk, shop=shop, address=office)
    home.refresh_from_db()

    assert office.is_default and not home.is_default
    assert customer.addresses.filter(is_default=True).count() == 1


def test_removing_the_default_address_passes_the_default_on(shop, clerk):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    other = services.add_address(
        actor=clerk, shop=shop, customer=customer, address="上海浦东新区世纪大道100号"
    )

    services.remove_address(actor=clerk, shop=shop, address=customer.addresses.get(is_default=True))

    other.refresh_from_db()
    assert other.is_default


def test_adding_an_address_the_customer_already_has_keeps_one_copy(shop, clerk):
    customer = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    services.add_address(
        actor=clerk, shop=shop, customer=customer, address="北京 朝阳区 建国路88号"
    )
    assert customer.addresses.count() == 1


def test_an_empty_address_is_refused(shop, clerk):
    customer = factories.make_customer(shop, name="王芳")
    with pytest.raises(InvalidInput):
        services.add_address(actor=clerk, shop=shop, customer=customer, address="   ")
    assert not customer.addresses.exists()


def test_a_channel_id_belongs_to_one_customer_per_shop(shop, clerk):
    wang = factories.make_customer(shop, name="王芳")
    li = factories.make_customer(shop, name="李雷")
    services.add_identity(actor=clerk, shop=shop, customer=wang, channel="chat", external_id="阿芳")
    services.add_identity(actor=clerk, shop=shop, customer=wang, channel="chat", external_id="阿芳")

    with pytest.raises(Conflict) as refused:
        services.add_identity(
            actor=clerk, shop=shop, customer=li, channel="chat", external_id="阿芳"
        )

    assert refused.value.code == "identity_exists"
    assert "王芳" in str(refused.value)
    assert Identity.objects.filter(shop=shop).count() == 1


def test_an_order_from_a_new_phone_creates_the_customer_and_the_next_finds_them(shop):
    system = Actor.system(shop)

    first, created = services.find_or_create_customer(
        actor=system,
        shop=shop,
        name="王芳",
        phone="138 0013 8000",
        address_line="广东省深圳市南山区科技园路1号",
    )
    again, created_again = services.find_or_create_customer(
        actor=system,
        shop=shop,
        name="芳姐",
        phone="+86 13800138000",
        address_line="广东省深圳市福田区深南大道1号",
    )

    assert created and not created_again
    assert again.pk == first.pk
    assert again.name == "王芳"
    assert [a.district for a in again.addresses.all()] == ["南山区", "福田区"]
    assert again.default_address.district == "南山区"
    assert Customer.objects.filter(shop=shop).count() == 1


def test_an_order_without_a_phone_always_makes_a_new_customer(shop):
    system = Actor.system(shop)
    one, _ = services.find_or_create_customer(actor=system, shop=shop, name="群友", phone="")
    two, _ = services.find_or_create_customer(actor=system, shop=shop, name="群友", phone=None)
    assert one.pk != two.pk


def test_an_order_with_a_bad_phone_is_refused_and_no_customer_appears(shop):
    with pytest.raises(InvalidInput):
        services.find_or_create_customer(
            actor=Actor.system(shop), shop=shop, name="王芳", phone="12345"
        )
    assert not Customer.objects.exists()


def test_search_finds_by_part_of_the_name_or_of_the_phone(shop):
    wang = factories.make_customer(shop, name="王芳", phone="13800138000")
    li = factories.make_customer(shop, name="李雷", phone="13900139000")
    factories.make_customer(factories.make_shop(), name="王芳", phone="13800138000")

    def found(q, **options):
        return list(selectors.customers_for_shop(shop, q, **options))

    assert found("王") == [wang]
    assert found("8000") == [wang]
    assert found("139 0013") == [li]
    assert found("１３９") == [li]
    assert found("8000", search_phone=False) == []
    assert found("") == [li, wang]


def test_an_unknown_customer_is_not_found(shop):
    foreign = factories.make_customer(factories.make_shop())
    for customer_id in [999999, foreign.pk]:
        with pytest.raises(NotFound) as refused:
            selectors.customer_in_shop(shop, customer_id)
        assert refused.value.code == "customer_not_found"


def test_the_summary_answers_zero_until_there_are_orders(shop):
    summary = selectors.customer_summary(factories.make_customer(shop))
    assert (summary.orders_count, summary.spend_cents, summary.last_order_at) == (0, 0, None)
