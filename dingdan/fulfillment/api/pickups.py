"""Self-pickup over the API: staff redeem a customer's pickup code; who works at which
pickup point."""

from django.http import HttpRequest
from ninja import Router, Schema

from dingdan.api.errors import with_errors
from dingdan.fulfillment.api.schemas import RedeemIn, RedemptionOut, redemption_out
from dingdan.fulfillment.services import pickup_point_staff, pickups
from dingdan.shops.permissions import require

router = Router(tags=["pickups"])


@router.post("/pickups/redeem", response=with_errors(RedemptionOut, 409, 429))
def redeem_pickup(request: HttpRequest, payload: RedeemIn):
    """Hand over what waits under `code` (or the chosen `lines`, by order line id, for a
    partial pickup): marked delivered, the order 已送达 once everything is. 404 for an
    unknown code, 409 `already_redeemed`, `not_paid` or `wrong_pickup_point` (the goods
    wait at another point than the ones the staff member is tied to), 429
    `too_many_attempts` after ten wrong codes in a minute from one person or token.
    Redeeming twice is refused, so no Idempotency-Key is needed."""
    actor = request.auth
    lines = None if payload.lines is None else [line.dict() for line in payload.lines]
    redemption = pickups.redeem_pickup_code(actor=actor, code=payload.code, lines=lines)
    return redemption_out(redemption, actor)


class PointStaffIn(Schema):
    user_ids: list[int]


class PointStaffOut(Schema):
    point_id: int
    user_ids: list[int]


@router.get("/pickup-points/{point_id}/staff", response=with_errors(PointStaffOut))
def get_point_staff(request: HttpRequest, point_id: int):
    """The staff members tied to the point (user ids)."""
    actor = request.auth
    require(actor, "members.view", actor.shop)
    point = pickup_point_staff.point_in_shop(actor, point_id)
    return {"point_id": point.pk, "user_ids": pickup_point_staff.point_staff(point)}


@router.put("/pickup-points/{point_id}/staff", response=with_errors(PointStaffOut))
def set_point_staff(request: HttpRequest, point_id: int, payload: PointStaffIn):
    """Tie exactly these staff members (user ids) to the point (`members.manage`, in the
    audit log). Staff tied to points hand over only the codes waiting at theirs; staff tied
    to none, and API tokens, hand over anywhere. 400 on `user_ids` naming who is not staff
    of the shop."""
    actor = request.auth
    point = pickup_point_staff.point_in_shop(actor, point_id)
    user_ids = pickup_point_staff.set_point_staff(actor=actor, point=point,
                                                  user_ids=payload.user_ids)
    return {"point_id": point.pk, "user_ids": user_ids}
