"""The payment QR codes page: the owner uploads the shop's WeChat or Alipay collection
codes (shown to customers on their order link while money is due) and removes old ones."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.images import MAX_IMAGE_BYTES
from dingdan.payments.models import PaymentQrCode
from dingdan.payments.services import qr_codes
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view


@staff_view
def payment_qr_settings(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.FILES.get("image")
        # One byte more than allowed is enough for the service to refuse a large file.
        data = upload.read(MAX_IMAGE_BYTES + 1) if upload else b""
        if attempt(request, lambda: qr_codes.add_payment_qr(
                actor=actor, shop=actor.shop, label=request.POST.get("label", ""), data=data),
                success=_("QR code added."), errors=errors):
            return redirect("web:payment_qr_settings")
    return render(request, "web/payment_qr_settings.html", {
        "codes": PaymentQrCode.objects.filter(shop=actor.shop),
        "field_errors": errors, "label": request.POST.get("label", ""),
    }, status=400 if errors else 200)


@staff_view
@require_POST
def remove_payment_qr(request: HttpRequest, qr_id: int) -> HttpResponse:
    actor = request.actor
    attempt(request, lambda: qr_codes.remove_payment_qr(actor=actor, shop=actor.shop,
                                                        qr_id=qr_id), success=_("QR code removed."))
    return redirect("web:payment_qr_settings")
