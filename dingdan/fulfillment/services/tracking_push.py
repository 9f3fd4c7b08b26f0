"""A tracking service (快递100) watching a shop's express shipments and pushing their steps.

A shipment made with a tracking number of a carrier 快递100 knows, in a shop with an
account, gets a `TrackingSubscription` in the same transaction; after commit a task asks
快递100 to watch the number (`subscribe_shipment`). A push is verified with the shop's salt,
matched to its subscription by the token in the callback's query string and to the number
in the body, and each step recorded once (`tracking.record_tracking_event` with the step's
`idempotency_key`), oldest first, so the shipment's status and the order follow."""

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dingdan.fulfillment.models import (
    Method,
    Shipment,
    ShipmentStatus,
    SubscriptionStatus,
    TrackingSubscription,
)
from dingdan.fulfillment.providers.base import (
    InvalidProviderConfig,
    InvalidPush,
    ProviderRefused,
    ProviderUnavailable,
    PushReply,
    TrackingPush,
)
from dingdan.fulfillment.providers.kuaidi100 import COMPANY_CODES, push_reply
from dingdan.fulfillment.selectors.tracking_accounts import (
    callback_url_for,
    kuaidi100_for,
    subscription_by_token,
    tracking_account,
)
from dingdan.fulfillment.services import tracking
from dingdan.secret_box import SecretUnreadable
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop

logger = logging.getLogger(__name__)

# When 快递100 cannot be reached: try again after these, then leave it `unavailable`.
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=6), timedelta(hours=24))
# 快递100 allows 4 subscriptions of a number a month: after it gave up, not sooner than this.
RESUBSCRIBE_AFTER = timedelta(minutes=30)
MAX_MESSAGE = 200


class UnknownShipment(InvalidPush):
    """A verified push naming no shipment of the shop: refused (400), nothing recorded."""

    code = "unknown_shipment"

    def __init__(self, message: str) -> None:
        super().__init__("unknown_shipment", message)


@dataclass(frozen=True)
class Attempt:
    """What asking 快递100 came to, and when to ask again (None: not again)."""

    status: str
    retry_after: timedelta | None = None


def is_watchable(shipment: Shipment) -> bool:
    return (shipment.method == Method.EXPRESS and bool(shipment.tracking_number)
            and shipment.carrier in COMPANY_CODES
            and shipment.status != ShipmentStatus.CANCELLED)


def watch_shipment(shipment: Shipment) -> TrackingSubscription | None:
    """Inside the transaction that made the shipment: a subscription for it when the shop
    has an account and 快递100 knows the carrier, and after commit the task that asks
    快递100 to watch it (a task for a rolled-back shipment would find nothing)."""
    if not is_watchable(shipment) or tracking_account(shipment.shop) is None:
        return None
    subscription = TrackingSubscription.objects.create(
        shop_id=shipment.shop_id, shipment=shipment, token=secrets.token_urlsafe(18))
    _enqueue_after_commit(subscription, delay=None)
    return subscription


def rewatch_shipment(shipment: Shipment) -> TrackingSubscription | None:
    """The shipment's tracking number was added or corrected: the number is watched afresh
    (a new token, so pushes for the old number no longer match)."""
    TrackingSubscription.objects.filter(shipment=shipment).delete()
    return watch_shipment(shipment)


def _enqueue_after_commit(subscription: TrackingSubscription, *, delay: timedelta | None) -> None:
    from dingdan.fulfillment.tasks import subscribe_to_tracking

    shop_id, subscription_id = subscription.shop_id, subscription.pk

    def enqueue() -> None:
        try:
            task = subscribe_to_tracking
            if delay is not None:
                task = task.using(run_after=timezone.now() + delay)
            task.enqueue(shop_id, subscription_id)
        except Exception:
            # The shipment is committed; the subscription stays pending for a later try.
            logger.exception("could not schedule tracking subscription %s", subscription_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def subscribe_shipment(*, shop_id: int, subscription_id: int) -> str:
    """Ask 快递100 to watch the subscription's number, pushing to its callback URL with the
    receiver's phone (SF and some ZTO numbers need it). Taken (or watched already):
    subscribed. Unreachable: tried again later, by the delays above. Refused: the reason is
    kept on the subscription, shown on the shipment, and logged. A subscription already
    taken, or for a shipment cancelled meanwhile, is left as it is: safe to run twice."""
    subscription = (TrackingSubscription.objects.select_for_update()
                    .select_related("shipment__order", "shop")
                    .filter(pk=subscription_id, shop_id=shop_id).first())
    if subscription is None or subscription.status in (SubscriptionStatus.SUBSCRIBED,
                                                       SubscriptionStatus.FINISHED):
        return "nothing_to_do"
    shipment = subscription.shipment
    if not is_watchable(shipment):
        return "nothing_to_do"
    subscription.attempts += 1
    try:
        provider = kuaidi100_for(subscription.shop)
        if provider is None:
            return _settle(subscription, SubscriptionStatus.REFUSED, "no 快递100 account")
        answer = provider.subscribe(
            shipment.carrier, shipment.tracking_number,
            callback_url=callback_url_for(subscription, subscription.shop),
            phone=shipment.order.customer_phone or None)
    except ProviderUnavailable as error:
        retries_left = subscription.attempts <= len(RETRY_DELAYS)
        status = SubscriptionStatus.PENDING if retries_left else SubscriptionStatus.UNAVAILABLE
        _settle(subscription, status, str(error))
        if retries_left:
            _enqueue_after_commit(subscription, delay=RETRY_DELAYS[subscription.attempts - 1])
        return status
    except (ProviderRefused, InvalidProviderConfig, SecretUnreadable) as error:
        logger.warning("快递100 refused shipment %s (%s): %s", shipment.number,
                       getattr(error, "provider_code", error.code), error)
        return _settle(subscription, SubscriptionStatus.REFUSED, str(error))
    subscription.subscribed_at = timezone.now()
    return _settle(subscription, SubscriptionStatus.SUBSCRIBED, answer.message)


def _settle(subscription: TrackingSubscription, status: str, message: str) -> str:
    subscription.status = status
    subscription.message = (message or "")[:MAX_MESSAGE]
    subscription.save(update_fields=["status", "message", "attempts", "subscribed_at",
                                     "updated_at"])
    return status


def receive_kuaidi100_push(*, shop: Shop, token: str, headers: Mapping[str, str],
                           body: bytes) -> PushReply:
    """A push from 快递100 for the shop: verified with the shop's salt before anything is
    read, matched to the subscription named by `token` and to its number, each step
    recorded once. The reply is what 快递100 wants: 200 taken (also a push seen before),
    400 refused (not signed by the salt, unreadable, not one of the shop's shipments), 500
    when recording failed, so that 快递100 pushes again."""
    try:
        provider = kuaidi100_for(shop)
    except SecretUnreadable as error:  # SECRET_KEY changed: 500, pushed again once fixed
        logger.exception("the 快递100 account of shop %s can no longer be read", shop.slug)
        return push_reply(error)
    if provider is None:
        return push_reply(UnknownShipment("this shop has no 快递100 account"))
    try:
        push = provider.parse_push(headers, body)
        subscription = _subscription_for(shop, token, push)
    except InvalidPush as error:
        return push_reply(error)
    try:
        record_push(subscription=subscription, push=push)
    except Exception as error:
        logger.exception("could not record a 快递100 push for shipment %s",
                         subscription.shipment.number)
        return push_reply(error)
    return push_reply()


def _subscription_for(shop: Shop, token: str, push: TrackingPush) -> TrackingSubscription:
    subscription = subscription_by_token(shop, token)
    if subscription is None or subscription.shipment.tracking_number != push.tracking_number:
        raise UnknownShipment("no shipment of this shop has this number and token")
    if push.carrier_code and push.carrier_code != subscription.shipment.carrier:
        # 快递100 corrects a wrong company code after three days; the number and the token
        # still name the shipment.
        logger.info("快递100 pushes shipment %s under %s", subscription.shipment.number,
                    push.provider_carrier_code)
    return subscription


@transaction.atomic
def record_push(*, subscription: TrackingSubscription, push: TrackingPush) -> None:
    """Each step of the push once, oldest first, as the tracking service's steps. A step
    without a status we know keeps the one before it (its words still belong in the
    journey). A push for a shipment cancelled since is taken and recorded nowhere. After
    快递100 gave up, the number is subscribed again in half an hour."""
    shipment = subscription.shipment
    actor = Actor.system(subscription.shipment.order.shop)
    if shipment.status == ShipmentStatus.CANCELLED:
        return
    status = shipment.status
    for step in push.events:
        status = step.status or status
        if status == ShipmentStatus.CANCELLED:
            continue  # a cancelled waybill is the merchant's to cancel, not the push's
        tracking.record_tracking_event(
            actor=actor, shipment=shipment, status=status, detail=step.detail, at=step.at,
            location=step.location, idempotency_key=step.idempotency_key,
            source="provider")
    subscription = TrackingSubscription.objects.select_for_update().get(pk=subscription.pk)
    if push.gave_up:
        subscription.status = SubscriptionStatus.GAVE_UP
        subscription.message = push.message[:MAX_MESSAGE]
        subscription.attempts = 0
        subscription.save(update_fields=["status", "message", "attempts", "updated_at"])
        _enqueue_after_commit(subscription, delay=RESUBSCRIBE_AFTER)
    elif push.is_final and subscription.status != SubscriptionStatus.FINISHED:
        subscription.status = SubscriptionStatus.FINISHED
        subscription.save(update_fields=["status", "updated_at"])


def subscribe_pending() -> int:
    """The worker's catch-up (`worker.starting`): every subscription still pending after a
    few minutes (its task could not be queued, or was lost) is tried now."""
    cut_off = timezone.now() - timedelta(minutes=5)
    pending = list(TrackingSubscription.objects.filter(
        status=SubscriptionStatus.PENDING, updated_at__lt=cut_off).values_list("shop_id", "pk"))
    for shop_id, subscription_id in pending:
        try:
            subscribe_shipment(shop_id=shop_id, subscription_id=subscription_id)
        except Exception:
            logger.exception("tracking subscription %s not caught up", subscription_id)
    return len(pending)
