"""Group-buy campaigns (团购): what is sold at which price until the cut-off, where customers
pick up, and the chain entries imported into orders. Pickup points themselves belong to fulfilment
(`fulfillment.models.PickupPoint`): a pickup shipment waits at one.

An order is linked to its campaign through the `ChainEntry` it was created from; the orders
app knows nothing of campaigns. A `ChainImport` is one pasted chain as the merchant saw it in
the preview: nothing becomes an order until it is confirmed."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.fulfillment.models import PickupPoint
from dingdan.orders.models import Order
from dingdan.shops.models import Shop


class Fulfilment(models.TextChoices):
    PICKUP = "pickup", _("Pickup points")
    DELIVERY = "delivery", _("Delivery")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


def new_join_token() -> str:
    return secrets.token_urlsafe(18)


class Campaign(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    cut_off_at = models.DateTimeField(_("cut-off"))
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    fulfilment = models.CharField(
        _("fulfilment"), max_length=16, choices=Fulfilment.choices, default=Fulfilment.PICKUP
    )
    pickup_points = models.ManyToManyField(
        PickupPoint, through="CampaignPickupPoint", related_name="campaigns", blank=True
    )
    rules = models.TextField(_("rules and notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    # When it stopped taking entries by being closed (at its cut-off or by hand); None while
    # open. Entries seen in a paste before both this and the cut-off stay on time.
    closed_at = models.DateTimeField(null=True, blank=True)
    # The organiser: told when the campaign closes itself. None (made over the API, or the
    # person left) means the shop's owners.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The secret in the campaign's public join link (/join/<join_token>/); staff replace it
    # to retire a link that went too far.
    join_token = models.CharField(max_length=32, default=new_join_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-cut_off_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_known"
            ),
            models.CheckConstraint(
                condition=Q(fulfilment__in=Fulfilment.values), name="campaign_fulfilment_known"
            ),
            # Looked up by the token alone, like an order's customer link.
            models.UniqueConstraint(fields=["join_token"], name="campaign_join_token_unique"),
        ]
        indexes = [models.Index(fields=["shop", "-cut_off_at"], name="campaign_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def took_entries_until(self):
        """The moment it stopped taking entries: its cut-off, or when it was closed if that
        came first. An entry seen in a paste made by then is on time."""
        if self.closed_at is not None and self.closed_at < self.cut_off_at:
            return self.closed_at
        return self.cut_off_at


class CampaignPickupPoint(models.Model):
    """A pickup point offered in one campaign (carries shop_id like every tenant table)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    pickup_point = models.ForeignKey(PickupPoint, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "campaign", "pickup_point"], name="campaign_point_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.pickup_point_id}"


class CampaignItem(models.Model):
    """A catalog SKU sold in a campaign at the campaign's price, maybe limited."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    price_cents = models.PositiveBigIntegerField(_("campaign price (fen)"))
    per_person_limit = models.PositiveIntegerField(_("limit per person"), null=True, blank=True)
    total_cap = models.PositiveIntegerField(_("total available"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "campaign", "variant"], name="campaign_item_once"
            ),
            models.CheckConstraint(
                condition=Q(per_person_limit__isnull=True) | Q(per_person_limit__gt=0),
                name="campaign_item_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(total_cap__isnull=True) | Q(total_cap__gt=0),
                name="campaign_item_cap_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant.sku} @ {self.price_cents}"


class EntrySource(models.TextChoices):
    CHAIN = "chain", _("Pasted chain")
    PAGE = "page", _("Join page")


class ChainEntry(models.Model):
    """One chain entry imported into an order. `identity_key` recognises the entry when the
    chain is pasted again (see docs/chains.md); `content_hash` is what the chain said when
    it was imported, `customer` … `note` what the order was made from (after any fix).

    An entry made on the campaign's join page (`source` page) has the chain line dingdan
    wrote for it in `text` (without its number); its key and hash are those of that line."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    identity_key = models.CharField(max_length=160)
    seq = models.PositiveIntegerField()
    customer = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=200, blank=True)
    pickup_point = models.ForeignKey(
        PickupPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(default=list)  # [{"sku": …, "quantity": …}]
    note = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=8, choices=EntrySource.choices,
                              default=EntrySource.CHAIN)
    text = models.CharField(max_length=1000, blank=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seq", "id"]
        constraints = [
            # The import's guard against creating an entry's order twice.
            models.UniqueConstraint(
                fields=["shop", "campaign", "identity_key"], name="chain_entry_once"
            ),
            models.UniqueConstraint(fields=["shop", "order"], name="chain_entry_one_order"),
            models.CheckConstraint(condition=Q(source__in=EntrySource.values),
                                   name="chain_entry_source_known"),
        ]
        indexes = [models.Index(fields=["shop", "campaign", "seq"], name="chain_entry_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.customer}"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


class ChainImport(models.Model):
    """A pasted chain as previewed: its entries (JSON, fixable inline) wait for the merchant
    to confirm; the result of the confirmation is kept, so confirming again changes nothing."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports")
    text = models.TextField()
    entries = models.JSONField(default=list)
    # Entries imported earlier that this paste no longer has: [{"seq", "customer", "order"}].
    missing = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    result = models.JSONField(null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "campaign", "created_at"], name="chain_import_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.status}"
