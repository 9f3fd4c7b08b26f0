"""The merchant's order pages: the list with filters and bulk actions, one order with its
timeline and next steps, and a new order typed in by staff.

Thin: reads are `selectors`, writes are `services`, `editing` and `review`; a refusal
becomes a message on the page, never an error page."""

import zoneinfo
from datetime import timedelta
from urllib.parse import parse_qsl

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan import hooks
from dingdan.errors import InvalidInput
from dingdan.localtime import shop_time
from dingdan.orders import privacy, states
from dingdan.orders.models import Channel, DeliveryMethod, Priority
from dingdan.orders.selectors import listing, presentation
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import bulk as bulk_actions
from dingdan.orders.services import editing, lifecycle, placement, presets
from dingdan.orders.services.review import flag_message
from dingdan.orders.states import CancelReason, PaymentStatus, Status
from dingdan.orders.views import line_errors
from dingdan.orders.views.editing import may_reprice
from dingdan.shops import selectors as shop_selectors
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view
from dingdan.ui.errors import refusal
from dingdan.whole_numbers import parse_whole_number

PAGE_SIZE = 50
NEW_ORDER_ROWS = 5
MAX_FORM_ROWS = 50


def _filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    return {
        "status": get.get("status", "") if get.get("status") in Status.values else "",
        "channel": get.get("channel", "") if get.get("channel") in Channel.values else "",
        "q": get.get("q", "").strip()[:100],
        "tag": get.get("tag", "").strip()[:30],
        "priority": get.get("priority", "")
        if get.get("priority") in {str(p) for p in Priority.values} else "",
        "payment": get.get("payment", "")
        if get.get("payment") in {*PaymentStatus.values, OVERDUE} else "",
    }


OVERDUE = "overdue"  # the payment filter's choice for credit orders past their due date


def _orders(shop, filters: dict[str, str], *, pii: bool, with_status: bool = True):
    payment = filters["payment"]
    due_before = None
    if payment == OVERDUE:
        due_before = selectors.overdue_cut_off(shop, timezone.now())
    return selectors.orders_for_shop(
        shop,
        status=(filters["status"] or None) if with_status else None,
        channel=filters["channel"] or None,
        q=filters["q"] or None,
        tag=filters["tag"] or None,
        priority=int(filters["priority"]) if filters["priority"] else None,
        payment_status=payment if payment in PaymentStatus.values else None,
        unpaid_placed_before=due_before,
        partial_phone=pii,
    ).select_related("assignee")


@staff_view
def order_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    filters = _filters(request)
    pii = privacy.may_see_pii(actor)
    counts = listing.status_counts(_orders(shop, filters, pii=pii, with_status=False))
    everything = listing.total(counts)
    matching = counts[filters["status"]] if filters["status"] else everything
    page = listing.page_of(shop, _orders(shop, filters, pii=pii), listing.page_number(
        request.GET.get("page")), PAGE_SIZE, matching)
    rows = [
        {
            "order": order,
            "phone": privacy.contact_as_seen_by(order, pii=pii).phone,
            "items": presentation.lines_summary(order),
            "tags": selectors.tags_of(order),
            "at": shop_time(shop, order.created_at),
        }
        for order in page.rows
    ]
    without_status = {k: v for k, v in filters.items() if v and k != "status"}
    tabs = [{"value": "", "label": _("All"), "count": everything,
             "query": urlencode(without_status)}]
    tabs += [
        {"value": value, "label": label, "count": counts[value],
         "query": urlencode({**without_status, "status": value})}
        for value, label in Status.choices
    ]
    return render(request, "orders/list.html", {
        "page": page,
        "rows": rows,
        "filters": filters,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        "tabs": tabs,
        "statuses": Status.choices,
        "cancel_reasons": CancelReason.choices,
        "channels": Channel.choices,
        "priorities": Priority.choices,
        "payment_statuses": PaymentStatus.choices,
        "on_credit": selectors.payment_due_before(shop, timezone.now()) is not None,
        "tags": presentation.tags_in_use(shop),
        "members": shop_selectors.members_for_shop(shop),
        "can_create": role_allows(actor.role, "orders.create"),
    })


BULK_ACTIONS = ("accept", "move", "tag", "assign", "priority")


def _bulk_request(request: HttpRequest) -> tuple[str, dict]:
    """The form's bulk action as a `bulk_actions.bulk_apply` action and its parameters."""
    post = request.POST
    action = post.get("action", "")
    if action == "accept":
        return "transition", {"to": Status.ACCEPTED}
    if action == "move":
        return "transition", {"to": post.get("to", ""), "note": post.get("note", "")[:500],
                              "reason": post.get("reason") or None}
    if action == "tag":
        return "tag", {"tags": [post.get("tag", "")]}
    if action == "assign":
        assignee = post.get("assignee_id", "")
        return "assign", {"assignee_id": parse_whole_number(assignee, "assignee_id")
                          if assignee else None}
    if action == "priority":
        return "priority", {"priority": parse_whole_number(post.get("priority"), "priority")}
    message = _("Choose what to do with the selected orders.")
    raise InvalidInput(message, fields={"action": message})


@staff_view
@require_POST
def order_bulk(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    result = attempt(request, lambda: _run_bulk(request, ids))
    if isinstance(result, dict):
        _report_bulk(request, shop, result)
    # Back to the same filtered page; re-encoded so nothing but a query string gets through.
    back = urlencode(parse_qsl(request.POST.get("back", "")[:500]))
    return redirect(reverse("orders:list") + (f"?{back}" if back else ""))


def _run_bulk(request: HttpRequest, ids: list[int]) -> dict:
    action, params = _bulk_request(request)
    return bulk_actions.bulk_apply(actor=request.actor, shop=request.actor.shop, order_ids=ids,
                               action=action, params=params)


def _report_bulk(request: HttpRequest, shop, result: dict) -> None:
    if result["succeeded"]:
        messages.success(request, _("Done for %(n)d orders: %(numbers)s") % {
            "n": len(result["succeeded"]),
            "numbers": ", ".join(row["number"] for row in result["succeeded"]),
        })
    if result["failed"]:
        numbers = dict(
            selectors.orders_for_shop(shop).filter(pk__in=[f["id"] for f in result["failed"]])
            .values_list("pk", "number")
        )
        for row in result["failed"]:
            messages.error(request, _("Not done for %(number)s: %(reason)s") % {
                "number": numbers.get(row["id"], f"#{row['id']}"),
                "reason": row["error"]["message"],
            })


@staff_view
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    order = selectors.order_in_shop(shop, order_id, with_events=True)
    if request.method == "POST":
        operation = request.POST.get("op")
        if operation == "transition":
            attempt(request, lambda: lifecycle.transition_order(
                actor=actor, order=order, to=request.POST.get("to", ""),
                note=request.POST.get("note", "")[:500],
                reason=request.POST.get("reason") or None,
            ), _("Status changed."))
        elif operation == "internal_note":
            attempt(request, lambda: editing.edit_order(
                actor=actor, order=order,
                version=parse_whole_number(request.POST.get("version"), "version"),
                internal_note=request.POST.get("internal_note", ""),
            ), _("Note saved."))
        return redirect("orders:detail", order_id=order.pk)
    return render_order_page(request, order)


def render_order_page(request: HttpRequest, order, *, extra: dict | None = None) -> HttpResponse:
    """The order's page; `extra` replaces parts the apps above orders contribute (a refused
    form of theirs, shown again as typed)."""
    actor, shop = request.actor, request.actor.shop
    contact = privacy.contact_as_seen_by(order, pii=privacy.may_see_pii(actor))
    return render(request, "orders/detail.html", {
        "order": order,
        "phone": contact.phone,
        "address": contact.address,
        "pii_masked": contact.is_masked,
        "placed_at": shop_time(shop, order.created_at),
        "moves": [
            {"to": t.to, "label": Status(t.to).label, "is_cancel": t.to == Status.CANCELLED}
            for t in presentation.staff_moves(order, actor.role)
        ],
        "cancel_reasons": CancelReason.choices,
        "timeline": presentation.timeline(order),
        "can_edit": role_allows(actor.role, "orders.edit")
        and states.is_editable(order.status),
        "can_reprice": role_allows(actor.role, "orders.reprice") and may_reprice(order),
        "can_save_template": role_allows(actor.role, "orders.create"),
        **_review_context(actor, order),
        **_contributed_context(actor, order),
        **(extra or {}),
    })


def _contributed_context(actor, order) -> dict:
    """What the apps above orders add to its page (a group buy: the entry it came from; the
    money panel and, for the roles allowed, its forms)."""
    context: dict = {}
    for part in hooks.collect("orders.page_context", shop=actor.shop, order=order, actor=actor):
        context.update(part)
    return context


def _review_context(actor, order) -> dict:
    """Open flags and follow-ups, and whether this role may act on them."""
    may_review = role_allows(actor.role, "orders.edit")
    now = timezone.now()
    tomorrow = (now + timedelta(days=1)).astimezone(zoneinfo.ZoneInfo(order.shop.timezone))
    return {
        "flags": [
            # A change request is decided, not resolved: it has its own buttons.
            {"code": flag.code, "message": flag_message(flag.code, flag.data),
             "may_resolve": may_review
             and flag.code not in ("change_requested", "payment_reported")}
            for flag in order.open_flag_list
        ],
        "follow_ups": [
            {"id": f.pk, "note": f.note, "due": shop_time(order.shop, f.due_at),
             "is_overdue": f.due_at <= now}
            for f in order.follow_ups.all() if f.done_at is None
        ],
        "may_review": may_review,
        "default_due": tomorrow.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M"),
    }


def line_rows(request: HttpRequest) -> list[dict[str, str]]:
    skus, quantities = request.POST.getlist("sku"), request.POST.getlist("quantity")
    rows = [
        {"sku": sku.strip()[:64], "quantity": quantity.strip()[:12]}
        for sku, quantity in zip(skus, quantities, strict=False)
    ][:MAX_FORM_ROWS]
    return rows


def wanted_lines(rows: list[dict[str, str]]) -> list[tuple[str, int]]:
    """(sku, quantity) for every row with a SKU; a blank quantity means one. Every bad
    quantity is named in one refusal, by its line's place as the service numbers lines."""
    lines, problems = [], {}
    for n, row in enumerate(row for row in rows if row["sku"]):
        try:
            quantity = parse_whole_number(row["quantity"], f"lines.{n}.quantity",
                                          required=False)
        except InvalidInput as exc:
            problems.update(exc.fields)
            continue
        # 0 is sent as typed, for the service to refuse: only a blank means one.
        lines.append((row["sku"], 1 if quantity is None else quantity))
    if problems:
        raise InvalidInput(_("Check the quantities."), fields=problems)
    return lines


def filled_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows something was typed in, which the form shows first."""
    return [row for row in rows if row["sku"] or row["quantity"]]


def refused_rows(refused, rows: list[dict[str, str]],
                 inputs: dict[str, str] | None = None) -> dict[str, str]:
    """A refusal of the lines typed in `rows` by the input that shows each message: line n
    is the n-th row with a SKU among the rows the form shows again."""
    filled = filled_rows(rows)
    line_rows = [number for number, row in enumerate(filled, 1) if row["sku"]]
    skus = [row["sku"] for row in filled if row["sku"]]
    errors = line_errors.row_errors(refused.fields, line_rows,
                                    inputs={"lines": "sku-1", **(inputs or {})})
    for key, message in line_errors.shortage_errors(refused.error, line_rows, skus).items():
        errors.setdefault(key, message)
    return errors


@staff_view
def order_new(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.create", shop)
    form = {"name": "", "phone": "", "address": "", "delivery_method": DeliveryMethod.EXPRESS,
            "note": ""}
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        rows = line_rows(request)
        if request.POST.get("op") == "paste":
            form, rows = _from_message(request, shop, request.POST.get("message", ""))
        elif request.POST.get("op") == "more_rows":
            rows += [{"sku": "", "quantity": ""}] * NEW_ORDER_ROWS
        else:
            order = _place(request, form, rows, errors)
            if order:
                messages.success(request, _("Order %(number)s placed.") % {
                    "number": order.number})
                return redirect("orders:detail", order_id=order.pk)
    elif request.GET.get("template", "").isdigit():
        form, rows = _from_template(request, shop, int(request.GET["template"]), form)
    return render(request, "orders/new.html", {
        "form": form,
        "rows": form_rows(rows),
        "delivery_methods": DeliveryMethod.choices,
        "skus": presentation.skus_on_sale(shop),
        "templates": presets.templates_for_shop(shop),
        "field_errors": errors,
    })


def form_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows typed so far and blank ones to type more in."""
    filled = filled_rows(rows)
    blank = max(NEW_ORDER_ROWS - len(filled), len(rows) - len(filled), 1)
    return filled + [{"sku": "", "quantity": ""}] * blank


def _from_template(request: HttpRequest, shop, template_id: int, form: dict[str, str]):
    """Start the form from a 常用模板: its lines, delivery and note; the customer is typed."""
    template = presets.template_in_shop(shop, template_id)
    messages.info(request, _("Started from the template %(name)s: add the customer, check, "
                             "then place the order.") % {"name": template.name})
    form = {**form, "delivery_method": template.delivery_method, "note": template.note}
    return form, [{"sku": line["sku"], "quantity": str(line["quantity"])}
                  for line in template.lines]


def _from_message(request: HttpRequest, shop, text: str):
    """Fill the form from a pasted chat message ("张三 13800138000 草莓2份 幸福路8号"), read
    by the group-buy parser through a hook; nothing is saved until the merchant checks and
    places it."""
    readings = hooks.collect("orders.read_chat_message", shop=shop, text=text)
    if not readings:
        messages.warning(request, _("Pasted messages cannot be read here."))
        return {"name": "", "phone": "", "address": "", "note": "",
                "delivery_method": DeliveryMethod.EXPRESS}, []
    entry = readings[0]
    form = {
        "name": entry["customer"], "phone": entry["phone"],
        "address": entry["address"] or entry["pickup_point"],
        "delivery_method": DeliveryMethod.PICKUP if entry["pickup_point"]
        else DeliveryMethod.EXPRESS,
        "note": entry["note"],
    }
    rows = [{"sku": sku, "quantity": str(quantity)} for sku, quantity in entry["items"]]
    for problem in entry["problems"]:
        messages.warning(request, problem)
    for text in entry["unmatched"]:
        messages.warning(request, _("Not understood: %(text)s") % {"text": text})
    if entry["items"] or entry["customer"]:
        messages.info(request, _("Filled from the message: check it, then place the order."))
    return form, rows


# The customer's fields as the service names them -> the form's inputs.
CUSTOMER_INPUTS = {f"address.{part}": "address"
                   for part in ("province", "city", "district", "detail")}


def _place(request: HttpRequest, form: dict[str, str], rows: list[dict[str, str]],
           errors: dict[str, str]):
    """Place the typed order; a refusal's field errors go in `errors` by input."""
    with refusal(request) as refused:
        return placement.place_order(
            actor=request.actor, shop=request.actor.shop,
            customer=placement.CustomerInput(name=form["name"], phone=form["phone"] or None,
                                            address=form["address"] or None),
            lines=wanted_lines(rows),
            channel=Channel.MANUAL,
            delivery_method=form["delivery_method"],
            note=form["note"],
        )
    errors.update(refused_rows(refused, rows, CUSTOMER_INPUTS))
    return None
