"""REST endpoint for the shop's audit log: every change to what is not an order."""

import zoneinfo
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from dingdan.api.errors import with_errors
from dingdan.api.fields import Moment, RowId
from dingdan.api.pagination import MappedPage, Pages
from dingdan.shops import audit_selectors
from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.audit_text import PERSONAL_FIELDS, sentence
from dingdan.shops.permissions import require, role_allows

router = Router(tags=["audit"])


class AuditRecordOut(Schema):
    id: int
    created_at: datetime
    actor_kind: str
    actor_user_id: int | None
    actor_token_id: int | None
    actor_label: str
    object_type: str
    object_id: str
    object_label: str
    action: str
    changes: dict[str, Any]
    request_id: str
    sentence: str


def _aware(value: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return timezone.make_aware(value, zone)


def _shape(record: AuditRecord, *, masked: bool) -> dict[str, Any]:
    changes = record.changes or {}
    if masked:
        changes = {
            field: {"before": "***" if values.get("before") else values.get("before"),
                    "after": "***" if values.get("after") else values.get("after")}
            if field in PERSONAL_FIELDS and isinstance(values, dict) else values
            for field, values in changes.items()
        }
    return {
        "id": record.pk, "created_at": record.created_at, "actor_kind": record.actor_kind,
        "actor_user_id": record.actor_user_id, "actor_token_id": record.actor_token_id,
        "actor_label": record.actor_label, "object_type": record.object_type,
        "object_id": record.object_id, "object_label": record.object_label,
        "action": record.action, "changes": changes, "request_id": record.request_id,
        "sentence": sentence(record),
    }


@router.get("/audit", response=with_errors(list[AuditRecordOut]))
@paginate(Pages, page_size=50, max_page_size=200)
def list_audit_records(
    request: HttpRequest,
    actor_user_id: RowId | None = None,
    actor_token_id: RowId | None = None,
    object_type: str | None = Query(None, max_length=32),
    object_id: str | None = Query(None, max_length=64),
    action: str | None = Query(None, max_length=32),
    since: Moment | None = None,
    until: Moment | None = None,
):
    """The shop's audit records, newest first, as `{"items": [...], "count": N}`. `since` is
    inclusive, `until` exclusive; a time without an offset is in the shop's time zone.
    Orders keep their own timeline."""
    actor = request.auth
    require(actor, "audit.view", actor.shop)
    zone = zoneinfo.ZoneInfo(actor.shop.timezone)
    records = audit_selectors.audit_for_shop(
        actor.shop, actor_user_id=actor_user_id, actor_token_id=actor_token_id,
        object_type=object_type, object_id=object_id, action=action,
        since=_aware(since, zone), until=_aware(until, zone),
    )
    masked = not role_allows(actor.role, "customers.view_pii")
    return MappedPage(records, lambda record: _shape(record, masked=masked))
