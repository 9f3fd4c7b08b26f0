"""The customer's own order page at /o/<token>: see the order and its progress, change it
(freely before the shop confirms it, as a request afterwards), withdraw a request, cancel
while that is still allowed. No login: the link is the key."""

import mimetypes

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dingdan import ratelimit
from dingdan.errors import InvalidInput, NotFound
from dingdan.fulfillment.selectors.customer import (
    may_confirm_receipt,
    shipments_for_customer,
    still_to_come,
)
from dingdan.fulfillment.selectors.pickups import open_pickups_for_customer
from dingdan.fulfillment.selectors.substitutes import open_offers_for_customer
from dingdan.fulfillment.services import substitutes, tracking
from dingdan.orders import states
from dingdan.orders.models import ChangeRequestStatus, Order
from dingdan.orders.services import customer_changes, lifecycle, placement
from dingdan.payments.models import Method, PaymentQrCode, ReportedPayment, ReportStatus
from dingdan.payments.selectors.wechatpay import open_native_payment, takes_wechat_pay
from dingdan.payments.services import reported, wechatpay_payments
from dingdan.shops.actors import ActorKind
from dingdan.shops.config import shop_settings
from dingdan.ui.codes import qr_svg
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number

from . import presenting

# "I have paid" may carry a screenshot: a few reports a minute from one client at most.
REPORT_RATE = ratelimit.Rate("order-report-payment", requests=5, seconds=60)

@require_http_methods(["GET", "POST"])
def order_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        order = customer_changes.order_for_link(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    problem, status, typed = "", 200, {}
    if request.method == "POST" and request.POST.get("op") in ("paid", "wechat_pay"):
        wait = ratelimit.take(REPORT_RATE, ratelimit.client_address(request))
        if wait:
            response = HttpResponse(_("Too many attempts: try again in %(n)s seconds.")
                                    % {"n": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
    if request.method == "POST":
        typed = request.POST
        with refusal() as refused:
            return redirect(f"{request.path}?done={_act(request, order)}")
        problem, status = refused.error.message, refused.status
        order.refresh_from_db()
    response = render(request, "storefront/order.html",
                      _context(request, order, problem, typed), status=status)
    response["Referrer-Policy"] = "same-origin"  # the link never leaks to other sites
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET"])
def payment_qr(request: HttpRequest, token: str, qr_id: int) -> HttpResponse:
    """One of the shop's payment QR images, for the holder of one of its order links."""
    try:
        order = customer_changes.order_for_link(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    qr = PaymentQrCode.objects.filter(pk=qr_id, shop_id=order.shop_id).first()
    if qr is None:
        raise Http404(_("Not found."))
    with qr.image.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=mimetypes.guess_type(qr.image.name)[0]
                            or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "same-origin"
    return response


def _act(request: HttpRequest, order: Order) -> str:
    op = request.POST.get("op")
    if op == "cancel":
        lifecycle.cancel_order(actor=customer_changes.customer_actor(order), order=order,
                               reason=states.CancelReason.CUSTOMER_REQUEST,
                               note=request.POST.get("reason", "")[:300])
        return "cancelled"
    if op == "received":
        tracking.confirm_received(order=order)
        return "received"
    if op == "withdraw":
        customer_changes.withdraw_by_customer(order=order)
        return "withdrawn"
    if op in ("accept_substitute", "decline_substitute"):
        offer_id = parse_whole_number(request.POST.get("offer"), "offer")
        if op == "accept_substitute":
            substitutes.accept_substitute(order=order, offer_id=offer_id)
            return "substitute_accepted"
        substitutes.decline_substitute(order=order, offer_id=offer_id)
        return "substitute_declined"
    if op == "wechat_pay":
        wechatpay_payments.wechat_pay_code(order)
        return "wechat_pay"
    if op == "paid":
        upload = request.FILES.get("screenshot")
        # One byte more than allowed is enough for the service to refuse a large file.
        reported.report_payment(
            order=order, method=request.POST.get("pay-method", ""),
            reference=request.POST.get("pay-reference", ""),
            screenshot=upload.read(reported.MAX_SCREENSHOT_BYTES + 1) if upload else None)
        return "reported"
    if op != "change":
        raise InvalidInput(_("Unknown action."))
    version = parse_whole_number(request.POST.get("version"), "version")
    lines = []
    for line in order.lines.all():
        quantity = parse_whole_number(request.POST.get(f"qty-{line.pk}", line.quantity),
                                      f"qty-{line.pk}")
        if not 0 <= quantity <= placement.MAX_QUANTITY:
            raise InvalidInput(_("A quantity must be from 0 to %(max)s.")
                               % {"max": placement.MAX_QUANTITY})
        if quantity:
            lines.append((line.sku, quantity))
    if not lines:
        raise InvalidInput(_("Keep at least one product, or cancel the order instead."))
    result = customer_changes.change_by_customer(
        order=order, version=version, lines=lines,
        address=request.POST.get("address"), note=request.POST.get("note"),
        message=request.POST.get("message", ""),
    )
    return "changed" if isinstance(result, Order) else "requested"


DONE = {
    "cancelled": lambda: _("Your order is cancelled."),
    "withdrawn": lambda: _("Your change request is withdrawn."),
    "received": lambda: _("Thank you for confirming: your order is delivered."),
    "substitute_accepted": lambda: _("You accepted the substitute: your order is changed "
                                     "as shown below."),
    "substitute_declined": lambda: _("You declined the substitute: your order stays as it "
                                     "was."),
    "changed": lambda: _("Your order is changed."),
    "requested": lambda: _("The shop has your change request and will answer soon."),
    "reported": lambda: _("Thank you: the shop will check your payment and confirm it."),
    "wechat_pay": lambda: _("Scan the code with WeChat to pay. This page shows the payment "
                            "once WeChat Pay confirms it."),
    "joined": lambda: _("You joined the group buy. This page is your order: keep its link "
                        "to see or change it."),
}


def _wechat_pay(order: Order) -> dict:
    """The WeChat Pay button where the shop has an account, and the code to scan once the
    customer asked for one (shown again while it stays payable)."""
    if order.balance_due_cents <= 0 or not takes_wechat_pay(order.shop):
        return {"takes_wechat_pay": False, "wechat_pay_code": None}
    attempt = open_native_payment(order)
    return {"takes_wechat_pay": True,
            "wechat_pay_code": qr_svg(attempt.code_url, title=_("WeChat Pay")) if attempt
            else None}


def _context(request: HttpRequest, order: Order, problem: str, typed) -> dict:
    request_ = presenting.latest_request(order)
    lines = list(order.lines.all())
    return {
        "order": order,
        "shop": order.shop,
        "lines": [(line, typed.get(f"qty-{line.pk}", line.quantity)) for line in lines],
        "address": typed.get("address", presenting.address_of(order)),
        "note": typed.get("note", order.note),
        "message": typed.get("message", ""),
        "history": presenting.history(order),
        "change_request": request_,
        "request_open": request_ is not None and request_.status == ChangeRequestStatus.PENDING,
        "can_change": states.is_editable(order.status),
        "changes_need_approval": not states.customer_changes_freely(order.status),
        "can_cancel": states.Status.CANCELLED in states.allowed_targets(
            order.status, ActorKind.CUSTOMER),
        "problem": problem,
        "payment_report": ReportedPayment.objects.filter(order=order).order_by("-id").first(),
        "report_statuses": ReportStatus,
        "payment_instructions": shop_settings(order.shop).payment_instructions,
        "qr_codes": PaymentQrCode.objects.filter(shop_id=order.shop_id),
        **_wechat_pay(order),
        "shipments": shipments_for_customer(order),
        "may_confirm_receipt": may_confirm_receipt(order),
        "still_to_come": still_to_come(order),
        "methods": Method.choices,
        "max_message": customer_changes.MAX_MESSAGE,
        "done": DONE.get(request.GET.get("done", ""), lambda: "")(),
        "pickups": open_pickups_for_customer(order),
        "substitute_offers": [
            {"offer": offer, "amount_cents": abs(offer.difference_cents),
             "is_dearer": offer.difference_cents > 0, "is_cheaper": offer.difference_cents < 0}
            for offer in open_offers_for_customer(order)],
    }
