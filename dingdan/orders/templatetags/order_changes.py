"""{% change_request_panel order %}: the customer's link and any change they asked for."""

from django import template
from django.urls import reverse

from dingdan.orders import privacy
from dingdan.orders.models import ChangeRequestStatus, OrderChangeRequest
from dingdan.shops.permissions import role_allows

register = template.Library()


@register.inclusion_tag("orders/_change_request.html", takes_context=True)
def change_request_panel(context, order):
    request = context["request"]
    pending = OrderChangeRequest.objects.filter(
        order=order, status=ChangeRequestStatus.PENDING).first()
    current = [{"sku": line.sku, "name": line.name, "quantity": line.quantity}
               for line in order.lines.all()]
    names = {line["sku"]: line["name"] for line in current}
    pii = privacy.may_see_pii(request.actor)
    shown = privacy.change_request_as_seen_by(pending, pii=pii) if pending else None
    return {
        "order": order,
        # The link opens the order with the full address: only for roles that may see it.
        "link": request.build_absolute_uri(reverse("storefront:order", args=[order.link_token]))
        if pii else "",
        "pending": shown,
        "current_lines": current,
        "asked_lines": [{**line, "name": names.get(line["sku"], line["sku"])}
                        for line in (pending.lines or [])] if pending else [],
        "can_decide": role_allows(request.actor.role, "orders.edit"),
        "csrf_token": context.get("csrf_token"),
    }
