"""Order templates (常用模板) over the API: saved line sets, and orders placed from them."""

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.orders import privacy
from dingdan.orders.api.schemas import LineIn, OrderCustomerIn, OrderOut, order_out
from dingdan.orders.models import Channel, DeliveryMethod, OrderTemplate
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import placement, presets
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["order templates"])


class TemplateIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    lines: list[LineIn] = Field(..., min_length=1, max_length=placement.MAX_LINES)
    delivery_method: DeliveryMethod = DeliveryMethod.EXPRESS
    note: str = Field("", max_length=500)


class TemplateOut(Schema):
    id: int
    name: str
    lines: list[dict]
    delivery_method: str
    note: str


class FromTemplateIn(Schema):
    customer: OrderCustomerIn
    channel: Channel = Channel.MANUAL
    note: str | None = Field(None, max_length=500)


@router.get("/order-templates", response=with_errors(list[TemplateOut]))
def list_templates(request: HttpRequest):
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return list(OrderTemplate.objects.filter(shop=actor.shop))


@router.post("/order-templates", response=with_errors({201: TemplateOut}, 409))
def save_template(request: HttpRequest, payload: TemplateIn):
    """Save a template (a template with the same name is replaced)."""
    actor = request.auth
    template = presets.save_template(
        actor=actor, shop=actor.shop, name=payload.name,
        lines=[(ln.sku, ln.quantity) for ln in payload.lines],
        delivery_method=payload.delivery_method, note=payload.note,
    )
    return Status(201, template)


@router.delete("/order-templates/{template_id}", response=with_errors({204: None}))
def delete_template(request: HttpRequest, template_id: int):
    actor = request.auth
    template = presets.template_in_shop(actor.shop, template_id)
    presets.delete_template(actor=actor, shop=actor.shop, template=template)
    return Status(204, None)


@router.post("/order-templates/{template_id}/orders",
             response=with_errors({201: OrderOut}, 409))
def order_from_template(request: HttpRequest, template_id: int, payload: FromTemplateIn):
    """Place an order with the template's lines for this customer, priced now."""
    actor = request.auth
    # A retry is answered from the stored first answer without reaching the service.
    require(actor, "orders.create", actor.shop)
    template = presets.template_in_shop(actor.shop, template_id)

    def create() -> dict:
        order = presets.place_from_template(
            actor=actor, template=template,
            customer=placement.CustomerInput(**payload.customer.model_dump()),
            channel=payload.channel, note=payload.note,
        )
        return order_out(selectors.order_in_shop(actor.shop, order.pk),
                         pii=privacy.may_see_pii(actor))

    return idempotency.created(request, actor.shop, OrderOut, create)
