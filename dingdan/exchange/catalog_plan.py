"""What an import would do, row by row, checked against the shop's catalog as a whole:
duplicate SKUs, a product's name, kind, category, limit and aliases agreeing across its
rows, specs that would clash, stock a service cannot have. Reads only; `importing` writes."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dingdan.catalog import rules
from dingdan.catalog.models import Product, ProductAlias, ProductKind, Variant
from dingdan.exchange.catalog_rows import COLUMNS, Problem, Row
from dingdan.inventory.models import StockLevel
from dingdan.shops.models import Shop

VARIANT_FIELDS = ("spec", "price_cents", "cost_cents", "barcode", "weight_grams")
PRODUCT_FIELDS = ("category", "purchase_limit", "aliases")
CHUNK = 500  # keeps IN (...) lists within every database's parameter limit


@dataclass
class RowPlan:
    row: int
    sku: str
    name: str
    spec: str = ""
    action: str = "create"  # create | update | unchanged
    changes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    variant: Variant | None = None
    key: Any = None  # the product's id, or ("new", name) for a product the file creates
    variant_changes: dict[str, Any] = field(default_factory=dict)
    receive: int = 0
    count: int | None = None
    threshold_change: bool = False


@dataclass
class _Group:
    """The rows of one product, and what the file says about the product as a whole."""

    name: str
    product: Product | None
    plans: list[RowPlan] = field(default_factory=list)
    kind: str = ProductKind.GOODS
    wanted: dict[str, Any] = field(default_factory=dict)  # product field -> file's value


def _chunks(items: list) -> list[list]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


def _level(variant: Variant) -> StockLevel | None:
    try:
        return variant.stock
    except StockLevel.DoesNotExist:
        return None


class Planner:
    def __init__(self, shop: Shop, positions: dict[str, int], titles: dict[str, str],
                 rows: list[Row]):
        self.shop, self.titles, self.rows = shop, titles, rows
        self.has = set(positions)
        self.problems: list[Problem] = [p for row in rows for p in row.problems]
        self.plans: list[RowPlan] = []
        self.groups: dict[Any, _Group] = {}

    def plan(self) -> tuple[list[RowPlan], list[Problem]]:
        rows = self._without_duplicate_skus(
            [row for row in self.rows if "sku" in row.values and "name" in row.values]
        )
        self._load(rows)
        self.plans = [
            RowPlan(row=row.number, sku=row.sku, name=row.values["name"], values=row.values,
                    variant=self.existing.get(row.sku))
            for row in rows
        ]
        self._name_products()
        for group in self.groups.values():
            self._agree_on_product(group)
            self._check_specs(group)
        for plan in self.plans:
            self._plan_row(plan)
        order = {column: i for i, column in enumerate(COLUMNS)}
        self.problems.sort(key=lambda p: (p.row or 0, order.get(p.field, 99)))
        return self.plans, self.problems

    def _problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, self.titles.get(column, column), column, message))

    def _without_duplicate_skus(self, rows: list[Row]) -> list[Row]:
        first: dict[str, int] = {}
        kept = []
        for row in rows:
            if row.sku in first:
                self._problem(row.number, "sku", _("The SKU %(sku)s is already in row %(row)s.")
                              % {"sku": row.sku, "row": first[row.sku]})
                continue
            first[row.sku] = row.number
            kept.append(row)
        return kept

    def _load(self, rows: list[Row]) -> None:
        """Everything the checks compare against, in a few queries for any number of rows."""
        self.existing: dict[str, Variant] = {}
        for chunk in _chunks([row.sku for row in rows]):
            for variant in Variant.objects.filter(shop=self.shop, sku__in=chunk).select_related(
                "product", "stock"
            ):
                self.existing[variant.sku] = variant
        self.by_name: dict[str, Product] = {}
        for chunk in _chunks(sorted({row.values["name"] for row in rows})):
            for product in Product.objects.filter(shop=self.shop, name__in=chunk):
                self.by_name[product.name] = product
        products = {product.pk: product for product in self.by_name.values()}
        for variant in self.existing.values():
            # One instance per product, so a rename is seen by all its variants.
            variant.product = products.setdefault(variant.product_id, variant.product)
        self.products = products
        self.aliases: dict[int, set[str]] = {}
        self.specs: dict[int, list[tuple[str, str]]] = {}
        for chunk in _chunks(list(products)):
            for pk, alias in ProductAlias.objects.filter(product_id__in=chunk).values_list(
                "product_id", "alias"
            ):
                self.aliases.setdefault(pk, set()).add(alias)
            for pk, sku, spec in Variant.objects.filter(product_id__in=chunk).values_list(
                "product_id", "sku", "spec"
            ):
                self.specs.setdefault(pk, []).append((sku, spec))

    def _name_products(self) -> None:
        """Which product each row belongs to. An existing SKU stays with its product (which
        the file may rename); a new SKU joins the product of its name, or starts one."""
        final: dict[int, tuple[str, int]] = {}  # product id -> (name in the file, first row)
        renamed_to: dict[str, int] = {}
        for plan in self.plans:
            if plan.variant is None:
                continue
            product = plan.variant.product
            if product.pk in final:
                name, row = final[product.pk]
                if plan.name != name:
                    self._problem(plan.row, "name", _(
                        "Row %(row)s names this product %(name)s: the SKUs of one product "
                        "share one name."
                    ) % {"row": row, "name": name})
                    plan.name = name
                plan.key = product.pk
                continue
            holder = self.by_name.get(plan.name)
            other = renamed_to.get(plan.name, product.pk)
            if plan.name != product.name and (
                (holder is not None and holder.pk != product.pk) or other != product.pk
            ):
                self._problem(plan.row, "name", _(
                    "Another product is already called %(name)s."
                ) % {"name": plan.name} + " " + _(
                    "A SKU cannot move to another product by import."
                ))
                plan.name = product.name
            final[product.pk] = (plan.name, plan.row)
            renamed_to[plan.name] = product.pk
            plan.key = product.pk
        owner = {product.name: pk for pk, product in self.products.items() if pk not in final}
        owner.update({name: pk for pk, (name, _row) in final.items()})
        for plan in self.plans:
            if plan.variant is None:
                pk = owner.get(plan.name)
                plan.key = pk if pk is not None else ("new", plan.name)
            group = self.groups.get(plan.key)
            if group is None:
                group = self.groups[plan.key] = _Group(
                    name=plan.name, product=self.products.get(plan.key)
                )
            group.plans.append(plan)

    def _agree_on_product(self, group: _Group) -> None:
        """Kind, category, limit and aliases belong to the product: its rows must agree."""
        if group.product is not None:
            group.kind = group.product.kind
        seen: dict[str, tuple[Any, int]] = {}
        for plan in group.plans:
            kind = plan.values.get("kind")
            if kind is None:
                continue
            if group.product is not None and kind != group.kind:
                self._problem(plan.row, "kind", _(
                    "%(name)s already exists as a different kind of product."
                ) % {"name": group.name})
            elif "kind" in seen and seen["kind"][0] != kind:
                self._disagree(plan, "kind", group, *seen["kind"])
            else:
                seen["kind"] = (kind, plan.row)
                group.kind = kind
        for column in ("category", "purchase_limit"):
            if column not in self.has:
                continue
            group.wanted[column] = "" if column == "category" else None
            for plan in group.plans:
                value = plan.values.get(column)
                if value in ("", None):
                    continue
                if column in seen and seen[column][0] != value:
                    self._disagree(plan, column, group, *seen[column])
                else:
                    seen[column] = (value, plan.row)
                    group.wanted[column] = value
        if "aliases" in self.has:
            wanted: list[str] = []
            for plan in group.plans:
                wanted += [a for a in plan.values.get("aliases", []) if a not in wanted]
            group.wanted["aliases"] = wanted
            if len(wanted) > rules.MAX_ALIASES:
                self._problem(group.plans[-1].row, "aliases", _(
                    "At most %(n)d aliases."
                ) % {"n": rules.MAX_ALIASES})

    def _disagree(self, plan: RowPlan, column: str, group: _Group, value, row: int) -> None:
        self._problem(plan.row, column, _(
            "Row %(row)s gives %(name)s the value %(value)s here; all rows of one product "
            "must agree."
        ) % {"row": row, "name": group.name, "value": value})

    def _check_specs(self, group: _Group) -> None:
        in_file = {plan.sku for plan in group.plans}
        taken: dict[str, str] = {}
        if group.product is not None:
            for sku, spec in self.specs.get(group.product.pk, []):
                if spec and sku not in in_file:
                    taken[spec] = sku
        for plan in group.plans:
            if "spec" in self.has:
                if "spec" not in plan.values:
                    continue  # the cell itself is wrong, already reported
                spec = plan.values["spec"]
            else:
                spec = plan.variant.spec if plan.variant is not None else ""
            plan.spec = spec
            if spec and spec in taken:
                self._problem(plan.row, "spec", _(
                    "%(name)s already has the spec %(spec)s."
                ) % {"name": group.name, "spec": spec})
            elif spec:
                taken[spec] = plan.sku

    def _plan_row(self, plan: RowPlan) -> None:
        group = self.groups[plan.key]
        is_service = group.kind == ProductKind.SERVICE
        values = plan.values
        for column in ("stock", "low_stock_threshold"):
            if is_service and values.get(column):
                self._problem(plan.row, column, _(
                    "%(name)s is a service: it has no stock, only bookings per time slot."
                ) % {"name": group.name})
        if plan.variant is None:
            self._plan_create(plan, group, is_service)
        else:
            self._plan_update(plan, group, is_service)
        if group.plans[0] is plan:
            plan.changes += [
                column for column in PRODUCT_FIELDS
                if column in group.wanted and self._product_differs(group, column)
            ]
        if plan.variant is not None:
            plan.action = "update" if plan.changes else "unchanged"

    def _plan_create(self, plan: RowPlan, group: _Group, is_service: bool) -> None:
        if not is_service:
            plan.receive = plan.values.get("stock") or 0
            plan.threshold_change = plan.values.get("low_stock_threshold") is not None

    def _plan_update(self, plan: RowPlan, group: _Group, is_service: bool) -> None:
        variant, values = plan.variant, plan.values
        if plan.name != variant.product.name:
            plan.changes.append("name")
            if group.plans[0] is plan:
                plan.variant_changes["name"] = plan.name
        for column in VARIANT_FIELDS:
            if column in values and values[column] != getattr(variant, column):
                plan.changes.append(column)
                plan.variant_changes[column] = values[column]
        if is_service:
            return
        level = _level(variant)
        if "low_stock_threshold" in values and values["low_stock_threshold"] != (
            level.low_stock_threshold if level else None
        ):
            plan.changes.append("low_stock_threshold")
            plan.threshold_change = True
        counted = values.get("stock")
        on_hand, reserved = (level.on_hand, level.reserved) if level else (0, 0)
        if counted is not None and counted != on_hand:
            if counted < reserved:
                self._problem(plan.row, "stock", _(
                    "Counted %(counted)s, but %(reserved)s are reserved for orders: release or "
                    "cancel those first."
                ) % {"counted": counted, "reserved": reserved})
            plan.changes.append("stock")
            plan.count = counted

    def _product_differs(self, group: _Group, column: str) -> bool:
        product = group.product
        if product is None:
            return False
        if column == "aliases":
            return set(group.wanted["aliases"]) != self.aliases.get(product.pk, set())
        return group.wanted[column] != getattr(product, column)

    def product_changes(self):
        """(a row of the product, update_sku arguments) for products the file changes."""
        for group in self.groups.values():
            changes = {
                column: group.wanted[column] for column in PRODUCT_FIELDS
                if column in group.wanted and self._product_differs(group, column)
            }
            if changes:
                yield group.plans[0], changes
