"""The shop a bulk run fills: the shop itself, its staff, its catalog and its customers.

Small tables (staff, catalog) go through the ORM; customers and their addresses through
the table writer, since a big run has tens of thousands."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from dingdan import demo
from dingdan.catalog.models import Product, ProductKind, Variant
from dingdan.customers.models import Address, Customer, CustomerTag, Tag
from dingdan.orders.models import Order
from dingdan.shops.models import Membership, Role, Shop
from dingdan.shops.services import shops as shop_services

from . import vocabulary
from .tables import TableWriter, next_id

STAFF_COUNT = 6
# A new shop made by the generator takes payment first and charges for delivery, so its
# orders pass through every status of the lifecycle.
NEW_SHOP_SETTINGS = {
    "requires_prepayment": True,
    "shipping": {"flat_cents": 1000, "free_over_cents": 9900, "by_method": {"local": 500}},
}


class ShopHasOrders(Exception):
    pass


@dataclass(frozen=True)
class Staff:
    user_id: int
    label: str


@dataclass(frozen=True)
class Sku:
    id: int
    sku: str
    name: str  # as an order line shows it: product name and spec
    price_cents: int
    is_service: bool


@dataclass
class Buyer:
    id: int
    name: str
    phone: str
    address: tuple[str, str, str, str] | None


def open_shop(slug: str) -> tuple[Shop, str | None]:
    """The shop to fill, created if new (with an owner login, whose first password is
    returned). A shop that already has orders is refused: numbers and stock would clash."""
    if slug == demo.DEMO_SLUG:
        shop, _created = demo.ensure_demo_shop()
        password = None
    else:
        shop = Shop.objects.filter(slug=slug).first()
        password = None
        if shop is None:
            shop, password = shop_services.create_shop(
                slug=slug, name=f"{slug} 生鲜小店", owner_email=f"owner@{slug}.example.com"
            )
            shop.settings = dict(NEW_SHOP_SETTINGS)
            shop.save(update_fields=["settings", "updated_at"])
    if Order.objects.filter(shop=shop).exists():
        raise ShopHasOrders(slug)
    return shop, password


def hire_staff(shop: Shop, rng: random.Random) -> list[Staff]:
    """The people orders are assigned to and who move them on."""
    User = get_user_model()
    staff = []
    for n in range(1, STAFF_COUNT + 1):
        user, created = User.objects.get_or_create(
            username=f"{shop.slug}-staff{n}",
            defaults={"first_name": vocabulary.person_name(rng), "email": ""},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            shop=shop, user=user, defaults={"role": Role.MANAGER if n == 1 else Role.CLERK}
        )
        staff.append(Staff(user.pk, user.get_full_name() or user.username))
    return staff


def stock_catalog(shop: Shop, rng: random.Random, *, products: int, at: dt.datetime) -> list[Sku]:
    """`products` goods with 1–3 variants each, plus a few bookable services."""
    taken = set(Product.objects.filter(shop=shop).values_list("name", flat=True))
    goods = [g for g in vocabulary.product_names(rng, products + len(taken)) if g[0] not in taken]
    made: list[tuple[Product, list[Variant]]] = []
    for n, (name, category, code, specs, (low, high)) in enumerate(goods[:products], 1):
        product = Product(shop=shop, name=name, category=category, kind=ProductKind.GOODS)
        base = rng.randrange(low, high, 10)
        chosen = specs[: rng.choice((1, 1, 2, 2, 3))]
        variants = [
            Variant(shop=shop, sku=f"{code}-{n:05d}-{k}", spec=spec,
                    price_cents=int(base * factor) // 10 * 10 or 10)
            for k, (spec, factor) in enumerate(chosen, 1)
        ]
        made.append((product, variants))
    for n, (name, spec, price) in enumerate(vocabulary.SERVICES, 1):
        if name in taken:
            continue
        product = Product(shop=shop, name=name, category="服务", kind=ProductKind.SERVICE)
        made.append((product, [Variant(shop=shop, sku=f"FW-{n:03d}", spec=spec,
                                       price_cents=price)]))
    Product.objects.bulk_create([p for p, _v in made], batch_size=1000)
    for product, variants in made:
        for variant in variants:
            variant.product = product
    Variant.objects.bulk_create([v for _p, vs in made for v in vs], batch_size=1000)
    Product.objects.filter(shop=shop, pk__in=[p.pk for p, _v in made]).update(created_at=at)
    return [
        Sku(v.pk, v.sku, f"{p.name} {v.spec}".strip(), v.price_cents,
            p.kind == ProductKind.SERVICE)
        for p, vs in made for v in vs
    ]


def enrol_customers(
    shop: Shop, rng: random.Random, *, count: int, joined: list[int]
) -> list[Buyer]:
    """`count` customers; `joined[n]` is when customer n first appeared (epoch seconds).
    Most have a phone and a default address; a few have neither, as in real shops."""
    first_id = next_id(Customer)
    phones: set[str] = set(
        Customer.objects.filter(shop=shop).exclude(phone="").values_list("phone", flat=True)
    )
    buyers, customer_rows, address_rows = [], [], []
    for n in range(count):
        pk = first_id + n
        phone = ""
        if rng.random() >= 0.02:
            phone = vocabulary.mobile(rng)
            while phone in phones:
                phone = vocabulary.mobile(rng)
            phones.add(phone)
        at = joined[n]
        name = vocabulary.person_name(rng)
        customer_rows.append((pk, shop.pk, name, phone, "", at, at))
        home = None if rng.random() < 0.03 else vocabulary.address(rng)
        if home:
            address_rows.append((shop.pk, pk, *home, True, at))
            if rng.random() < 0.2:
                address_rows.append((shop.pk, pk, *vocabulary.address(rng), False, at))
        buyers.append(Buyer(pk, name, phone, home))
    TableWriter(Customer, ["id", "shop", "name", "phone", "note", "created_at",
                           "updated_at"]).write(customer_rows)
    TableWriter(Address, ["shop", "customer", "province", "city", "district", "detail",
                          "is_default", "created_at"]).write(address_rows)
    vip = Tag.objects.get_or_create(shop=shop, name="VIP")[0]
    leader = Tag.objects.get_or_create(shop=shop, name="团长")[0]
    links = [(shop.pk, b.id, vip.pk) for b in buyers if rng.random() < 0.04]
    links += [(shop.pk, b.id, leader.pk) for b in buyers if rng.random() < 0.01]
    TableWriter(CustomerTag, ["shop", "customer", "tag"]).write(links)
    return buyers
