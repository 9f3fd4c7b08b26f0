"""The back office's navigation: one entry per area, shown when the role may see it.

Each app adds its entry here when its pages exist."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    action: str


NAV: list[NavItem] = [
    NavItem(_("Overview"), "web:dashboard", "shop.view"),
    NavItem(_("Orders"), "orders:list", "orders.view"),
    NavItem(_("Payments"), "payments:list", "orders.view"),
    NavItem(_("My deliveries"), "fulfillment:deliveries", "fulfillment.ship"),
    NavItem(_("Pickup counter"), "fulfillment:redeem_pickup", "fulfillment.ship"),
    NavItem(_("Group buys"), "chains:list", "orders.view"),
    NavItem(_("Products"), "catalog:list", "catalog.view"),
    NavItem(_("Stock"), "inventory:list", "inventory.view"),
    NavItem(_("Customers"), "customers:list", "customers.view"),
    NavItem(_("Staff"), "web:members", "members.view"),
    NavItem(_("API tokens"), "web:tokens", "tokens.manage"),
    NavItem(_("Shop settings"), "web:shop_settings", "shop.manage"),
    NavItem(_("WeChat Pay"), "web:wechat_pay_settings", "shop.manage"),
    NavItem(_("Parcel tracking"), "web:tracking_settings", "shop.manage"),
    NavItem(_("Carriers"), "web:carrier_settings", "shop.manage"),
    NavItem(_("Audit log"), "web:audit", "audit.view"),
]
