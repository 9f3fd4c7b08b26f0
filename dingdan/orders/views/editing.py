"""Changing an order from its page: the edit form (lines, delivery, notes) and 改价 (unit
prices and an order discount).

Both forms carry the order's version. A refusal keeps what the merchant typed and says why;
a stale version also lists what changed since the form was loaded."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.errors import InvalidInput
from dingdan.money import format_yuan, parse_yuan
from dingdan.orders import states
from dingdan.orders.models import DeliveryMethod, Order, OrderEvent
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.selectors import presentation
from dingdan.orders.services import editing
from dingdan.orders.states import Status
from dingdan.orders.views import line_errors
from dingdan.shops.permissions import require
from dingdan.ui.decorators import form_errors, staff_view
from dingdan.ui.errors import Show, refusal
from dingdan.whole_numbers import parse_whole_number

MAX_FORM_ROWS = 50


def may_reprice(order: Order) -> bool:
    """改价 is for orders not yet paid that can still be edited."""
    return states.is_repriceable(order)


def _not_editable(request: HttpRequest, order: Order) -> HttpResponse:
    messages.error(request, _("An order that is %(status)s can no longer be edited; "
                              "use after-sales.") % {"status": Status(order.status).label})
    return redirect("orders:detail", order_id=order.pk)


def _show_stale(request: HttpRequest, order: Order, exc: editing.StaleVersion,
                expected: int) -> int:
    """Say what changed since `expected` and return the order's current version, so the
    kept form can be checked and saved again."""
    messages.error(request, str(exc))
    for event in OrderEvent.objects.filter(order=order, data__version__gt=expected).order_by("id"):
        messages.warning(request, presentation.event_sentence(event))
    messages.info(request, _("What you typed is kept below: check it and save again."))
    return exc.details.get("version", expected)


# -- edit -------------------------------------------------------------------------------


def _form_from_order(order: Order) -> dict:
    return {
        "version": order.version,
        "rows": [{"sku": line.sku, "quantity": str(line.quantity), "remove": False}
                 for line in order.lines.all()],
        "delivery_method": order.delivery_method,
        "note": order.note,
        "internal_note": order.internal_note,
        "reason": "",
        "new_sku": "",
        "new_quantity": "",
    }


def _form_from_post(request: HttpRequest) -> dict:
    post = request.POST
    removed = set(post.getlist("remove"))
    rows = [
        {"sku": sku.strip()[:64], "quantity": quantity.strip()[:12],
         "remove": str(n) in removed}
        for n, (sku, quantity) in enumerate(
            zip(post.getlist("sku"), post.getlist("quantity"), strict=False))
        if sku.strip()
    ][:MAX_FORM_ROWS]
    return {
        "version": post.get("version", "").strip()[:12],
        "rows": rows,
        "delivery_method": post.get("delivery_method", ""),
        # A textarea sends its line breaks as \r\n; the order stores \n.
        "note": post.get("note", "").replace("\r\n", "\n")[:500],
        "internal_note": post.get("internal_note", "").replace("\r\n", "\n")[:500],
        "reason": post.get("reason", "").strip()[:500],
        "new_sku": post.get("new_sku", "").strip()[:64],
        "new_quantity": post.get("new_quantity", "").strip()[:12],
    }


def _take_new_line(form: dict) -> None:
    """Move the "add a product" fields into the rows."""
    if form["new_sku"]:
        form["rows"].append({"sku": form["new_sku"], "quantity": form["new_quantity"] or "1",
                             "remove": False})
        form["new_sku"] = form["new_quantity"] = ""


def _wanted_lines(form: dict, labels: dict[str, str], line_rows: list[int]
                  ) -> list[tuple[str, int]]:
    """(sku, quantity) for the rows kept (ticked "remove" or quantity 0 drops a row). Each
    line's field prefix is put in `labels` with its SKU (for messages) and its row's number
    in `line_rows` (for the errors at that row); every bad quantity is named at once."""
    lines, problems = [], {}
    for number, row in enumerate(form["rows"], 1):
        if row["remove"]:
            continue
        field = f"lines.{len(lines)}"
        try:
            quantity = parse_whole_number(row["quantity"], f"{field}.quantity", required=False)
        except InvalidInput as exc:
            problems.update(exc.fields)
            quantity = None  # counted as a line, so the rows after it keep their numbers
        if quantity == 0:
            continue
        labels[field] = row["sku"]
        line_rows.append(number)
        lines.append((row["sku"], 1 if quantity is None else quantity))
    if problems:
        raise InvalidInput(_("Check the quantities."), fields=problems)
    return lines


# A service field -> the edit form's input. A row's SKU is fixed text on the form, so a
# message about it is shown at the row's one input, its quantity.
EDIT_ROW_INPUTS = {"sku": "qty", "quantity": "qty"}
EDIT_INPUTS = {"lines": "new_sku"}


def _edit(request: HttpRequest, order: Order, form: dict,
          errors: dict[str, str]) -> Order | None:
    """Save the form; on a refusal show why, put its field errors in `errors` by input
    and return None (the form is kept). A field message about line n is prefixed with that
    line's SKU so the merchant knows which one."""
    labels: dict[str, str] = {}
    line_rows: list[int] = []
    version = None
    with refusal(request, labels=labels) as refused:
        try:
            version = parse_whole_number(form["version"], "version")
            lines = _wanted_lines(form, labels, line_rows)
            unchanged = lines == [(line.sku, line.quantity) for line in order.lines.all()]
            return editing.edit_order(
                # Unchanged lines are not sent: a product taken off sale since would refuse
                # them.
                actor=request.actor, order=order, version=version,
                lines=None if unchanged else lines,
                delivery_method=form["delivery_method"], note=form["note"],
                internal_note=form["internal_note"], reason=form["reason"],
            )
        except editing.StaleVersion as exc:
            form["version"] = _show_stale(request, order, exc, version)
    errors.update(line_errors.row_errors(refused.fields, line_rows,
                                         row_inputs=EDIT_ROW_INPUTS, inputs=EDIT_INPUTS))
    held: dict[str, int] = {}
    for line in order.lines.all():
        held[line.sku] = held.get(line.sku, 0) + line.quantity
    skus = [labels[f"lines.{n}"] for n in range(len(line_rows))]
    for key, message in line_errors.shortage_errors(refused.error, line_rows, skus,
                                                    held).items():
        errors.setdefault(key, message)
    return None


@staff_view
def order_edit(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = selectors.order_in_shop(shop, order_id)
    if not states.is_editable(order.status):
        return _not_editable(request, order)
    form = _form_from_order(order)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = _form_from_post(request)
        _take_new_line(form)
        if request.POST.get("op") == "add":
            messages.info(request, _("Added to the list; save to apply."))
        else:
            before = order.version
            edited = _edit(request, order, form, errors)
            if edited is not None:
                if edited.version == before:
                    messages.info(request, _("Nothing changed."))
                else:
                    messages.success(request, _("Order saved."))
                return redirect("orders:detail", order_id=order.pk)
    return render(request, "orders/edit.html", {
        "order": order,
        "form": form,
        "rows": _named_rows(shop, order, form["rows"]),
        "delivery_methods": DeliveryMethod.choices,
        "skus": presentation.skus_on_sale(shop),
        "field_errors": errors,
    })


def _named_rows(shop, order: Order, rows: list[dict]) -> list[dict]:
    names = {line.sku: line.name for line in order.lines.all()}
    missing = {row["sku"] for row in rows} - set(names)
    if missing:
        names |= {v.sku: v.display_name
                  for v in Variant.objects.filter(shop=shop, sku__in=missing)
                  .select_related("product")}
    return [{**row, "name": names.get(row["sku"], "")} for row in rows]


# -- 改价 -------------------------------------------------------------------------------


def _price_rows(order: Order) -> list[dict]:
    """One row per SKU (prices are set per SKU)."""
    rows: dict[str, dict] = {}
    for line in order.lines.all():
        rows.setdefault(line.sku, {"sku": line.sku, "name": line.name,
                                   "quantity": 0, "price": format_yuan(line.unit_price_cents)})
        rows[line.sku]["quantity"] += line.quantity
    return list(rows.values())


def _order_discount(order: Order) -> int:
    return order.discount_cents - sum(line.discount_cents for line in order.lines.all())


def _parse_prices(form: dict) -> tuple[dict[str, int], int]:
    """The typed amounts in 分; every bad one is named in one refusal."""
    prices, problems = {}, {}
    for row in form["rows"]:
        field = f"unit_prices.{row['sku']}"
        try:
            prices[row["sku"]] = parse_yuan(row["price"], field)
        except InvalidInput as exc:
            problems[field] = f"{row['sku']}: {exc}"
    try:
        discount = parse_yuan(form["discount"], "order_discount_cents", required=False) or 0
    except InvalidInput as exc:
        problems["order_discount_cents"] = _("Order discount: %(problem)s") % {"problem": exc}
    if problems:
        raise InvalidInput(_("Check the amounts."), fields=problems)
    return prices, discount


@staff_view
def order_reprice(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.reprice", shop)
    order = selectors.order_in_shop(shop, order_id)
    if not may_reprice(order):
        messages.error(request, _("Prices can only change before the order is paid or shipped."))
        return redirect("orders:detail", order_id=order.pk)
    rows = _price_rows(order)
    form = {"version": order.version, "rows": rows, "reason": "",
            "discount": format_yuan(_order_discount(order))}
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        form = {
            "version": post.get("version", "").strip()[:12],
            "rows": [{**row, "price": post.get(f"price-{row['sku']}", "").strip()[:20]}
                     for row in rows],
            "discount": post.get("discount", "").strip()[:20],
            "reason": post.get("reason", "").strip()[:500],
        }
        if _reprice(request, order, form, errors):
            return redirect("orders:detail", order_id=order.pk)
    return render(request, "orders/reprice.html", {"order": order, "form": form,
                                                   "field_errors": errors})


def _price_inputs(form: dict) -> dict[str, str]:
    """A service field -> the 改价 form's input: a SKU's price is "price-<its row number>"."""
    inputs = {f"unit_prices.{row['sku']}": f"price-{number}"
              for number, row in enumerate(form["rows"], 1)}
    return {**inputs, "order_discount_cents": "discount"}


def _reprice(request: HttpRequest, order: Order, form: dict, errors: dict[str, str]) -> bool:
    """Save the new prices; on a refusal say why (every bad amount), put the field errors
    in `errors` by input and return False."""
    version = None
    with refusal(request, show=Show.SUMMARY_AND_FIELDS) as refused:
        try:
            version = parse_whole_number(form["version"], "version")
            prices, discount = _parse_prices(form)
            repriced = editing.change_prices(
                actor=request.actor, order=order, version=version, unit_prices=prices,
                order_discount_cents=discount, reason=form["reason"],
            )
        except editing.StaleVersion as exc:
            form["version"] = _show_stale(request, order, exc, version)
            return False
    if refused:
        errors.update(form_errors(refused.fields, _price_inputs(form)))
        return False
    if repriced.version == version:
        messages.info(request, _("Nothing changed."))
    else:
        messages.success(request, _("Prices changed."))
    return True
