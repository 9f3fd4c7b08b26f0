"""Reading a shop's tracking service account: masked for its settings page, or as the
provider the services call (its secrets decrypted only for that), and the callback URL a
subscription gives the service."""

from urllib.parse import urlencode

from django.conf import settings

from dingdan.fulfillment.models import (
    Shipment,
    SubscriptionStatus,
    TrackingAccount,
    TrackingSubscription,
)
from dingdan.fulfillment.providers.kuaidi100 import DEFAULT_BASE_URL, Kuaidi100
from dingdan.secret_box import decrypt_secret, mask_secret
from dingdan.shops.models import Shop

PUSH_PATH = "/api/v1/tracking/kuaidi100/{slug}"


def tracking_account(shop: Shop) -> TrackingAccount | None:
    return TrackingAccount.objects.filter(shop=shop).first()


def masked_tracking_account(shop: Shop) -> dict[str, str] | None:
    """What the settings page shows: that a key and a salt are saved, the key masked."""
    account = tracking_account(shop)
    if account is None:
        return None
    return {"key": mask_secret(decrypt_secret(account.key_encrypted)),
            "salt": mask_secret(decrypt_secret(account.salt_encrypted)),
            "updated_at": account.updated_at}


def kuaidi100_base_url() -> str:
    """快递100's address; a setting only so that tests can point it at a local server."""
    return getattr(settings, "KUAIDI100_BASE_URL", DEFAULT_BASE_URL)


def kuaidi100_for(shop: Shop) -> Kuaidi100 | None:
    """The shop's 快递100 provider, or None when the shop has no account."""
    account = tracking_account(shop)
    if account is None:
        return None
    return Kuaidi100(decrypt_secret(account.key_encrypted),
                     decrypt_secret(account.salt_encrypted), base_url=kuaidi100_base_url())


def push_url_for(shop: Shop) -> str:
    return settings.SITE_URL + PUSH_PATH.format(slug=shop.slug)


def callback_url_for(subscription: TrackingSubscription, shop: Shop) -> str:
    """Where 快递100 pushes this shipment's steps: the shop's push URL with the
    subscription's token, which 快递100 sends back in the query string unchanged."""
    return push_url_for(shop) + "?" + urlencode({"shipment": subscription.token})


def subscription_by_token(shop: Shop, token: str) -> TrackingSubscription | None:
    if not token:
        return None
    return (TrackingSubscription.objects.filter(shop=shop, token=token)
            .select_related("shipment__order").first())


def tracking_watch(shipment: Shipment) -> dict[str, str] | None:
    """What a shipment's page shows of its tracking service: whether 快递100 watches it
    and, when it refused or gave up, what it said (None: not watched)."""
    subscription = TrackingSubscription.objects.filter(
        shop_id=shipment.shop_id, shipment=shipment).first()
    if subscription is None:
        return None
    return {"status": subscription.status,
            "label": str(SubscriptionStatus(subscription.status).label),
            "message": subscription.message}
