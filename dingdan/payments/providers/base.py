"""What the payments app asks of a payment provider and what it gets back.

Amounts are integer 分 (`*_cents`), times are aware datetimes. A provider never touches a
model: the payments app records what these answers say, idempotent on
`Notification.idempotency_key` (a provider sends the same notification more than once)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, Protocol

from dingdan.errors import DomainError, InvalidInput

PaymentKind = Literal["native", "jsapi"]


class PaymentState(StrEnum):
    """Where a provider's payment stands, in the payments app's words."""

    PENDING = "pending"  # created, not paid yet (or the payer is still paying)
    SUCCEEDED = "succeeded"  # paid
    REFUNDED = "refunded"  # paid, then (partly) refunded: the money was received
    CLOSED = "closed"  # closed or revoked unpaid: can no longer be paid
    FAILED = "failed"  # the payment attempt failed


class RefundState(StrEnum):
    PENDING = "pending"  # accepted by the provider, money on its way back
    SUCCEEDED = "succeeded"
    CLOSED = "closed"  # closed by the provider without paying out
    FAILED = "failed"  # abnormal: needs the merchant (e.g. the payer's card was closed)


@dataclass(frozen=True)
class CreatedPayment:
    """A payment opened at the provider, for the customer to pay.

    Native: show `code_url` as a QR code. JSAPI: hand `jsapi_params` to
    `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` / `wx.requestPayment` as they are."""

    out_trade_no: str
    kind: PaymentKind
    code_url: str | None = None
    jsapi_params: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as the provider reports it (query or notification)."""

    provider: str
    out_trade_no: str
    state: PaymentState
    amount_cents: int  # what was asked for
    currency: str
    transaction_id: str | None = None  # the provider's id, once paid
    payer_paid_cents: int | None = None  # what the payer paid (coupons may make it less)
    paid_at: datetime | None = None
    payer_openid: str | None = None
    trade_type: str | None = None
    state_description: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_paid(self) -> bool:
        """The money was received (a refund since does not undo that it was paid)."""
        return self.state in (PaymentState.SUCCEEDED, PaymentState.REFUNDED)


@dataclass(frozen=True)
class ProviderRefund:
    provider: str
    out_refund_no: str
    state: RefundState
    amount_cents: int  # refunded
    total_cents: int  # of the payment it returns
    refund_id: str | None = None
    out_trade_no: str | None = None
    transaction_id: str | None = None
    currency: str = "CNY"
    refunded_at: datetime | None = None
    received_account: str = ""  # where the money goes back, e.g. "招商银行信用卡0403"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Notification:
    """A verified, decrypted notification. `kind` "other" is an event this code does not act
    on: acknowledge it, so the provider stops sending it."""

    provider: str
    id: str
    event_type: str
    kind: Literal["payment", "refund", "other"]
    created_at: datetime | None = None
    summary: str = ""
    payment: ProviderPayment | None = None
    refund: ProviderRefund | None = None

    @property
    def idempotency_key(self) -> str:
        """The same payment or refund, however often it is notified: the caller records it
        once under this key (the provider's transaction id or refund id)."""
        if self.payment is not None and self.payment.transaction_id:
            return f"{self.provider}:transaction:{self.payment.transaction_id}"
        if self.refund is not None and self.refund.refund_id:
            return f"{self.provider}:refund:{self.refund.refund_id}"
        return f"{self.provider}:notification:{self.id}"


@dataclass(frozen=True)
class NotificationReply:
    """What to answer the provider's notification request with."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"


class InvalidNotification(DomainError):
    """A notification that is not provably from the provider or cannot be read: refused,
    nothing recorded. `reason` is one of REASONS."""

    status = 400
    code = "invalid_notification"
    REASONS = frozenset(
        {
            "missing_header",
            "stale_timestamp",
            "unknown_serial",
            "bad_signature",
            "malformed_body",
            "unsupported_algorithm",
            "bad_ciphertext",
            "wrong_merchant",
        }
    )

    def __init__(self, reason: str, message: str) -> None:
        assert reason in self.REASONS, reason
        super().__init__(message, details={"reason": reason})
        self.reason = reason


class InvalidProviderConfig(InvalidInput):
    """A provider setting that cannot work (a key that does not load, an APIv3 key of the
    wrong length …); `fields` names each one with what is wrong."""

    code = "invalid_provider_config"


class ProviderError(DomainError):
    """The provider could not do what was asked. `provider_code` is the provider's own
    error code (e.g. "PARAM_ERROR"), `http_status` its HTTP status (0: no answer)."""

    status = 502
    code = "payment_provider_error"
    retryable = False

    def __init__(self, message: str, *, provider_code: str = "", http_status: int = 0) -> None:
        super().__init__(
            message, details={"provider_code": provider_code, "http_status": http_status}
        )
        self.provider_code = provider_code
        self.http_status = http_status


class ProviderRefused(ProviderError):
    """The provider answered and said no (bad parameter, not enough balance to refund …)."""

    status = 409
    code = "payment_provider_refused"


class ProviderUnavailable(ProviderError):
    """No answer, a timeout, or the provider's own failure: the outcome is unknown, so retry
    with the same out_trade_no / out_refund_no (the provider is idempotent on them)."""

    status = 503
    code = "payment_provider_unavailable"
    retryable = True


class ProviderAnswerInvalid(ProviderError):
    """An answer that is not provably from the provider (bad or missing signature) or that
    cannot be read: never acted on."""

    code = "payment_provider_bad_answer"


class PaymentProvider(Protocol):
    """One outside payment service for one shop's account."""

    name: str

    def create_payment(
        self,
        order_ref: str,
        amount_cents: int,
        description: str,
        kind: PaymentKind = "native",
        payer_openid: str | None = None,
        expires_at: datetime | None = None,
    ) -> CreatedPayment:
        """Open a payment of `amount_cents` under the caller's unique `order_ref`."""
        ...

    def query_payment(self, out_trade_no: str) -> ProviderPayment | None:
        """The payment as the provider sees it now; None when it never was created. Ask
        before auto-cancelling an unpaid order, so a paid order is never cancelled."""
        ...

    def close_payment(self, out_trade_no: str) -> None:
        """Stop an unpaid payment from being paid later."""
        ...

    def refund(
        self,
        out_trade_no: str,
        out_refund_no: str,
        amount_cents: int,
        total_cents: int,
        reason: str,
    ) -> ProviderRefund:
        """Return `amount_cents` of the payment; idempotent on `out_refund_no`."""
        ...

    def query_refund(self, out_refund_no: str) -> ProviderRefund | None: ...

    def parse_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Verify and read a notification request; raises InvalidNotification."""
        ...

    def reply_to_notification(self, error: Exception | None = None) -> NotificationReply:
        """The answer that tells the provider the notification was taken (error None) or
        must be sent again."""
        ...
