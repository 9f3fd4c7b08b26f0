"""Importing a catalog file: every row is checked first, and only a file without a single
problem is written, in one transaction, through the catalog and stock services.

Rows with the same name are variants of one product. A SKU the shop has is updated, a new
one created. A column the file has sets its field (an empty cell clears it); a column it
lacks leaves the field alone. Opening stock is received for new SKUs and counted for
existing ones."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan import spreadsheets
from dingdan.catalog.models import Product, ProductAlias, ProductKind, Variant
from dingdan.catalog.services import products as services
from dingdan.errors import DomainError, InvalidInput
from dingdan.exchange.catalog_plan import Planner, RowPlan
from dingdan.exchange.catalog_rows import Problem, map_header, parse_row
from dingdan.inventory.services import stock as inventory
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    applied: bool = False

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count("create")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)


class _RowFailed(Exception):
    def __init__(self, row: RowPlan, error: DomainError):
        super().__init__(str(error))
        self.row, self.error = row, error


def import_catalog(
    *, actor: Actor, shop: Shop, file_name: str, data: bytes, dry_run: bool
) -> ImportReport:
    """Check a CSV/XLSX catalog file and, unless `dry_run`, import it: all rows or none.

    A file that cannot be read at all raises `InvalidInput` (with a `code`); problems in
    rows are listed in the report, and then nothing is written."""
    require(actor, "exchange.import", shop)
    require(actor, "catalog.manage", shop)
    sheet = spreadsheets.read_sheet(file_name, data)
    positions, titles, ignored = map_header(sheet.header)
    if not sheet.rows:
        message = _("The file has a header row but no products below it.")
        raise InvalidInput(message, code="no_rows", fields={"file": message})
    report = ImportReport(file_name=file_name, dry_run=dry_run, ignored_columns=ignored)
    rows = [parse_row(number, cells, positions, titles) for number, cells in sheet.rows]
    planner = Planner(shop, positions, titles, rows)
    report.rows, report.problems = planner.plan()
    _require_stock_permissions(actor, shop, report.rows)
    if report.problems or dry_run:
        return report
    try:
        with transaction.atomic():
            _apply(actor, shop, planner, note=_("imported from %(file)s") % {"file": file_name})
    except IntegrityError:
        # Someone changed the catalog between the checks and the writes.
        report.problems.append(Problem(None, "", "", _(
            "The products changed while the file was imported; nothing was imported. "
            "Please import it again."
        )))
        return report
    except _RowFailed as failure:
        # The checks above should have caught it; the services have the last word.
        error = failure.error
        column = next(iter(error.fields), "")
        report.problems.append(
            Problem(failure.row.row, titles.get(column, column), column, str(error.message))
        )
        return report
    except DomainError as error:  # from a step that writes many rows at once
        report.problems.append(Problem(None, "", "", str(error.message)))
        return report
    report.applied = True
    return report


def _require_stock_permissions(actor: Actor, shop: Shop, plans: list[RowPlan]) -> None:
    if any(plan.action == "create" and plan.receive for plan in plans):
        require(actor, "inventory.receive", shop)
    if any(plan.count is not None or plan.threshold_change for plan in plans):
        require(actor, "inventory.adjust", shop)


def _call(plan: RowPlan, function, **kwargs):
    try:
        return function(**kwargs)
    except DomainError as exc:
        raise _RowFailed(plan, exc) from exc


def _apply(actor: Actor, shop: Shop, planner: Planner, *, note: str) -> None:
    """Renames first (new SKUs may join a renamed product), then the SKUs' own fields, the
    new SKUs, what belongs to whole products, and stock last."""
    for plan in planner.plans:
        if "name" in plan.variant_changes:
            _call(plan, services.update_sku, actor=actor, shop=shop, variant=plan.variant,
                  name=plan.variant_changes["name"])
    _update_skus(actor, shop, [plan for plan in planner.plans if plan.action == "update"])
    created = [plan for plan in planner.plans if plan.action == "create"]
    _create_skus(shop, planner, created)
    _record_created(actor, shop, planner, created)
    for plan, changes in planner.product_changes():
        _call(plan, services.update_sku, actor=actor, shop=shop, variant=plan.variant, **changes)
    thresholds = [
        (plan.variant, plan.values.get("low_stock_threshold"))
        for plan in planner.plans if plan.threshold_change
    ]
    if thresholds:
        inventory.set_low_stock_thresholds(actor=actor, shop=shop, thresholds=thresholds)
    counts = [(plan.variant, plan.count) for plan in planner.plans if plan.count is not None]
    if counts:
        inventory.count_stock_in_bulk(actor=actor, shop=shop, counts=counts, note=note)
    opening = [(plan.variant, plan.receive) for plan in created if plan.receive]
    if opening:
        inventory.receive_stock_in_bulk(actor=actor, shop=shop, quantities=opening, note=note)


def _update_skus(actor: Actor, shop: Shop, plans: list[RowPlan]) -> None:
    """The writes of `services.update_sku` for a SKU's own fields, in bulk, with their audit
    records; the planner has applied the same rules to every value."""
    now = timezone.now()
    changed: dict[str, list[Variant]] = {}
    records = []
    for plan in plans:
        fields = [f for f in plan.variant_changes if f != "name"]
        before = audit.snapshot(plan.variant, fields)
        for field_name in fields:
            setattr(plan.variant, field_name, plan.variant_changes[field_name])
        if fields:
            plan.variant.updated_at = now
            changed.setdefault(",".join(sorted(fields)), []).append(plan.variant)
        changes = audit.diff(before, audit.snapshot(plan.variant, fields))
        if changes:
            records.append(_record(actor, shop, plan.variant, audit.CHANGED, changes))
    for fields, variants in changed.items():
        Variant.objects.bulk_update(variants, [*fields.split(","), "updated_at"], batch_size=500)
    audit.record_many(records)


def _record(actor: Actor, shop: Shop, variant: Variant, action: str, changes) -> audit.AuditRecord:
    return audit.build(actor=actor, shop=shop, object_type=audit.VARIANT, obj_id=variant.pk,
                       label=services.variant_label(variant), action=action, changes=changes)


def _create_skus(shop: Shop, planner: Planner, plans: list[RowPlan]) -> None:
    """What `services.create_sku` does row by row, in a few bulk inserts: thousands of new
    SKUs in seconds. The planner has already applied the same rules to every value."""
    new_products: dict = {}
    for plan in plans:
        group = planner.groups[plan.key]
        if group.product is None and plan.key not in new_products:
            new_products[plan.key] = Product(
                shop=shop, name=group.name, kind=group.kind,
                category=group.wanted.get("category", ""),
                purchase_limit=group.wanted.get("purchase_limit"),
            )
    Product.objects.bulk_create(new_products.values(), batch_size=500)
    ProductAlias.objects.bulk_create(
        [ProductAlias(shop=shop, product=product, alias=alias)
         for key, product in new_products.items()
         for alias in planner.groups[key].wanted.get("aliases", [])],
        batch_size=500,
    )
    variants = []
    for plan in plans:
        values = plan.values
        plan.variant = Variant(
            shop=shop, product=new_products.get(plan.key) or planner.products[plan.key],
            sku=plan.sku, spec=plan.spec, price_cents=values.get("price_cents", 0),
            cost_cents=values.get("cost_cents"), barcode=values.get("barcode", ""),
            weight_grams=values.get("weight_grams"),
        )
        variants.append(plan.variant)
    Variant.objects.bulk_create(variants, batch_size=500)
    inventory.open_levels(
        shop=shop, variants=[v for v in variants if v.product.kind == ProductKind.GOODS]
    )


def _record_created(actor: Actor, shop: Shop, planner: Planner, plans: list[RowPlan]) -> None:
    """One audit record per new product and per new SKU of an import."""
    new_products = {
        plan.key: plan.variant.product for plan in plans if planner.groups[plan.key].product is None
    }
    audit.record_many([
        *(audit.build(actor=actor, shop=shop, object_type=audit.PRODUCT, obj_id=product.pk,
                      label=product.name, action=audit.CREATED, changes=audit.initial({
                          **audit.snapshot(product, services.PRODUCT_FIELDS),
                          "aliases": planner.groups[key].wanted.get("aliases", []),
                      }))
          for key, product in new_products.items()),
        *(_record(actor, shop, plan.variant, audit.CREATED, audit.initial(
            audit.snapshot(plan.variant, ("sku", *services.VARIANT_FIELDS))))
          for plan in plans),
    ])
