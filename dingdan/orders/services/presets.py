"""常用模板: saved line sets a merchant starts orders from (a weekly fruit box, a party
package). A template names SKUs, not prices: an order from it is priced when placed."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.orders.models import DeliveryMethod, Order, OrderTemplate
from dingdan.orders.services import placement
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require


@transaction.atomic
def save_template(
    *, actor: Actor, shop: Shop, name: str, lines: list[tuple[str, int]],
    delivery_method: str = DeliveryMethod.EXPRESS, note: str = "",
) -> OrderTemplate:
    """Create a template, or replace the one with this name."""
    require(actor, "orders.create", shop)
    name = " ".join(str(name or "").split())
    if not name or len(name) > 60:
        message = _("A template name is 1 to 60 characters.")
        raise InvalidInput(message, fields={"name": message})
    if delivery_method not in DeliveryMethod.values:
        message = _("Unknown delivery method.")
        raise InvalidInput(message, fields={"delivery_method": message})
    placement.variants_for_lines(shop, lines)  # every SKU must exist now
    try:
        with transaction.atomic():
            template, _created = OrderTemplate.objects.update_or_create(
                shop=shop, name=name,
                defaults={"lines": [{"sku": s, "quantity": q} for s, q in lines],
                          "delivery_method": delivery_method, "note": (note or "")[:500]},
            )
    except IntegrityError:
        raise Conflict(_("A template with this name already exists."),
                       code="template_exists") from None
    return template


@transaction.atomic
def delete_template(*, actor: Actor, shop: Shop, template: OrderTemplate) -> None:
    require(actor, "orders.create", shop)
    template.delete()


def templates_for_shop(shop: Shop) -> list[OrderTemplate]:
    return list(OrderTemplate.objects.filter(shop=shop).order_by("name"))


def template_in_shop(shop: Shop, template_id: int) -> OrderTemplate:
    template = OrderTemplate.objects.filter(shop=shop, pk=template_id).first()
    if template is None:
        raise NotFound(_("Template not found."), code="template_not_found")
    return template


def place_from_template(
    *, actor: Actor, template: OrderTemplate, customer: placement.CustomerInput,
    channel: str = "manual", note: str | None = None,
) -> Order:
    """An order with the template's lines and delivery for this customer, priced now."""
    return placement.place_order(
        actor=actor, shop=template.shop, customer=customer,
        lines=[(line["sku"], line["quantity"]) for line in template.lines],
        channel=channel, delivery_method=template.delivery_method,
        note=template.note if note is None else note,
    )
