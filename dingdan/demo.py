"""The demo shop `make run` opens with, so a new user can click around at once: products
and stock here, its customers, orders and group buy in demo_orders, their money and the
merchant's second shop (which takes payment first) in demo_money."""

from django.contrib.auth import get_user_model
from django.db import transaction

from dingdan import demo_money, demo_orders
from dingdan.catalog.services import products as catalog
from dingdan.inventory.services import stock as inventory
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership, Role, Shop

DEMO_SLUG = "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


@transaction.atomic
def ensure_demo_shop() -> tuple[Shop, bool]:
    """Create the demo shop, its owner login, its business and the owner's second shop on
    first run; later runs change nothing (the shop exists, so nothing is added twice)."""
    shop, created = Shop.objects.get_or_create(slug=DEMO_SLUG, defaults={"name": "演示小店"})
    User = get_user_model()
    user, user_created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
    )
    if user_created:
        # Set directly: the demo password is deliberately short and public.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(shop=shop, user=user,
                                                     defaults={"role": Role.OWNER})
    if created:
        _stock_the_shelves(shop)
        demo_orders.open_for_business(shop, Actor.staff(membership))
        demo_money.open_cake_counter(user)
    return shop, created


# sku, name, spec, price (分), aliases, stock, low-stock threshold
DEMO_PRODUCTS = [
    ("CM-500", "草莓", "500g", 3990, ["奶油草莓", "红颜草莓"], 40, 10),
    ("CM-1000", "草莓", "1kg", 6990, [], 15, 5),
    ("LM-125", "蓝莓", "125g", 2590, ["蓝莓盒"], 60, 10),
    # The demo's orders take mangoes below their threshold: a low-stock alert to see.
    ("MG-1", "芒果", "一斤", 1590, ["台芒"], 20, 10),
    ("CAKE-6", "奶油蛋糕", "6寸", 12800, ["生日蛋糕"], 8, 2),
]


def _stock_the_shelves(shop: Shop) -> None:
    actor = Actor.system(shop)
    for sku, name, spec, price, aliases, stock, threshold in DEMO_PRODUCTS:
        variant = catalog.create_sku(
            actor=actor, shop=shop, sku=sku, name=name, spec=spec, price_cents=price,
            aliases=aliases, category="水果" if sku != "CAKE-6" else "烘焙",
        )
        inventory.receive_stock(
            actor=actor, shop=shop, variant=variant, quantity=stock, note="demo"
        )
        inventory.set_low_stock_threshold(
            actor=actor, shop=shop, variant=variant, threshold=threshold
        )
    catalog.create_sku(
        actor=actor, shop=shop, sku="SPA-60", name="肩颈推拿", spec="60分钟",
        price_cents=12800, kind="service", category="服务", slot_capacity=3,
    )
