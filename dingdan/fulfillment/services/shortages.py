"""Out of stock after the order was accepted: the units that will not come are dropped
from the order (those already shipped stay), with a refund of what was paid beyond the
new total when asked; the order then follows its shipments (what is left may all have
shipped, or arrived, by now)."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput
from dingdan.fulfillment.selectors.shipments import units_by_line
from dingdan.fulfillment.services import progress
from dingdan.orders.models import Order
from dingdan.orders.services import shortening
from dingdan.shops.actors import Actor
from dingdan.whole_numbers import is_whole


@transaction.atomic
def drop_short_units(*, actor: Actor, order: Order, lines: list[dict], reason: str,
                     refund: bool = False) -> Order:
    """Drop `lines` ([{"line_id", "quantity"}]) the shop cannot supply."""
    units: dict[int, int] = {}
    for index, asked in enumerate(lines):
        line_id, quantity = asked.get("line_id"), asked.get("quantity")
        if not isinstance(line_id, int) or not is_whole(quantity, minimum=0):
            message = _("A quantity must be a whole number.")
            raise InvalidInput(message, fields={f"lines.{index}.quantity": message})
        units[line_id] = units.get(line_id, 0) + quantity
    order = shortening.drop_units(actor=actor, order=order, units=units,
                                  kept=units_by_line(order), reason=reason, refund=refund)
    return progress.follow(order, actor=actor, note=reason)
