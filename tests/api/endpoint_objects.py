"""Objects of a shop the endpoint table names in paths and bodies (orders, customers,
campaigns …): each function makes one in the shop it is given and answers its id."""

from dingdan.shops.models import Shop
from tests import factories

from .endpoint_table import ADDRESS, NEW_ADDRESS, PHONE


def _member(shop: Shop) -> int:
    return factories.make_member(shop, "viewer").pk


def _token(shop: Shop) -> int:
    factories.token_for(shop, "viewer", name="target")
    return shop.api_tokens.get(name="target").pk


def _sku(shop: Shop) -> str:
    return factories.make_sku(shop, stock=5).sku


def _alert(shop: Shop) -> int:
    from dingdan.notify.services import raise_alert

    raise_alert(shop_id=shop.pk, kind="low_stock", subject="variant:0",
                data={"sku": "X", "name": "X", "available": 0})
    return shop.alerts.get().pk


def _customer(shop: Shop) -> int:
    """The customer with PHONE and ADDRESS; a second one (to merge) has neither."""
    from dingdan.customers.models import Customer

    if Customer.objects.filter(shop=shop, phone=PHONE).exists():
        return factories.make_customer(shop).pk
    return factories.make_customer(shop, phone=PHONE, address=ADDRESS).pk


def _flagged_order(shop: Shop) -> int:
    """An order flagged as a possible duplicate: the same customer sent it twice."""
    sku = factories.make_sku(shop, stock=5).sku
    factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS)
    return factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS).pk


def _template(shop: Shop) -> int:
    from dingdan.orders.services.presets import save_template

    sku = factories.make_sku(shop, stock=5).sku
    return save_template(actor=factories.Actor.system(shop), shop=shop, name=f"模板{sku}",
                         lines=[(sku, 1)]).pk


def _order(shop: Shop) -> int:
    sku = factories.make_sku(shop, stock=5).sku
    return factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS).pk


def _order_with_change_request(shop: Shop) -> int:
    from dingdan.orders.services.customer_changes import change_by_customer
    from dingdan.orders.services.lifecycle import transition_order

    sku = factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS)
    order = transition_order(actor=factories.Actor.system(shop), order=placed, to="accepted")
    change_by_customer(order=order, version=order.version, lines=[(sku, 2)],
                       address=NEW_ADDRESS)
    return order.pk


def _change_request(shop: Shop) -> int:
    """The open request of the order `_order_with_change_request` made just before."""
    from dingdan.orders.models import OrderChangeRequest

    return OrderChangeRequest.objects.filter(shop=shop, status="pending").latest("id").pk


CHAIN_ITEM = "TUAN-STRAW"
# A chain entry of the customer with PHONE and ADDRESS, and one of a new customer.
WANG_FANG = f"王芳 草莓x1 {PHONE} {ADDRESS}"
LI_LEI = "李雷 草莓x2 13700001111 北京市朝阳区建国路88号"


def _chain_of(shop: Shop, *entries: str) -> str:
    from dingdan.chains.models import Campaign
    from dingdan.chains.selectors.chain_text import chain_text

    campaign = Campaign.objects.filter(shop=shop).latest("id")
    return chain_text(campaign) + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


def _campaign(shop: Shop) -> int:
    """A delivery campaign with one order imported from its chain: WANG_FANG's."""
    import datetime as dt

    from django.utils import timezone

    from dingdan.catalog.models import Variant
    from dingdan.chains.services import campaigns, confirming, previews

    if not Variant.objects.filter(shop=shop, sku=CHAIN_ITEM).exists():
        factories.make_sku(shop, CHAIN_ITEM, name="草莓", spec="500g", stock=20)
    system = factories.Actor.system(shop)
    campaign = campaigns.create_campaign(
        actor=system, shop=shop, title="周六草莓团", fulfilment="delivery",
        cut_off_at=timezone.now() + dt.timedelta(days=1),
        items=[campaigns.ItemInput(CHAIN_ITEM, 2990)])
    draft = previews.preview_chain(actor=system, campaign=campaign,
                                   text=_chain_of(shop, WANG_FANG))
    confirming.confirm_import(actor=system, chain_import=draft)
    return campaign.pk


def _chain_import(shop: Shop) -> int:
    """A paste of the latest campaign's chain, not confirmed: WANG_FANG again and LI_LEI."""
    from dingdan.chains.models import Campaign
    from dingdan.chains.services import previews

    campaign = Campaign.objects.filter(shop=shop).latest("id")
    return previews.preview_chain(actor=factories.Actor.system(shop), campaign=campaign,
                                  text=_chain_of(shop, WANG_FANG, LI_LEI)).pk
