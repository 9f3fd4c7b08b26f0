"""The order page's money panel (through the `orders.page_context` hook: orders never import
payments) and its two forms, recording a payment and a refund.

Thin: the amounts typed in 元 become 分 here, everything else is `record_payment` and
`record_refund`. A refused form is shown again on the order page as typed, each message
next to its input."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.images import MAX_IMAGE_BYTES
from dingdan.localtime import parse_local_time, shop_time
from dingdan.money import format_yuan, parse_yuan
from dingdan.orders.selectors import orders as order_selectors
from dingdan.orders.states import PaymentStatus, Status
from dingdan.orders.views.orders import render_order_page
from dingdan.payments.models import Method, ReportedPayment
from dingdan.payments.selectors.entries import recorder_name
from dingdan.payments.selectors.ledger import payments_of, refunds_of
from dingdan.payments.selectors.money import order_money, refundable_by_payment
from dingdan.payments.services import payments, refunds
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import form_errors, staff_view
from dingdan.ui.errors import Show, refusal

TEMPLATE = "payments/_order_money.html"

# The service's field → the input that holds it.
PAYMENT_INPUTS = {"amount_cents": "pay-amount", "amount": "pay-amount", "method": "pay-method",
                  "reference": "pay-reference", "paid_at": "pay-paid-at", "proof": "pay-proof"}
REFUND_INPUTS = {"amount_cents": "refund-amount", "amount": "refund-amount",
                 "reason": "refund-reason", "method": "refund-method",
                 "reference": "refund-reference", "payment_id": "refund-payment"}
# Refusals about the amount as a whole (no field of their own) are shown at the amount.
AMOUNT_CONFLICTS = {"overpayment": "pay-amount", "refund_exceeds_paid": "refund-amount"}


def order_page_context(*, shop, order, actor=None) -> dict:
    return {"money_panel": money_panel(order, actor)}


def money_panel(order, actor, *, errors: dict | None = None, typed: dict | None = None,
                open_form: str = "") -> dict:
    """What the panel shows: the money, the ledger and, for the roles allowed, the forms."""
    entries = list(payments_of(order).select_related("recorded_by"))
    ledger = [_payment_row(order.shop, p) for p in entries]
    ledger += [_refund_row(order.shop, r) for r in refunds_of(order).select_related(
        "recorded_by")]
    ledger.sort(key=lambda row: row["sort_at"])
    role = getattr(actor, "role", None)
    left = refundable_by_payment(order)
    returnable = [
        {"id": p.pk, "label": f"{p.get_method_display()} ¥{format_yuan(p.amount_cents)}"
                              f"{' · ' + p.reference if p.reference else ''}",
         "refundable_cents": left[p.pk]}
        for p in entries if p.pk in left
    ]
    money = order_money(order)
    return {
        "reported": list(ReportedPayment.objects.filter(order=order).order_by("-id")[:5]),
        "may_decide": bool(role) and role_allows(role, "payments.record"),
        "template": TEMPLATE,
        "order_id": order.pk,
        "money": money,
        "status_label": PaymentStatus(money.payment_status).label,
        "ledger": ledger,
        "methods": Method.choices,
        "returnable": returnable,
        # A cancelled order takes no payment: no form to be refused by.
        "may_record": bool(role) and role_allows(role, "payments.record")
        and order.status != Status.CANCELLED,
        "may_refund": bool(role) and role_allows(role, "payments.refund"),
        "errors": errors or {},
        "typed": typed or {},
        "open_form": open_form,
    }


def _payment_row(shop, payment) -> dict:
    return {"kind": "payment", "sort_at": payment.created_at, "number": "", "id": payment.pk,
            "has_proof": bool(payment.proof),
            "at": shop_time(shop, payment.paid_at), "amount_cents": payment.amount_cents,
            "method": payment.get_method_display(), "reference": payment.reference,
            "who": recorder_name(payment), "status": payment.get_status_display(),
            "note": payment.failure_reason, "is_overpayment": payment.is_overpayment}


def _refund_row(shop, refund) -> dict:
    return {"kind": "refund", "sort_at": refund.created_at, "number": refund.number,
            "at": shop_time(shop, refund.created_at), "amount_cents": refund.amount_cents,
            "method": refund.get_method_display(), "reference": refund.reference,
            "who": recorder_name(refund), "status": refund.get_status_display(),
            "note": refund.reason, "is_overpayment": False, "has_proof": False}


def _typed(request: HttpRequest, prefix: str) -> dict:
    return {name.replace("-", "_"): value[:500] for name, value in request.POST.items()
            if name.startswith(prefix)}


def _attempt(request, order, action, inputs: dict, prefix: str, success: str) -> HttpResponse:
    """Run the service call; on a refusal show the order page again, the form as typed."""
    with refusal(request, show=Show.MESSAGE, passing=(403, 404)) as refused:
        action()
    if not refused:
        messages.success(request, success)
        return redirect("orders:detail", order_id=order.pk)
    errors = form_errors(refused.fields, inputs)
    code = getattr(refused.error, "code", "")
    if not errors and code in AMOUNT_CONFLICTS:
        errors[AMOUNT_CONFLICTS[code]] = refused.message
    order = order_selectors.order_in_shop(request.actor.shop, order.pk, with_events=True)
    panel = money_panel(order, request.actor, errors=errors, typed=_typed(request, prefix),
                        open_form=prefix.rstrip("-"))
    return render_order_page(request, order, extra={"money_panel": panel})


def _paid_at(request, shop):
    text = request.POST.get("pay-paid-at", "").strip()
    return parse_local_time(text, shop.timezone, "paid_at") if text else None


@staff_view
@require_POST
def record_payment(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "payments.record", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    post = request.POST
    upload = request.FILES.get("pay-proof")
    # One byte more than allowed is enough for the service to refuse a large file.
    proof = upload.read(MAX_IMAGE_BYTES + 1) if upload else None
    return _attempt(request, order, lambda: payments.record_payment(
        actor=actor, order=order,
        amount_cents=parse_yuan(post.get("pay-amount"), "amount"),
        method=post.get("pay-method", ""),
        reference=post.get("pay-reference", ""),
        paid_at=_paid_at(request, shop),
        allow_overpayment=post.get("pay-overpay") == "on",
        proof=proof,
    ), PAYMENT_INPUTS, "pay-", _("Payment recorded."))


@staff_view
@require_POST
def record_refund(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "payments.refund", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    post = request.POST
    payment_id = post.get("refund-payment", "")
    return _attempt(request, order, lambda: refunds.record_refund(
        actor=actor, order=order,
        amount_cents=parse_yuan(post.get("refund-amount"), "amount"),
        reason=post.get("refund-reason", ""),
        method=post.get("refund-method") or None,
        reference=post.get("refund-reference", ""),
        payment_id=int(payment_id) if payment_id.isdigit() else None,
    ), REFUND_INPUTS, "refund-", _("Refund recorded."))
