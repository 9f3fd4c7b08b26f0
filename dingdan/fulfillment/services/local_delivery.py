"""Local delivery: a courier takes the parcel there — a member of staff (who then sees it on
their day's list) or a named person with a phone — and marks it delivered, with a photo if
they like, or not delivered with the reason."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput
from dingdan.fulfillment import events
from dingdan.fulfillment.models import Method, Shipment, ShipmentStatus, TrackingEvent
from dingdan.fulfillment.services import tracking
from dingdan.images import image_suffix
from dingdan.phones import stored_phone
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership
from dingdan.shops.permissions import require

MAX_REASON = 300


class NotLocal(Conflict):
    code = "not_local_delivery"


def _phone(raw: str) -> str:
    phone = stored_phone(raw)
    if phone is None:
        message = _("Enter a phone number the customer can call.")
        raise InvalidInput(message, fields={"courier_phone": message})
    return phone


def _local(shipment: Shipment) -> Shipment:
    shipment = Shipment.objects.select_for_update().select_related("order__shop").get(
        pk=shipment.pk)
    if shipment.method != Method.LOCAL:
        raise NotLocal(_("Shipment %(number)s is not a local delivery.")
                       % {"number": shipment.number})
    if shipment.status in (ShipmentStatus.CANCELLED, ShipmentStatus.DELIVERED):
        raise Conflict(_("Shipment %(number)s is %(status)s.") % {
            "number": shipment.number, "status": ShipmentStatus(shipment.status).label},
            code="shipment_closed")
    return shipment


@transaction.atomic
def assign_courier(*, actor: Actor, shipment: Shipment, member_id: int | None = None,
                   name: str = "", phone: str = "") -> Shipment:
    """Give a local delivery to a member of staff, or to a named person with a phone (a
    neighbour who drives, a hired runner); the customer's link shows who comes."""
    require(actor, "fulfillment.ship", shipment.shop)
    shipment = _local(shipment)
    if member_id:
        member = Membership.objects.filter(pk=member_id, shop_id=shipment.shop_id,
                                           user__is_active=True).select_related("user").first()
        if member is None:
            message = _("Choose a member of this shop.")
            raise InvalidInput(message, fields={"courier": message})
        shipment.courier = member.user
        shipment.courier_name = (member.user.get_full_name() or member.user.get_username())[:60]
        shipment.courier_phone = _phone(phone) if phone else ""
    else:
        name = " ".join(str(name or "").split())[:60]
        if not name:
            message = _("Choose a member of staff or name the courier.")
            raise InvalidInput(message, fields={"courier_name": message})
        if not phone:
            message = _("Give the courier's phone, so the customer can call.")
            raise InvalidInput(message, fields={"courier_phone": message})
        shipment.courier, shipment.courier_name = None, name
        shipment.courier_phone = _phone(phone)
    shipment.save(update_fields=["courier", "courier_name", "courier_phone", "updated_at"])
    events.courier_assigned(shipment, actor=actor)
    return shipment


@transaction.atomic
def delivered_locally(*, actor: Actor, shipment: Shipment, photo: bytes | None = None,
                      note: str = "") -> TrackingEvent:
    """The courier handed it over: delivered, with the photo kept on the step."""
    shipment = _local(shipment)
    event = tracking.record_tracking_event(actor=actor, shipment=shipment,
                                           status=ShipmentStatus.DELIVERED,
                                           detail=note or _("Delivered by %(name)s")
                                           % {"name": shipment.courier_name or actor.label})
    if photo:
        event.photo.save(f"delivery{image_suffix(photo, 'photo')}", ContentFile(photo),
                         save=False)
        TrackingEvent.objects.filter(pk=event.pk).update(photo=event.photo.name)
    return event


@transaction.atomic
def delivery_failed(*, actor: Actor, shipment: Shipment, reason: str) -> TrackingEvent:
    """Not handed over (no one home, wrong address …): an exception with the reason; the
    courier tries again or the shop calls the customer."""
    reason = " ".join(str(reason or "").split())[:MAX_REASON]
    if not reason:
        message = _("Say why it could not be delivered.")
        raise InvalidInput(message, fields={"reason": message})
    shipment = _local(shipment)
    return tracking.record_tracking_event(actor=actor, shipment=shipment,
                                          status=ShipmentStatus.EXCEPTION, detail=reason)
