"""The shop's own carriers (a local courier firm, a city delivery service): added with an
optional number format and tracking link, removed when no longer used; in the audit log."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput, NotFound
from dingdan.fulfillment.carriers import ShopCarrier as CarrierShape
from dingdan.fulfillment.carriers import check_shop_carrier
from dingdan.fulfillment.models import ShopCarrier
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

MAX_CARRIERS = 50


@transaction.atomic
def add_shop_carrier(*, actor: Actor, shop: Shop, code: str, name: str, pattern: str = "",
                     url_template: str = "") -> ShopCarrier:
    require(actor, "shop.manage", shop)
    checked = check_shop_carrier(CarrierShape(code=code, name=name, pattern=pattern or None,
                                              url_template=url_template or None))
    if ShopCarrier.objects.filter(shop=shop).count() >= MAX_CARRIERS:
        raise InvalidInput(_("A shop has at most %(n)s carriers of its own.")
                           % {"n": MAX_CARRIERS})
    try:
        with transaction.atomic():
            carrier = ShopCarrier.objects.create(
                shop=shop, code=checked.code, name=checked.name[:60],
                pattern=checked.pattern or "", url_template=checked.url_template or "")
    except IntegrityError:
        message = _("The shop already has a carrier with the code %(code)s.") % {
            "code": checked.code}
        raise InvalidInput(message, fields={"code": message}) from None
    audit.record(actor=actor, shop=shop, object_type=audit.SHOP_CARRIER, obj_id=carrier.pk,
                 label=carrier.name, action=audit.CREATED,
                 changes=audit.initial(audit.snapshot(carrier, (
                     "code", "name", "pattern", "url_template"))))
    return carrier


@transaction.atomic
def remove_shop_carrier(*, actor: Actor, shop: Shop, code: str) -> None:
    """Shipments already made with it keep its code; new ones can no longer choose it."""
    require(actor, "shop.manage", shop)
    carrier = ShopCarrier.objects.filter(shop=shop, code=code).first()
    if carrier is None:
        raise NotFound(_("The shop has no carrier with the code %(code)s.") % {"code": code})
    audit.record(actor=actor, shop=shop, object_type=audit.SHOP_CARRIER, obj_id=carrier.pk,
                 label=carrier.name, action=audit.DELETED, changes={})
    carrier.delete()
