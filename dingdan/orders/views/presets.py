"""常用模板 in the back office: the list (create from lines, delete, start an order from
one) and "save as template" from an order's page. Starting an order opens the new-order form
prefilled (`views.order_new` with `?template=`)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.orders.models import DeliveryMethod, OrderTemplate
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.selectors import presentation
from dingdan.orders.services import presets
from dingdan.orders.views.orders import (
    NEW_ORDER_ROWS,
    form_rows,
    line_rows,
    refused_rows,
    wanted_lines,
)
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view
from dingdan.ui.errors import refusal


def _save(request: HttpRequest, form: dict[str, str], rows: list[dict[str, str]],
          errors: dict[str, str]) -> OrderTemplate | None:
    """Save the typed template; a refusal's field errors go in `errors` by input."""
    with refusal(request) as refused:
        return presets.save_template(
            actor=request.actor, shop=request.actor.shop, name=form["name"],
            lines=wanted_lines(rows), delivery_method=form["delivery_method"],
            note=form["note"],
        )
    errors.update(refused_rows(refused, rows))
    return None


@staff_view
def template_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    form = {"name": "", "delivery_method": DeliveryMethod.EXPRESS, "note": ""}
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    if request.method == "POST":
        require(actor, "orders.create", shop)
        form = {key: request.POST.get(key, "").strip() for key in form}
        rows = line_rows(request)
        if request.POST.get("op") == "more_rows":
            rows += [{"sku": "", "quantity": ""}] * NEW_ORDER_ROWS
        elif template := _save(request, form, rows, errors):
            messages.success(request, _("Template %(name)s saved.") % {"name": template.name})
            return redirect("orders:templates")
    templates = [
        {"template": t, "delivery": DeliveryMethod(t.delivery_method).label,
         "items": ", ".join(f"{line['sku']} × {line['quantity']}" for line in t.lines)}
        for t in presets.templates_for_shop(shop)
    ]
    return render(request, "orders/templates.html", {
        "templates": templates,
        "form": form,
        "rows": form_rows(rows),
        "delivery_methods": DeliveryMethod.choices,
        "skus": presentation.skus_on_sale(shop),
        "may_manage": role_allows(actor.role, "orders.create"),
        "field_errors": errors,
    })


@staff_view
@require_POST
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.create", shop)
    template = presets.template_in_shop(shop, template_id)
    attempt(request, lambda: presets.delete_template(
        actor=actor, shop=shop, template=template,
    ), _("Template %(name)s deleted.") % {"name": template.name})
    return redirect("orders:templates")


@staff_view
@require_POST
def save_order_as_template(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order's lines and delivery, under a name, for the next order like it."""
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.create", shop)
    order = selectors.order_in_shop(shop, order_id)
    name = request.POST.get("name", "")
    attempt(request, lambda: presets.save_template(
        actor=actor, shop=shop, name=name,
        lines=[(line.sku, line.quantity) for line in order.lines.all()],
        delivery_method=order.delivery_method,
    ), _("Saved as the template %(name)s.") % {"name": " ".join(name.split())})
    return redirect("orders:detail", order_id=order.pk)
