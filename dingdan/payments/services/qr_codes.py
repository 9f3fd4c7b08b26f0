"""The shop's payment QR images (WeChat or Alipay collection codes), added and removed on
the settings page and shown on the customer's order link."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput, NotFound
from dingdan.images import image_suffix
from dingdan.payments.models import PaymentQrCode
from dingdan.payments.services.ledger import clean_text
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

MAX_QR_CODES = 4


@transaction.atomic
def add_payment_qr(*, actor: Actor, shop: Shop, label: str, data: bytes) -> PaymentQrCode:
    """A new QR image for customers to pay through (an image of at most 5 MB, up to four)."""
    require(actor, "shop.manage", shop)
    label = clean_text(label, "label", 40, required=True)
    if not data:
        message = _("Choose an image.")
        raise InvalidInput(message, fields={"image": message})
    suffix = image_suffix(data, "image")
    if PaymentQrCode.objects.filter(shop=shop).count() >= MAX_QR_CODES:
        raise InvalidInput(_("At most %(n)s QR codes; remove one first.") % {"n": MAX_QR_CODES})
    qr = PaymentQrCode(shop=shop, label=label)
    qr.image.save(f"qr{suffix}", ContentFile(data), save=False)
    qr.save()
    audit.record(actor=actor, shop=shop, object_type=audit.PAYMENT_QR, obj_id=qr.pk,
                 label=label, action=audit.ADDED)
    return qr


@transaction.atomic
def remove_payment_qr(*, actor: Actor, shop: Shop, qr_id: int) -> None:
    require(actor, "shop.manage", shop)
    qr = PaymentQrCode.objects.filter(pk=qr_id, shop=shop).first()
    if qr is None:
        raise NotFound(_("Not found."))
    audit.record(actor=actor, shop=shop, object_type=audit.PAYMENT_QR, obj_id=qr.pk,
                 label=qr.label, action=audit.REMOVED)
    qr.image.delete(save=False)
    qr.delete()
