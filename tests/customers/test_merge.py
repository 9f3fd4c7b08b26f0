"""The same person entered twice (once from WeChat, once by phone) is merged into one
customer: nothing they had is lost, and the merge is on record."""

import pytest

from dingdan.customers.models import Address, Customer, CustomerMerge, Identity
from dingdan.customers.services import customers as services
from dingdan.errors import InvalidInput, NotFound, PermissionDenied
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def clerk(shop):
    return factories.staff_actor(shop, "clerk")


def test_merging_moves_addresses_tags_and_identities_and_records_who_merged(shop, clerk):
    keep = factories.make_customer(
        shop,
        name="王芳",
        phone="13800138000",
        address="北京市朝阳区建国路88号",
        tags=["VIP"],
        identities=[("chat", "阿芳")],
        note="老客",
    )
    duplicate = factories.make_customer(
        shop,
        name="芳姐",
        address="上海浦东新区世纪大道100号",
        tags=["VIP", "团长"],
        identities=[("wechat", "wx_fang")],
        note="喜欢草莓",
    )
    duplicate_id = duplicate.pk

    kept = services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=duplicate)

    assert not Customer.objects.filter(pk=duplicate_id).exists()
    assert [a.city for a in kept.addresses.all()] == ["北京市", "上海市"]
    assert kept.default_address.city == "北京市"
    assert sorted(t.name for t in kept.tags.all()) == ["VIP", "团长"]
    assert sorted(i.channel for i in kept.identities.all()) == ["chat", "wechat"]
    assert kept.note == "老客\n喜欢草莓"
    record = CustomerMerge.objects.get(kept=kept)
    assert (record.shop, record.merged_customer_id) == (shop, duplicate_id)
    assert (record.merged_name, record.merged_phone) == ("芳姐", "")
    assert record.actor_label == clerk.label
    assert record.merged_at is not None


def test_the_kept_customer_takes_the_duplicates_phone_when_it_has_none(shop, clerk):
    keep = factories.make_customer(shop, name="王芳")
    duplicate = factories.make_customer(shop, name="芳姐", phone="13800138000")

    kept = services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=duplicate)

    assert kept.phone == "13800138000"
    assert CustomerMerge.objects.get().merged_phone == "13800138000"


def test_the_kept_customers_own_phone_and_default_address_win(shop, clerk):
    keep = factories.make_customer(shop, name="王芳", phone="13800138000")
    duplicate = factories.make_customer(
        shop, name="芳姐", phone="13900139000", address="广东省深圳市南山区科技园路1号"
    )

    kept = services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=duplicate)

    assert kept.phone == "13800138000"
    assert kept.default_address.district == "南山区"
    assert Customer.objects.filter(shop=shop, phone="13900139000").count() == 0


def test_an_address_both_had_is_kept_once(shop, clerk):
    keep = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    duplicate = factories.make_customer(shop, name="芳姐", address="北京朝阳区建国路88号")

    kept = services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=duplicate)

    assert kept.addresses.count() == 1
    assert Address.objects.filter(shop=shop).count() == 1


def test_earlier_merge_records_follow_the_customer_into_a_later_merge(shop, clerk):
    a = factories.make_customer(shop, name="甲")
    b = factories.make_customer(shop, name="乙")
    c = factories.make_customer(shop, name="丙")
    services.merge_customers(actor=clerk, shop=shop, keep=b, merge=c)

    services.merge_customers(actor=clerk, shop=shop, keep=a, merge=b)

    assert sorted(CustomerMerge.objects.filter(kept=a).values_list("merged_name", flat=True)) == [
        "丙",
        "乙",
    ]


def test_every_row_that_pointed_at_the_duplicate_points_at_the_kept_customer(shop, clerk):
    # Read from Django's registry, so the orders app's rows are checked here once they exist.
    relations = [r for r in Customer._meta.related_objects if r.one_to_many]
    keep = factories.make_customer(shop, name="王芳", address="北京市朝阳区建国路88号")
    duplicate = factories.make_customer(
        shop,
        name="芳姐",
        address="上海浦东新区世纪大道100号",
        tags=["团长"],
        identities=[("wechat", "wx_fang")],
    )
    services.merge_customers(
        actor=clerk, shop=shop, keep=duplicate, merge=factories.make_customer(shop, name="芳")
    )

    def rows(customer_id):
        return {
            r.related_model: r.related_model._base_manager.filter(
                **{r.field.attname: customer_id}
            ).count()
            for r in relations
        }

    before_keep, before_duplicate = rows(keep.pk), rows(duplicate.pk)
    services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=duplicate)
    after_keep = rows(keep.pk)

    assert {Address, Identity, CustomerMerge} <= set(after_keep)
    for model, count in after_keep.items():
        expected = before_keep[model] + before_duplicate[model]
        if model is CustomerMerge:
            expected += 1  # this merge's own record
        assert count == expected, model


def test_a_customer_cannot_be_merged_into_themselves(shop, clerk):
    customer = factories.make_customer(shop, name="王芳")
    with pytest.raises(InvalidInput) as refused:
        services.merge_customers(actor=clerk, shop=shop, keep=customer, merge=customer)
    assert refused.value.code == "merge_same_customer"
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_customer_of_another_shop_cannot_be_merged_in(shop, clerk):
    keep = factories.make_customer(shop, name="王芳")
    foreign = factories.make_customer(factories.make_shop(), name="别家的")
    with pytest.raises(NotFound):
        services.merge_customers(actor=clerk, shop=shop, keep=keep, merge=foreign)
    assert Customer.objects.filter(pk=foreign.pk).exists()
    assert not CustomerMerge.objects.exists()


def test_a_viewer_cannot_merge(shop):
    keep = factories.make_customer(shop, name="王芳")
    duplicate = factories.make_customer(shop, name="芳姐")
    with pytest.raises(PermissionDenied):
        services.merge_customers(
            actor=factories.staff_actor(shop, "viewer"), shop=shop, keep=keep, merge=duplicate
        )
    assert Customer.objects.filter(shop=shop).count() == 2
