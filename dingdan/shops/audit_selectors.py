"""Reading the audit log, always scoped to one shop, newest first."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.models import Shop


def _records(shop: Shop) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(shop=shop).order_by("-created_at", "-id")


def history_for(shop: Shop, object_type: str, object_id: int | str) -> QuerySet[AuditRecord]:
    """Everything that was done to one object."""
    return _records(shop).filter(object_type=object_type, object_id=str(object_id))


def history_for_objects(
    shop: Shop, objects: Iterable[tuple[str, int | str]]
) -> QuerySet[AuditRecord]:
    """The history of several objects that belong together (a product, its SKUs and their
    stock), interleaved by time."""
    condition = Q()
    for object_type, object_id in objects:
        condition |= Q(object_type=object_type, object_id=str(object_id))
    if not condition:
        return AuditRecord.objects.none()
    return _records(shop).filter(condition)


def audit_for_shop(
    shop: Shop,
    *,
    actor_user_id: int | None = None,
    actor_token_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditRecord]:
    """The shop's records, filtered; `since` is inclusive, `until` exclusive."""
    records = _records(shop)
    if actor_user_id is not None:
        records = records.filter(actor_user_id=actor_user_id)
    if actor_token_id is not None:
        records = records.filter(actor_token_id=actor_token_id)
    if object_type:
        records = records.filter(object_type=object_type)
    if object_id:
        records = records.filter(object_id=str(object_id))
    if action:
        records = records.filter(action=action)
    if since is not None:
        records = records.filter(created_at__gte=since)
    if until is not None:
        records = records.filter(created_at__lt=until)
    return records


def object_types_in_use(shop: Shop) -> list[str]:
    return list(_records(shop).order_by("object_type").values_list("object_type", flat=True)
                .distinct())


def actions_in_use(shop: Shop) -> list[str]:
    return list(_records(shop).order_by("action").values_list("action", flat=True).distinct())
