"""The shop settings page: every setting in its group, saved by the same service as the API,
and a live example of the next order number."""

import zoneinfo

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from pydantic import ValidationError

from dingdan.errors import InvalidInput
from dingdan.orders.numbering import example_number
from dingdan.shops import config
from dingdan.shops.permissions import require
from dingdan.shops.services import shops as services
from dingdan.ui.decorators import staff_view
from dingdan.ui.errors import refusal

from . import settings_form


@staff_view
def shop_settings(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    current = config.shop_settings(actor.shop)
    if request.method != "POST":
        return _page(request, settings_form.values_of(current), {}, current)
    changes, errors = settings_form.changes_from(request.POST)
    if errors:
        # Show every problem at once: what could be read is checked too, nothing is saved.
        try:
            config.validated(current, changes)
        except ValidationError as exc:
            errors = {**settings_form.form_errors(config.error_fields(exc)), **errors}
    else:
        with refusal(catch=InvalidInput) as refused, transaction.atomic():
            services.update_shop_settings(actor=actor, shop=actor.shop, changes=changes)
            if "name" in request.POST:
                services.update_shop(actor=actor, shop=actor.shop,
                                     name=request.POST.get("name", ""))
        if refused:
            errors = settings_form.form_errors(refused.fields) or {"name": refused.message}
    if errors:
        actor.shop.refresh_from_db()
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        values = settings_form.values_posted(request.POST)
        return _page(request, values, errors, current, status=400)
    messages.success(request, _("Settings saved."))
    return redirect("web:shop_settings")


@staff_view
def number_example(request: HttpRequest) -> HttpResponse:
    """The next order number under the scheme and pattern the form shows right now."""
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    current = config.shop_settings(actor.shop)
    wanted = {name: request.GET[name] for name in
              ("order_number_scheme", "order_number_pattern", "timezone") if name in request.GET}
    try:
        example, problem = example_number(actor.shop, config.validated(current, wanted)), ""
    except ValidationError as exc:
        example, problem = "", "; ".join(config.error_fields(exc).values())
    return render(request, "web/_number_example.html", {"example": example, "problem": problem})


def _page(request, values, errors, current, *, status: int = 200) -> HttpResponse:
    def field(name: str) -> dict:
        return {"name": name, "label": config.label(name), "help": config.help_text(name),
                "value": values.get(name, ""), "error": errors.get(name, ""),
                "choices": list(config.CHOICE_LABELS.get(name, {}).items())}

    methods = [
        {"name": input_name, "label": config.DELIVERY_METHODS[method],
         "value": values.get(input_name, ""), "error": errors.get(input_name, "")}
        for method, input_name in settings_form.METHOD_FIELDS.items()
    ]
    shipping = {name: {"name": name, "value": values.get(name, ""),
                       "error": errors.get(name, ""), "help": settings_form.SHIPPING_HELP[name]}
                for name in ("shipping_flat", "shipping_free_over")}
    try:
        shown = config.validated(current, {
            name: values[name] for name in ("order_number_scheme", "order_number_pattern")
            if values.get(name)})
        example = example_number(request.actor.shop, shown)
    except ValidationError:
        example = ""
    context = {
        "f": {name: field(name) for name in config.FIELDS},
        "groups": config.GROUPS,
        "methods": methods,
        "methods_help": settings_form.SHIPPING_HELP["methods"],
        "shipping": shipping,
        "tax": {"name": "tax_rate", "value": values.get("tax_rate", ""),
                "error": errors.get("tax_rate", ""), "help": settings_form.TAX_HELP},
        "name_error": errors.get("name", ""),
        "shop_name": request.POST.get("name", request.actor.shop.name),
        "example": example,
        "timezones": sorted(zoneinfo.available_timezones()),
    }
    return render(request, "web/shop_settings.html", context, status=status)
