"""What a campaign adds up to, over the API: the summary page's numbers (orders.view).
Phones and addresses in the pick lists are masked for roles without customers.view_pii."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.chains.api.fields import row_id
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors.summaries import CampaignSummary, campaign_summary
from dingdan.orders.privacy import may_see_pii
from dingdan.shops.permissions import require

router = Router(tags=["campaigns"])


class ProductTotalOut(Schema):
    sku: str
    name: str
    quantity: int
    amount_cents: int


class PointTotalsOut(Schema):
    pickup_point: str | None = Field(description="null for orders delivered to an address.")
    label: str = Field(description="The point's name, or the word for delivery.")
    address: str
    products: list[ProductTotalOut]


class PickItemOut(Schema):
    name: str
    quantity: int


class PickRowOut(Schema):
    seq: int
    order_id: int
    order_number: str
    status: str
    customer: str
    phone: str
    address: str = Field(description="The delivery address (empty for a pickup).")
    items: list[PickItemOut]
    note: str
    total_cents: int


class PickListOut(Schema):
    pickup_point: str | None
    label: str
    address: str
    rows: list[PickRowOut]


class CampaignSummaryOut(Schema):
    campaign_id: int
    order_count: int = Field(description="Live orders: edits counted, cancelled ones left out.")
    total_cents: int
    products: list[ProductTotalOut] = Field(description="Totals by product.")
    by_pickup_point: list[PointTotalsOut] = Field(description="Totals by pickup point × product.")
    pick_lists: list[PickListOut]
    pii_masked: bool


def summary_out(campaign_id: int, summary: CampaignSummary, *, pii: bool) -> dict:
    def point(pick) -> dict:
        return {"pickup_point": pick.point or None, "label": pick.label, "address": pick.address}

    return {
        "campaign_id": campaign_id,
        "order_count": summary.order_count,
        "total_cents": summary.total_cents,
        "products": summary.products,
        "by_pickup_point": [
            {**point(pick), "products": pick.products} for pick in summary.pick_lists
        ],
        "pick_lists": [
            {
                **point(pick),
                "rows": [
                    {
                        **row.__dict__,
                        "items": [
                            {"name": name, "quantity": quantity} for name, quantity in row.items
                        ],
                    }
                    for row in pick.rows
                ],
            }
            for pick in summary.pick_lists
        ],
        "pii_masked": not pii,
    }


@router.get("/campaigns/{campaign_id}/summary", response=with_errors(CampaignSummaryOut))
def get_summary(request: HttpRequest, campaign_id: int):
    """Totals by product and by pickup point × product, and each point's pick list."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))
    pii = may_see_pii(actor)
    return summary_out(campaign.pk, campaign_summary(campaign, pii=pii), pii=pii)
