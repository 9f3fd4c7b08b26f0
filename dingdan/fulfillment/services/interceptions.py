"""A new address after the order shipped: an interception request on the parcel (the
carrier is asked to stop it and send it on), then its outcome — intercepted (the order's
address changes) or failed (it stays). Before shipment an address is a plain edit of the
order; this is only for parcels already on their way."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, NotFound
from dingdan.fulfillment import events
from dingdan.fulfillment.models import (
    AddressInterception,
    InterceptionStatus,
    Shipment,
    ShipmentStatus,
)
from dingdan.orders.services import editing
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

MAX_NOTE = 300
# A parcel that can still be stopped on its way.
INTERCEPTABLE = frozenset({ShipmentStatus.SHIPPED, ShipmentStatus.IN_TRANSIT,
                           ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.EXCEPTION})


class NotInterceptable(Conflict):
    code = "not_interceptable"


class InterceptionDecided(Conflict):
    code = "interception_decided"


@transaction.atomic
def request_interception(*, actor: Actor, shipment: Shipment, address: str,
                         note: str = "") -> AddressInterception:
    """Ask for a parcel on its way to go to `address` instead: kept as requested, on the
    timeline; one open request per parcel."""
    require(actor, "orders.edit", shipment.shop)
    address = editing.clean_address(address)
    shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment.pk)
    if shipment.status not in INTERCEPTABLE:
        raise NotInterceptable(
            _("Shipment %(number)s is %(status)s: there is no parcel on its way to "
              "intercept.") % {"number": shipment.number,
                                "status": ShipmentStatus(shipment.status).label})
    try:
        with transaction.atomic():
            interception = AddressInterception.objects.create(
                shop_id=shipment.shop_id, shipment=shipment, address=address,
                note=" ".join(note.split())[:MAX_NOTE], requested_label=actor.label[:150])
    except IntegrityError:
        raise NotInterceptable(
            _("An interception of shipment %(number)s is already waiting for its outcome.")
            % {"number": shipment.number}, code="interception_open") from None
    events.interception_requested(shipment, actor=actor, interception=interception)
    return interception


@transaction.atomic
def settle_interception(*, actor: Actor, interception: AddressInterception, intercepted: bool,
                        note: str = "") -> AddressInterception:
    """The carrier's answer: intercepted — the order's address becomes the new one (an edit
    on the timeline); failed — the parcel goes on to the old address, the reason kept."""
    require(actor, "fulfillment.ship", interception.shop)
    interception = (AddressInterception.objects.select_for_update()
                    .select_related("shipment__order__shop").get(pk=interception.pk))
    if interception.status != InterceptionStatus.REQUESTED:
        raise InterceptionDecided(_("This interception was already decided."))
    interception.status = (InterceptionStatus.INTERCEPTED if intercepted
                           else InterceptionStatus.FAILED)
    interception.outcome_note = " ".join(note.split())[:MAX_NOTE]
    interception.decided_label = actor.label[:150]
    interception.decided_at = timezone.now()
    interception.save(update_fields=["status", "outcome_note", "decided_label", "decided_at"])
    shipment = interception.shipment
    if intercepted:
        editing.redirect_delivery(actor=actor, order=shipment.order,
                                  address=interception.address,
                                  note=_("Intercepted: shipment %(number)s")
                                  % {"number": shipment.number})
    events.interception_settled(shipment, actor=actor, interception=interception)
    return interception


def interception_in_shop(shop, interception_id: int) -> AddressInterception:
    found = (AddressInterception.objects.filter(shop=shop, pk=interception_id)
             .select_related("shipment__order__shop").first())
    if found is None:
        raise NotFound(_("No such interception in this shop."))
    return found
