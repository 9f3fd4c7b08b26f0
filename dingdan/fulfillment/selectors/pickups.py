"""Reading pickup codes: what the customer's order page shows of the pickups waiting for
them."""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dingdan.fulfillment.models import PickupCode, PickupCodeStatus, Shipment, ShipmentStatus
from dingdan.orders.models import Order
from dingdan.ui.codes import qr_svg


@dataclass(frozen=True)
class WaitingPickup:
    """One pickup shipment still to collect: its code, as digits and as a QR code."""

    shipment: Shipment
    code: str
    qr: SafeString


def open_pickups_for_customer(order: Order) -> list[WaitingPickup]:
    """The order's pickup shipments waiting to be collected, each with its open code."""
    codes = (PickupCode.objects
             .filter(shop_id=order.shop_id, shipment__order=order,
                     status=PickupCodeStatus.OPEN, shipment__status=ShipmentStatus.PACKED)
             .select_related("shipment__pickup_point").prefetch_related("shipment__lines")
             .order_by("shipment_id"))
    return [WaitingPickup(shipment=c.shipment, code=c.code,
                          qr=qr_svg(c.code, title=_("Pickup code %(code)s") % {"code": c.code}))
            for c in codes]
