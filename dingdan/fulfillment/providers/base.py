"""What the fulfillment app asks of a tracking service and what it gets back.

A provider is asked to watch a tracking number (`subscribe`) and later pushes what it saw
to our callback; `parse_push` proves the push is the provider's and reads it into events
in our statuses. Times are aware datetimes. A provider never touches a model: the
shipments code records what a push says, each event once under its `idempotency_key`
(a provider sends the whole history again with every update, and retries)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from dingdan.errors import DomainError


class ShipmentStatus(StrEnum):
    """Where a shipment stands, in the fulfillment app's words."""

    PACKED = "packed"  # the waybill exists, the carrier has not collected it yet
    SHIPPED = "shipped"  # collected by the carrier
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"  # with the courier, or in a locker / station
    DELIVERED = "delivered"
    EXCEPTION = "exception"  # needs someone: refused, lost, held, undeliverable …
    RETURNED = "returned"  # on its way back to the shop, or back
    CANCELLED = "cancelled"  # the waybill was cancelled


@dataclass(frozen=True)
class TrackingEvent:
    """One step of the journey as the carrier reported it."""

    at: datetime  # aware
    status: ShipmentStatus | None  # None: the provider did not say, or said something new
    detail: str  # the carrier's own words, e.g. "【深圳市】快件已揽收"
    location: str = ""
    provider_status: str = ""  # the provider's code or name for this step, as sent
    idempotency_key: str = ""  # the same step has the same key in every push


@dataclass(frozen=True)
class TrackingPush:
    """A verified push: the shipment's current status and its events, oldest first."""

    provider: str
    carrier_code: str  # ours ("sf"); "" when the provider names a carrier we do not know
    tracking_number: str
    status: ShipmentStatus | None
    events: tuple[TrackingEvent, ...]
    provider_carrier_code: str = ""  # the provider's own ("shunfeng")
    is_final: bool = False  # the provider stopped watching: delivered, or gave up
    gave_up: bool = False  # stopped without an end (no record for days): subscribe again
    message: str = ""  # the provider's note, e.g. "3天查询无记录"


@dataclass(frozen=True)
class Subscription:
    """The provider took the number; `already_subscribed` when it was watching it already."""

    provider: str
    carrier_code: str
    tracking_number: str
    already_subscribed: bool = False
    message: str = ""


@dataclass(frozen=True)
class PushReply:
    """What to answer the provider's push request with."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"


class InvalidPush(DomainError):
    """A push that cannot be read although it is signed (a body, a field, a time): refused,
    nothing recorded. `reason` says which."""

    status = 400
    code = "invalid_tracking_push"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, details={"reason": reason})
        self.reason = reason


class InvalidSignature(InvalidPush):
    """A push not provably from the provider: no signature, or one that does not verify
    (a wrong salt, a changed body). Never acted on."""

    code = "invalid_tracking_signature"


class InvalidProviderConfig(DomainError):
    """A provider setting that cannot work (an empty key or salt); `fields` names each."""

    status = 400
    code = "invalid_tracking_provider_config"


class ProviderError(DomainError):
    """The provider could not do what was asked. `provider_code` is the provider's own
    code (e.g. "700"), `http_status` its HTTP status (0: no answer)."""

    status = 502
    code = "tracking_provider_error"
    retryable = False

    def __init__(self, message: str, *, provider_code: str = "", http_status: int = 0) -> None:
        super().__init__(
            message, details={"provider_code": provider_code, "http_status": http_status}
        )
        self.provider_code = provider_code
        self.http_status = http_status


class ProviderRefused(ProviderError):
    """The provider answered and said no (a wrong key, a carrier it does not take …)."""

    status = 409
    code = "tracking_provider_refused"


class ProviderUnavailable(ProviderError):
    """No answer, a timeout, a 5xx or the provider's own failure: try again later."""

    status = 503
    code = "tracking_provider_unavailable"
    retryable = True


class TrackingProvider(Protocol):
    """One outside tracking service for one shop's account."""

    name: str

    def supports(self, carrier_code: str) -> bool:
        """Whether the provider can watch this carrier's numbers (a shop's own carrier
        usually not: then there is nothing to subscribe to)."""
        ...

    def subscribe(
        self,
        carrier_code: str,
        tracking_number: str,
        *,
        callback_url: str,
        phone: str | None = None,
    ) -> Subscription:
        """Ask to be pushed this number's updates at `callback_url`; `phone` is the
        receiver's or sender's (some carriers, SF first, show the journey only with it)."""
        ...

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> TrackingPush:
        """Verify, then read a push request's raw body; raises InvalidSignature or
        InvalidPush."""
        ...

    def reply_to_push(self, error: Exception | None = None) -> PushReply:
        """The answer that tells the provider the push was taken (error None) or must be
        sent again."""
        ...
