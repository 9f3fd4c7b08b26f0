"""Small factories: a shop, a person with a role in it, an API client acting as them."""

import itertools

from django.contrib.auth import get_user_model
from django.test import Client

from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership, Shop
from dingdan.shops.services import shops as services

_seq = itertools.count(1)


def make_shop(slug: str | None = None, name: str | None = None) -> Shop:
    n = next(_seq)
    return Shop.objects.create(slug=slug or f"shop-{n}", name=name or f"小店{n}")


def make_user(username: str | None = None, password: str = "secret-pass-1"):
    username = username or f"user{next(_seq)}@example.com"
    return get_user_model().objects.create_user(
        username=username, email=username if "@" in username else "", password=password
    )


def make_member(shop: Shop, role: str = "owner", user=None) -> Membership:
    return Membership.objects.create(shop=shop, user=user or make_user(), role=role)


def token_for(shop: Shop, role: str = "owner", name: str = "test") -> str:
    _, secret = services.create_token(actor=Actor.system(shop), shop=shop, name=name, role=role)
    return secret


def api_client(secret: str, language: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {secret}"}
    if language:
        headers["Accept-Language"] = language
    return Client(headers=headers)


def staff_actor(shop: Shop, role: str = "owner") -> Actor:
    return Actor.staff(make_member(shop, role))


def make_sku(
    shop: Shop, sku: str | None = None, *, name: str | None = None, price_cents: int = 1000,
    spec: str = "", stock: int = 0, kind: str = "goods", **extra,
):
    """A SKU (and its product), with `stock` units received."""
    from dingdan.catalog.services import products as catalog
    from dingdan.inventory.services import stock as inventory

    n = next(_seq)
    actor = Actor.system(shop)
    variant = catalog.create_sku(
        actor=actor, shop=shop, sku=sku or f"SKU-{n}", name=name or f"商品{n}",
        price_cents=price_cents, spec=spec, kind=kind, **extra,
    )
    if stock:
        inventory.receive_stock(actor=actor, shop=shop, variant=variant, quantity=stock)
    return variant


def make_customer(shop: Shop, name: str | None = None, phone: str | None = None, **extra):
    """A customer of the shop, made through the service as staff would."""
    from dingdan.customers.services import customers

    n = next(_seq)
    return customers.create_customer(
        actor=Actor.system(shop), shop=shop, name=name or f"顾客{n}", phone=phone, **extra
    )


def place(shop: Shop, lines: list[tuple[str, int]], *, name: str = "张三",
          phone: str | None = "13800138000", address: str | None = "北京市朝阳区建国路88号",
          actor: Actor | None = None, **extra):
    """An order placed through the service, as staff of the shop would."""
    from dingdan.orders.services import placement as orders

    return orders.place_order(
        actor=actor or Actor.system(shop), shop=shop,
        customer=orders.CustomerInput(name=name, phone=phone, address=address),
        lines=lines, **extra,
    )
