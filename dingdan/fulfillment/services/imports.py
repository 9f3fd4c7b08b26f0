"""Shipping many orders from one file: each row names an order, a carrier and a tracking
number, and ships everything that order holds and has not shipped, as `create_shipment`
without lines would. All rows or none: the file is checked whole, every row's problem is
reported, and only a file without a single problem is shipped, in one transaction.

The rules are the ones of a single shipment (the same refusals, the same stock ledger rows,
shipment numbers, timeline entries and order moves); what differs is the cost. The orders,
their lines, what they hold and what they shipped are read for the whole file at once, each
SKU's stock leaves in one conditional UPDATE for all its orders, and shipments, their lines
and the ledger rows are written in bulk. Only the timeline and the order's move are per
order, through `orders.services.lifecycle.follow_shipments`, the one path that moves an
order after its shipments (its lock, guards, timeline entry and announcement)."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dingdan import spreadsheets
from dingdan.errors import DomainError, InvalidInput
from dingdan.fulfillment import events
from dingdan.fulfillment.carriers import carrier_names, clean_tracking_number, find_carrier_by_name
from dingdan.fulfillment.models import Method, Shipment, ShipmentLine, ShipmentStatus
from dingdan.fulfillment.selectors.shipments import shop_carriers
from dingdan.fulfillment.selectors.tracking_accounts import tracking_account
from dingdan.fulfillment.services import tracking_push
from dingdan.fulfillment.services.progress import _target as order_target
from dingdan.fulfillment.services.shipping import _refuse_unless_shippable
from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import MovementKind, StockMovement
from dingdan.inventory.services import ledger
from dingdan.orders.models import Order, OrderLine
from dingdan.orders.services import lifecycle
from dingdan.orders.services.placement import reference, stock_actor
from dingdan.orders.states import FulfillmentStatus
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
COLUMNS = ("order_number", "carrier", "tracking_number")

# Header text as merchants write it (spaces removed, lower case) → column.
HEADER_NAMES = {
    "订单号": "order_number", "订单编号": "order_number", "订单号码": "order_number",
    "ordernumber": "order_number", "order_number": "order_number", "order": "order_number",
    "快递公司": "carrier", "物流公司": "carrier", "快递": "carrier", "承运商": "carrier",
    "carrier": "carrier",
    "快递单号": "tracking_number", "运单号": "tracking_number", "物流单号": "tracking_number",
    "运单编号": "tracking_number", "快递单号码": "tracking_number",
    "trackingnumber": "tracking_number", "tracking_number": "tracking_number",
    "tracking": "tracking_number",
}
COLUMN_TITLES = {
    "order_number": gettext_lazy("order number"),
    "carrier": gettext_lazy("carrier"),
    "tracking_number": gettext_lazy("tracking number"),
}


@dataclass
class RowProblem:
    row: int | None  # as the spreadsheet numbers it (the header is row 1); None: the file
    field: str  # order_number, carrier, tracking_number or file
    code: str
    message: Any


@dataclass
class ImportedRow:
    """A row that ships (or, in a dry run, would ship) its order."""

    row: int
    order: Order
    carrier: str
    tracking_number: str
    units: int = 0
    lines: list[tuple[OrderLine, int]] = field(default_factory=list)
    shipment: Shipment | None = None


@dataclass
class ShipmentImport:
    dry_run: bool
    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    applied: bool = False

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").replace("\ufeff", "").split()).lower()


def _columns(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        column = HEADER_NAMES.get(_key(text))
        if column is not None and column not in positions:
            positions[column] = position
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        message = _("The first row must name the columns 订单号, 快递公司 and 快递单号 (or "
                    "order number, carrier, tracking number); missing: %(columns)s.") % {
            "columns": ", ".join(str(COLUMN_TITLES[column]) for column in missing)}
        raise InvalidInput(message, code="missing_columns", fields={"file": message},
                           details={"missing": missing})
    return positions


def read_rows(file_name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (row number, {column: text}); blank rows are skipped. A file that
    cannot be read, is too large or names no columns raises InvalidInput with a `code`."""
    if len(data) > MAX_BYTES:
        raise spreadsheets.unreadable(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}, "file_too_large")
    sheet = spreadsheets.read_sheet(file_name, data, max_rows=MAX_ROWS)
    positions = _columns(sheet.header)
    rows = []
    for number, cells in sheet.rows:
        values = {column: spreadsheets.unescape_formula(
            cells[position].strip() if position < len(cells) else "")
            for column, position in positions.items()}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        message = _("The file has a header row but no orders below it.")
        raise InvalidInput(message, code="no_rows", fields={"file": message})
    return rows


def import_shipments(*, actor: Actor, shop: Shop, file_name: str, data: bytes,
                     dry_run: bool = False, note: str = "") -> ShipmentImport:
    """Check a CSV/XLSX file of (order number, carrier, tracking number) rows and, unless
    `dry_run` or a row has a problem, ship every row's order by express with that carrier
    and number. A file that cannot be read raises InvalidInput; problems of rows are in the
    report, and then nothing is shipped."""
    require(actor, "fulfillment.ship", shop)
    rows = read_rows(file_name, data)
    with transaction.atomic():
        report, state = _plan(shop, rows, dry_run=dry_run, lock=not dry_run)
        if report.problems or dry_run:
            return report
        _ship(actor, shop, report.rows, state, note=note)
        report.applied = True
    return report


# Checking -------------------------------------------------------------------------------

def _plan(shop: Shop, rows: list[tuple[int, dict[str, str]]], *, dry_run: bool,
          lock: bool) -> tuple[ShipmentImport, "_OrdersState"]:
    report = ShipmentImport(dry_run=dry_run)
    own = shop_carriers(shop)
    names = carrier_names(own)
    numbers = {values["order_number"] for _number, values in rows if values["order_number"]}
    orders = Order.objects.filter(shop=shop, number__in=numbers)
    if lock:
        orders = orders.select_for_update().order_by("pk")  # a fixed lock order
    by_number = {order.number: order for order in orders}
    for order in by_number.values():
        order.shop = shop
    state = _OrdersState(list(by_number.values()))
    seen: dict[str, int] = {}

    def problem(row: int, name: str, code: str, message: Any) -> None:
        report.problems.append(RowProblem(row, name, code, message))

    for number, values in rows:
        failed = len(report.problems)
        carrier, tracking_number = None, ""
        if not values["carrier"]:
            problem(number, "carrier", "missing_carrier", _("Enter the carrier."))
        else:
            try:
                carrier = find_carrier_by_name(values["carrier"], own, names=names)
            except InvalidInput as error:
                problem(number, "carrier", "unknown_carrier",
                        error.fields.get("carrier", error.message))
        if not values["tracking_number"]:
            problem(number, "tracking_number", "missing_tracking_number",
                    _("Enter the tracking number."))
        elif carrier is not None:
            try:
                tracking_number = clean_tracking_number(carrier, values["tracking_number"],
                                                        shop_carriers=own)
            except InvalidInput as error:
                problem(number, "tracking_number", "invalid_tracking_number",
                        error.fields.get("tracking_number", error.message))
        order_number = values["order_number"]
        order = by_number.get(order_number)
        if not order_number:
            problem(number, "order_number", "missing_order_number",
                    _("Enter the order number."))
        elif order_number in seen:
            problem(number, "order_number", "duplicate_order",
                    _("Order %(number)s is on row %(row)s too: an order ships once per file.")
                    % {"number": order_number, "row": seen[order_number]})
        else:
            seen[order_number] = number
            if order is None:
                # An order of another shop is answered as one that does not exist.
                problem(number, "order_number", "unknown_order",
                        _("No order numbered %(number)s in this shop.")
                        % {"number": order_number})
            else:
                try:
                    _refuse_unless_shippable(order)
                    lines = state.ready_to_ship(order)
                except DomainError as error:
                    problem(number, "order_number", error.code, error.message)
                else:
                    if len(report.problems) == failed:
                        report.rows.append(ImportedRow(
                            row=number, order=order, carrier=carrier.code,
                            tracking_number=tracking_number, lines=lines,
                            units=sum(units for _line, units in lines)))
    return report, state


class _OrdersState:
    """What the orders of a file have, read once for all of them: lines, units shipped and
    delivered per line, shipments so far, and units held per SKU."""

    def __init__(self, orders: list[Order]):
        ids = [order.pk for order in orders]
        self.lines: dict[int, list[OrderLine]] = defaultdict(list)
        for line in (OrderLine.objects.filter(order_id__in=ids)
                     .select_related("variant__product").order_by("id")):
            self.lines[line.order_id].append(line)
        self.shipped: dict[int, int] = {}
        self.delivered: dict[int, int] = {}
        totals = (ShipmentLine.objects.filter(shipment__order_id__in=ids)
                  .exclude(shipment__status=ShipmentStatus.CANCELLED)
                  .values("order_line_id")
                  .annotate(units=Sum("quantity"),
                            delivered=Sum("quantity", filter=Q(
                                shipment__status=ShipmentStatus.DELIVERED))))
        for row in totals:
            self.shipped[row["order_line_id"]] = row["units"]
            self.delivered[row["order_line_id"]] = row["delivered"] or 0
        self.shipment_counts = dict(Shipment.objects.filter(order_id__in=ids)
                                    .values("order_id").annotate(n=Count("id"))
                                    .values_list("order_id", "n"))
        self.held: dict[int, dict[int, int]] = defaultdict(dict)
        movements = (StockMovement.objects
                     .filter(reference_type="order", reference_id__in=[str(pk) for pk in ids])
                     .values("reference_id", "variant_id").annotate(held=Sum("reserved_delta")))
        for row in movements:
            if row["held"]:
                self.held[int(row["reference_id"])][row["variant_id"]] = row["held"]

    def ready_to_ship(self, order: Order) -> list[tuple[OrderLine, int]]:
        """Every line's units not yet shipped, as far as the order holds them (lines of one
        SKU share what is held, in line order; services need no stock), as
        `create_shipment` without lines takes them."""
        held = dict(self.held.get(order.pk, {}))
        wanted, left_somewhere = [], False
        for line in self.lines.get(order.pk, []):
            left = line.quantity - self.shipped.get(line.pk, 0)
            left_somewhere = left_somewhere or left > 0
            if not line.variant.product.is_service:
                left = min(left, held.get(line.variant_id, 0))
                held[line.variant_id] = held.get(line.variant_id, 0) - max(left, 0)
            if left > 0:
                wanted.append((line, left))
        if not wanted and left_somewhere:
            raise DomainError(_("Nothing of order %(number)s is in stock for it yet.")
                              % {"number": order.number}, code="not_in_stock")
        if not wanted:
            raise DomainError(_("Order %(number)s has nothing left to ship.")
                              % {"number": order.number}, code="over_shipment")
        return wanted

    def fulfillment_status(self, order: Order, shipping: dict[int, int]) -> str:
        """As `progress.fulfillment_status`, with `shipping` (line id → units) added."""
        lines = self.lines.get(order.pk, [])
        ordered = sum(line.quantity for line in lines)
        shipped = sum(self.shipped.get(line.pk, 0) + shipping.get(line.pk, 0) for line in lines)
        delivered = sum(self.delivered.get(line.pk, 0) for line in lines)
        if shipped == 0:
            return FulfillmentStatus.UNFULFILLED
        if delivered >= ordered:
            return FulfillmentStatus.DELIVERED
        if delivered:
            return FulfillmentStatus.PARTIALLY_DELIVERED
        return (FulfillmentStatus.SHIPPED if shipped >= ordered
                else FulfillmentStatus.PARTIALLY_SHIPPED)


# Shipping -------------------------------------------------------------------------------

def _ship(actor: Actor, shop: Shop, rows: list[ImportedRow], state: "_OrdersState", *,
          note: str) -> None:
    stock = stock_actor(actor, shop)
    _move_stock(stock, shop, rows)
    now = timezone.now()
    shipments = []
    for row in rows:
        count = state.shipment_counts.get(row.order.pk, 0)
        shipments.append(Shipment(
            shop_id=shop.pk, order=row.order, method=Method.EXPRESS,
            status=ShipmentStatus.SHIPPED, carrier=row.carrier,
            tracking_number=row.tracking_number, number=f"{row.order.number}-{count + 1}",
            created_by=actor.user, created_label=actor.label[:150], shipped_at=now))
    Shipment.objects.bulk_create(shipments)
    ShipmentLine.objects.bulk_create([
        ShipmentLine(shop_id=shop.pk, shipment=shipment, order_line=line, sku=line.sku,
                     name=line.name, quantity=units)
        for row, shipment in zip(rows, shipments, strict=True) for line, units in row.lines])
    for row, shipment in zip(rows, shipments, strict=True):
        row.shipment = shipment
        units: dict[str, int] = defaultdict(int)
        for line, quantity in row.lines:
            units[line.sku] += quantity
        events.shipment_created(shipment, actor=actor, units=dict(units), note=note)
        status = state.fulfillment_status(row.order, {line.pk: q for line, q in row.lines})
        # As progress.follow, from the status worked out here rather than read back.
        lifecycle.follow_shipments(actor=actor, order=row.order, fulfillment_status=status,
                                   to=order_target(row.order, status, False), note=note)
    # As create_shipment: 快递100 is asked to watch each parcel (after commit), when the
    # shop has an account; looked up once for the file rather than once per shipment.
    if tracking_account(shop) is not None:
        for shipment in shipments:
            shipment.shop = shop
            tracking_push.watch_shipment(shipment)


def _move_stock(actor: Actor, shop: Shop, rows: list[ImportedRow]) -> None:
    """Reserved → shipped for every order at once: one conditional UPDATE per SKU for the
    sum of its orders (never read-then-write), one ledger row per order and SKU, as
    `reservations.ship_stock` writes them for a single shipment."""
    per_order: list[tuple[Order, dict[int, int]]] = []
    totals: dict[int, int] = defaultdict(int)
    variants = {}
    for row in rows:
        units: dict[int, int] = defaultdict(int)
        for line, quantity in row.lines:
            if line.variant.product.is_service:
                continue
            units[line.variant_id] += quantity
            totals[line.variant_id] += quantity
            variants[line.variant_id] = line.variant
        per_order.append((row.order, units))
    for pk in sorted(totals):
        after = ledger.conditional_update(pk, on_hand=-totals[pk], reserved=-totals[pk],
                                          condition="reserved >= %s", params=[totals[pk]])
        if after is None:
            variant = variants[pk]
            raise InsufficientStock([{"sku": variant.sku, "name": variant.display_name,
                                      "requested": totals[pk], "available": 0}])
    StockMovement.objects.bulk_create([
        ledger.movement(actor=actor, variant=variants[pk], kind=MovementKind.SHIP,
                        on_hand=-units[pk], reserved=-units[pk], reference=reference(order))
        for order, units in per_order for pk in sorted(units)])
