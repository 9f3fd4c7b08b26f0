"""A shop's customers: who they are, where they live, how they reach the shop, how they're tagged.

Every row carries its shop and every unique key includes it, so two shops may know the same
person (or the same WeChat id) without seeing each other."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.shops.models import Shop

NAME_MAX = 100
NOTE_MAX = 2000
TAG_MAX = 30
CHANNEL_MAX = 32
EXTERNAL_ID_MAX = 128
PROVINCE_MAX = 20
CITY_MAX = 30
DISTRICT_MAX = 30
DETAIL_MAX = 200


class Customer(models.Model):
    """Someone who buys from the shop. `phone` is stored normalised (see phone.py)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    tags = models.ManyToManyField("Tag", through="CustomerTag", related_name="customers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Found again by phone: one customer per number in a shop, any number of customers
            # without one.
            models.UniqueConstraint(
                fields=["shop", "phone"], condition=~Q(phone=""), name="customer_phone_per_shop"
            ),
        ]
        indexes = [models.Index(fields=["shop", "name"], name="customer_shop_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def default_address(self) -> "Address | None":
        return next((a for a in self.addresses.all() if a.is_default), None)


class Address(models.Model):
    """Where a customer receives goods. One address per customer is the default."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    province = models.CharField(_("province"), max_length=PROVINCE_MAX, blank=True, default="")
    city = models.CharField(_("city"), max_length=CITY_MAX, blank=True, default="")
    district = models.CharField(_("district"), max_length=DISTRICT_MAX, blank=True, default="")
    detail = models.CharField(_("street address"), max_length=DETAIL_MAX, blank=True, default="")
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "customer"],
                condition=Q(is_default=True),
                name="address_one_default_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return "".join(
            part for part in (self.province, self.city, self.district, self.detail) if part
        )

    @property
    def parts(self) -> tuple[str, str, str, str]:
        return (self.province, self.city, self.district, self.detail)


class Tag(models.Model):
    """A label a shop gives customers, e.g. VIP or 团长; free text, one row per shop and name."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="customer_tags")
    name = models.CharField(_("name"), max_length=TAG_MAX)

    class Meta:
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="customer_tag_name_per_shop"),
        ]

    def __str__(self) -> str:
        return self.name


class CustomerTag(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="customer_links")

    class Meta:
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "customer", "tag"], name="customer_tag_once_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.tag_id}"


class Identity(models.Model):
    """How a channel knows the customer: a WeChat id, a chat handle, a mini-shop user id."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(_("channel"), max_length=CHANNEL_MAX)
    external_id = models.CharField(_("id in that channel"), max_length=EXTERNAL_ID_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("channel identity")
        verbose_name_plural = _("channel identities")
        ordering = ["channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"], name="identity_once_per_shop"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class CustomerMerge(models.Model):
    """A record that a duplicate customer was folded into `kept`; the duplicate is gone, so
    its name and phone are kept here as they were."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="merges")
    merged_customer_id = models.BigIntegerField(_("merged customer number"))
    merged_name = models.CharField(_("merged name"), max_length=NAME_MAX)
    merged_phone = models.CharField(_("merged phone"), max_length=20, blank=True, default="")
    actor_label = models.CharField(_("merged by"), max_length=150)
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept_id}"
