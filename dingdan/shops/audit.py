"""Writing the audit log: `record` appends one row for one change, inside the caller's
transaction, so the change and its record commit or roll back together.

`changes` maps a field to {"before": ..., "after": ...}; `diff` computes it from two
snapshots. Secrets never go in: a token's secret or hash and passwords are refused."""

from collections.abc import Iterable, Mapping
from typing import Any

from dingdan import requestid
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.models import Shop

# Object types, stable strings stored in the log.
PRODUCT, VARIANT, STOCK, CUSTOMER = "product", "variant", "stock", "customer"
MEMBERSHIP, API_TOKEN, SHOP, SHOP_SETTINGS = "membership", "api_token", "shop", "shop_settings"
CAMPAIGN, PICKUP_POINT = "campaign", "pickup_point"
WECHAT_PAY_ACCOUNT = "wechat_pay_account"
TRACKING_ACCOUNT = "tracking_account"
SHOP_CARRIER = "shop_carrier"
PAYMENT_QR = "payment_qr"

# Actions.
CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIVATED, DEACTIVATED = "activated", "deactivated"
RECEIVED, ADJUSTED, COUNTED, WRITTEN_OFF = "received", "adjusted", "counted", "written_off"
TAGGED, UNTAGGED = "tagged", "untagged"
ADDRESS_ADDED, ADDRESS_REMOVED, DEFAULT_ADDRESS = (
    "address_added", "address_removed", "default_address_changed"
)
IDENTITY_ADDED = "identity_added"
MERGED, MERGED_INTO = "merged", "merged_into"
ADDED, ROLE_CHANGED, REMOVED = "added", "role_changed", "removed"
REVOKED = "revoked"
CLOSED, CONFIRMED, ORDERS_IMPORTED = "closed", "confirmed", "orders_imported"
LINK_ROTATED = "link_rotated"

# Field names that must never be written to the log, whatever a caller passes.
FORBIDDEN_FIELDS = frozenset({"password", "secret", "token", "token_hash"})

Changes = dict[str, dict[str, Any]]


def change(before: Any, after: Any) -> dict[str, Any]:
    return {"before": before, "after": after}


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `obj` as they are now."""
    return {name: getattr(obj, name) for name in fields}


def initial(values: Mapping[str, Any]) -> Changes:
    """The changes of something new: every field that has a value, from nothing."""
    return {name: change(None, value) for name, value in values.items()
            if value not in (None, "", [])}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The fields whose value differs between two snapshots, as {"before", "after"}."""
    return {
        name: change(before.get(name), after.get(name))
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }


def build(
    *,
    actor: Actor,
    shop: Shop,
    object_type: str,
    obj_id: int | str,
    label: str,
    action: str,
    changes: Changes | None = None,
) -> AuditRecord:
    """An unsaved record (for `record_many`); `record` saves one at once."""
    changes = dict(changes or {})
    forbidden = FORBIDDEN_FIELDS & set(changes)
    if forbidden:
        raise ValueError(f"audit records never hold {sorted(forbidden)}")
    return AuditRecord(
        shop=shop,
        actor_kind=str(actor.kind),
        actor_user=actor.user if actor.kind == ActorKind.STAFF else None,
        actor_token=actor.token if actor.kind == ActorKind.API else None,
        actor_label=actor.label[:150],
        object_type=object_type,
        object_id=str(obj_id)[:64],
        object_label=str(label)[:200],
        action=action,
        changes=changes,
        request_id=requestid.current(),
    )


def record(**kwargs) -> AuditRecord:
    """Append one record: `actor`, `shop`, `object_type`, `obj_id`, `label`, `action` and
    `changes`. Call it inside the transaction that makes the change."""
    entry = build(**kwargs)
    entry.save()
    return entry


def record_many(entries: list[AuditRecord]) -> None:
    """Append many records built with `build` (an import), in a few inserts."""
    AuditRecord.objects.bulk_create(entries, batch_size=500)
