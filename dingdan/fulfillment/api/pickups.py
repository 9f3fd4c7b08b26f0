"""Self-pickup over the API: staff redeem a customer's pickup code."""

from django.http import HttpRequest
from ninja import Router

from dingdan.api.errors import with_errors
from dingdan.fulfillment.api.schemas import RedeemIn, RedemptionOut, redemption_out
from dingdan.fulfillment.services import pickups

router = Router(tags=["pickups"])


@router.post("/pickups/redeem", response=with_errors(RedemptionOut, 409, 429))
def redeem_pickup(request: HttpRequest, payload: RedeemIn):
    """Hand over what waits under `code` (or the chosen `lines`, by order line id, for a
    partial pickup): marked delivered, the order 已送达 once everything is. 404 for an
    unknown code, 409 `already_redeemed` or `not_paid`, 429 `too_many_attempts` after ten
    wrong codes in a minute from one person or token. Redeeming twice is refused, so no
    Idempotency-Key is needed."""
    actor = request.auth
    lines = None if payload.lines is None else [line.dict() for line in payload.lines]
    redemption = pickups.redeem_pickup_code(actor=actor, code=payload.code, lines=lines)
    return redemption_out(redemption, actor)
