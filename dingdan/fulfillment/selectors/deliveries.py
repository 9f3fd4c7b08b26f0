"""A courier's day: the local deliveries given to them, still to take and taken today, in
the shop's time, with where to go and whom to call."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from dingdan.fulfillment.models import Method, Shipment, ShipmentStatus
from dingdan.orders import privacy
from dingdan.shops.actors import Actor


def day_bounds(shop, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(shop.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def deliveries_for(actor: Actor, day: date) -> list[dict]:
    """The actor's local deliveries: open ones (whenever given), and those done that day."""
    start, end = day_bounds(actor.shop, day)
    shipments = (Shipment.objects
                 .filter(shop=actor.shop, method=Method.LOCAL, courier=actor.user)
                 .exclude(status=ShipmentStatus.CANCELLED)
                 .filter(~Q(status=ShipmentStatus.DELIVERED)
                         | Q(delivered_at__gte=start, delivered_at__lt=end))
                 .select_related("order").prefetch_related("lines").order_by("status", "id"))
    pii = privacy.may_see_pii(actor)
    rows = []
    for shipment in shipments:
        contact = privacy.contact_as_seen_by(shipment.order, pii=pii)
        rows.append({
            "shipment": shipment,
            "order": shipment.order,
            "name": contact.name,
            "phone": contact.phone,
            "address": contact.address,
            "lines": [(line.name, line.quantity) for line in shipment.lines.all()],
            "is_done": shipment.status == ShipmentStatus.DELIVERED,
            "failed": shipment.status == ShipmentStatus.EXCEPTION,
        })
    return rows
