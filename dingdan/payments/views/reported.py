"""Staff decide on the payments customers report from their order link: confirm (records
the payment), reject with a reason, and look at the screenshot — served here after the
permission check, never from a public address."""

import mimetypes

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dingdan.orders.selectors import orders as order_selectors
from dingdan.payments.selectors import reported as reported_selectors
from dingdan.payments.services import reported
from dingdan.payments.views.order_money import _attempt
from dingdan.ui.decorators import staff_view

REJECT_INPUTS = {"reason": "reject-reason"}


@staff_view
@require_POST
def confirm(request: HttpRequest, order_id: int, report_id: int) -> HttpResponse:
    actor = request.actor
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return _attempt(request, order, lambda: reported.confirm_reported_payment(
        actor=actor, order=order, report_id=report_id), {}, "confirm-",
        _("Reported payment confirmed and recorded."))


@staff_view
@require_POST
def reject(request: HttpRequest, order_id: int, report_id: int) -> HttpResponse:
    actor = request.actor
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return _attempt(request, order, lambda: reported.reject_reported_payment(
        actor=actor, order=order, report_id=report_id,
        reason=request.POST.get("reject-reason", "")), REJECT_INPUTS, "reject-",
        _("Reported payment rejected."))


def _image(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=mimetypes.guess_type(name)[0]
                            or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_GET
def screenshot(request: HttpRequest, order_id: int, report_id: int) -> HttpResponse:
    actor = request.actor
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return _image(*reported_selectors.screenshot_of(actor=actor, order=order,
                                                    report_id=report_id))


@staff_view
@require_GET
def proof(request: HttpRequest, order_id: int, payment_id: int) -> HttpResponse:
    actor = request.actor
    order = order_selectors.order_in_shop(actor.shop, order_id)
    return _image(*reported_selectors.proof_of(actor=actor, order=order,
                                               payment_id=payment_id))
