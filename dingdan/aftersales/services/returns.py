"""The goods coming back: the customer (or staff for them) gives the return's tracking
number, then the shop receives the parcel and inspects every unit — resellable units go
back to stock (orders waiting for them are served first), damaged ones are written off;
both as ledger rows naming the case."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.aftersales.models import Case, CaseStatus
from dingdan.aftersales.services.cases import (
    STEPS,
    lock_case,
    move,
    refuse_step,
    require_case_actor,
)
from dingdan.errors import InvalidInput
from dingdan.fulfillment.carriers import clean_tracking_number, find_carrier
from dingdan.fulfillment.selectors.shipments import shop_carriers
from dingdan.inventory.services import stock
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole


def case_reference(case: Case) -> Reference:
    return Reference("aftersales", str(case.pk))


@transaction.atomic
def return_shipped(*, actor: Actor, case: Case, carrier: str, tracking_number: str) -> Case:
    """The return is on its way: its carrier and tracking number, checked like any
    shipment's. The case keeps waiting for the goods; a corrected number replaces the
    first."""
    require_case_actor(actor, case.order)
    case = lock_case(case)
    refuse_step(case, "return_shipped", STEPS)
    carriers = shop_carriers(case.shop)
    found = find_carrier(carrier, carriers)
    case.return_carrier = found.code
    case.return_tracking_number = clean_tracking_number(found, tracking_number,
                                                        shop_carriers=carriers)
    return move(case, CaseStatus.AWAITING_RETURN, actor=actor, step="return_shipped",
                fields=("return_carrier", "return_tracking_number"),
                data={"carrier": case.return_carrier,
                      "tracking_number": case.return_tracking_number})


def _inspection(case: Case, lines) -> dict[int, tuple[int, int]]:
    """Case line id → (resellable, damaged), every unit of every line accounted for."""
    if not isinstance(lines, list):
        lines = []
    by_order_line = {line.order_line_id: line for line in case.lines.all()}
    found: dict[int, tuple[int, int]] = {}
    for index, row in enumerate(lines):
        row = row if isinstance(row, dict) else {}
        line = by_order_line.get(row.get("line_id"))
        if line is None:
            message = _("Choose a line of this case.")
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        resellable, damaged = row.get("resellable", 0), row.get("damaged", 0)
        if not (is_whole(resellable, minimum=0) and is_whole(damaged, minimum=0)):
            message = _("Resellable and damaged units are whole numbers.")
            raise InvalidInput(message, fields={f"lines.{index}": message})
        if resellable + damaged != line.quantity:
            message = _("%(name)s: %(n)s units came back; say for each whether it can be "
                        "sold again.") % {"name": line.name, "n": line.quantity}
            raise InvalidInput(message, fields={f"lines.{index}": message})
        found[line.pk] = (resellable, damaged)
    missing = [line.name for line in case.lines.all() if line.pk not in found]
    if missing:
        message = _("Inspect every line of the case: %(lines)s.") % {"lines": "、".join(missing)}
        raise InvalidInput(message, fields={"lines": message})
    return found


@transaction.atomic
def receive_return(*, actor: Actor, case: Case, lines, note: str = "") -> Case:
    """The parcel came back: `lines` ([{"line_id", "resellable", "damaged"}], by order
    line) says what each unit is fit for; stock follows, and the case waits for its
    refund."""
    require(actor, "inventory.receive", case.shop)
    case = lock_case(case)
    refuse_step(case, "receive", STEPS)
    inspected = _inspection(case, lines)
    reference = case_reference(case)
    outcome = {}
    for line in case.lines.select_related("order_line__variant"):
        resellable, damaged = inspected[line.pk]
        line.resellable, line.damaged = resellable, damaged
        line.save(update_fields=["resellable", "damaged"])
        outcome[line.sku] = {"resellable": resellable, "damaged": damaged}
        variant = line.order_line.variant if line.order_line is not None else None
        if variant is None:
            continue  # the line left the order since: nothing to put back
        if resellable:
            stock.return_to_stock(actor=actor, shop=case.shop, variant=variant,
                                  quantity=resellable, reference=reference, note=case.number)
        if damaged:
            stock.write_off_returned(actor=actor, shop=case.shop, variant=variant,
                                     quantity=damaged, reference=reference, note=case.number)
    return move(case, CaseStatus.RECEIVED, actor=actor, step="receive",
                note=" ".join(str(note or "").split())[:500], data={"inspected": outcome})
