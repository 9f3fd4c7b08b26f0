"""Who works at a pickup point: the owner or a manager ties staff members to points, and
staff tied to points hand over only what waits at theirs (services/pickups.py). In the
audit log as a change of the point."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput, NotFound
from dingdan.fulfillment.models import PickupPoint, PickupPointStaff
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Membership
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole

MAX_STAFF = 100


def point_in_shop(actor: Actor, point_id: int) -> PickupPoint:
    point = PickupPoint.objects.filter(shop_id=actor.shop_id, pk=point_id).first()
    if point is None:
        raise NotFound(_("No such pickup point."))
    return point


@transaction.atomic
def set_point_staff(*, actor: Actor, point: PickupPoint, user_ids) -> list[int]:
    """The point's staff become exactly `user_ids` (members of the shop); answers them."""
    require(actor, "members.manage", point.shop)
    if not isinstance(user_ids, list) or len(user_ids) > MAX_STAFF or not all(
            is_whole(user_id, minimum=1) for user_id in user_ids):
        message = _("Give the staff members as a list of user ids.")
        raise InvalidInput(message, fields={"user_ids": message})
    wanted = set(user_ids)
    members = set(Membership.objects.filter(shop_id=point.shop_id, user_id__in=wanted)
                  .values_list("user_id", flat=True))
    strangers = sorted(wanted - members)
    if strangers:
        message = _("Not staff of this shop: %(ids)s.") % {
            "ids": ", ".join(str(user_id) for user_id in strangers)}
        raise InvalidInput(message, fields={"user_ids": message})
    point = PickupPoint.objects.select_for_update().get(pk=point.pk, shop_id=point.shop_id)
    before = sorted(PickupPointStaff.objects.filter(point=point).values_list("user_id",
                                                                             flat=True))
    PickupPointStaff.objects.filter(point=point).exclude(user_id__in=wanted).delete()
    PickupPointStaff.objects.bulk_create(
        [PickupPointStaff(shop_id=point.shop_id, point=point, user_id=user_id)
         for user_id in sorted(wanted - set(before))])
    after = sorted(wanted)
    if before != after:
        audit.record(actor=actor, shop=point.shop, object_type=audit.PICKUP_POINT,
                     obj_id=point.pk, label=point.name, action=audit.CHANGED,
                     changes={"staff": audit.change(before, after)})
    return after


def point_staff(point: PickupPoint) -> list[int]:
    return sorted(PickupPointStaff.objects.filter(point=point).values_list("user_id",
                                                                           flat=True))
