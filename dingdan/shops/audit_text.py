"""Audit records as sentences in the active language: who did what to what, and which
fields went from what to what. Used by the audit page, each object's history and the API."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dingdan.shops import audit
from dingdan.shops.actors import ActorKind
from dingdan.shops.audit_models import AuditRecord
from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows

OBJECT_TYPES = {
    audit.PRODUCT: gettext_lazy("product"),
    audit.VARIANT: gettext_lazy("SKU"),
    audit.STOCK: gettext_lazy("stock"),
    audit.CUSTOMER: gettext_lazy("customer"),
    audit.MEMBERSHIP: gettext_lazy("staff member"),
    audit.API_TOKEN: gettext_lazy("API token"),
    audit.SHOP: gettext_lazy("shop"),
    audit.SHOP_SETTINGS: gettext_lazy("shop settings"),
    audit.CAMPAIGN: gettext_lazy("group buy"),
    audit.PICKUP_POINT: gettext_lazy("pickup point"),
    audit.WECHAT_PAY_ACCOUNT: gettext_lazy("WeChat Pay account"),
    audit.TRACKING_ACCOUNT: gettext_lazy("Kuaidi100 account"),
    audit.SHOP_CARRIER: gettext_lazy("Carrier"),
    audit.PAYMENT_QR: gettext_lazy("Payment QR code"),
}

ACTIONS = {
    audit.CREATED: gettext_lazy("created"),
    audit.CHANGED: gettext_lazy("changed"),
    audit.DELETED: gettext_lazy("deleted"),
    audit.ACTIVATED: gettext_lazy("put on sale"),
    audit.DEACTIVATED: gettext_lazy("taken off sale"),
    audit.RECEIVED: gettext_lazy("stock received"),
    audit.ADJUSTED: gettext_lazy("stock adjusted"),
    audit.COUNTED: gettext_lazy("stock counted"),
    audit.WRITTEN_OFF: gettext_lazy("stock written off"),
    audit.TAGGED: gettext_lazy("tagged"),
    audit.UNTAGGED: gettext_lazy("untagged"),
    audit.ADDRESS_ADDED: gettext_lazy("address added"),
    audit.ADDRESS_REMOVED: gettext_lazy("address removed"),
    audit.DEFAULT_ADDRESS: gettext_lazy("default address changed"),
    audit.IDENTITY_ADDED: gettext_lazy("channel identity added"),
    audit.MERGED: gettext_lazy("merged"),
    audit.MERGED_INTO: gettext_lazy("merged into another"),
    audit.ADDED: gettext_lazy("added"),
    audit.ROLE_CHANGED: gettext_lazy("role changed"),
    audit.REMOVED: gettext_lazy("removed"),
    audit.REVOKED: gettext_lazy("revoked"),
    audit.CLOSED: gettext_lazy("closed"),
    audit.CONFIRMED: gettext_lazy("orders confirmed"),
    audit.ORDERS_IMPORTED: gettext_lazy("orders imported"),
    audit.LINK_ROTATED: gettext_lazy("link replaced"),
}

FIELDS = {
    "name": gettext_lazy("name"),
    "title": gettext_lazy("title"),
    "sku": gettext_lazy("SKU"),
    "spec": gettext_lazy("spec"),
    "price_cents": gettext_lazy("price"),
    "cost_cents": gettext_lazy("cost"),
    "barcode": gettext_lazy("barcode"),
    "weight_grams": gettext_lazy("weight (g)"),
    "is_active": gettext_lazy("on sale"),
    "kind": gettext_lazy("kind"),
    "category": gettext_lazy("category"),
    "aliases": gettext_lazy("aliases"),
    "purchase_limit": gettext_lazy("limit per customer"),
    "slot_capacity": gettext_lazy("bookings per slot"),
    "slot_minutes": gettext_lazy("slot length (minutes)"),
    "on_hand": gettext_lazy("on hand"),
    "reason": gettext_lazy("reason"),
    "note": gettext_lazy("note"),
    "low_stock_threshold": gettext_lazy("low-stock alert below"),
    "phone": gettext_lazy("phone"),
    "tags": gettext_lazy("tags"),
    "tag": gettext_lazy("tag"),
    "address": gettext_lazy("address"),
    "identity": gettext_lazy("channel identity"),
    "merged_customer": gettext_lazy("merged customer"),
    "kept_customer": gettext_lazy("kept customer"),
    "role": gettext_lazy("role"),
    "email": gettext_lazy("email"),
    "revoked_at": gettext_lazy("revoked at"),
    "timezone": gettext_lazy("time zone"),
    "allow_backorders": gettext_lazy("allow backorders"),
    "cut_off_at": gettext_lazy("cut-off"),
    "delivery_date": gettext_lazy("delivery date"),
    "fulfilment": gettext_lazy("pickup or delivery"),
    "rules": gettext_lazy("rules"),
    "status": gettext_lazy("status"),
    "items": gettext_lazy("products"),
    "pickup_points": gettext_lazy("pickup points"),
    "orders_created": gettext_lazy("orders created"),
    "orders_changed": gettext_lazy("orders changed"),
    "orders_accepted": gettext_lazy("orders accepted"),
}

# Fields holding personal data, shown masked to roles that may not see it in full.
PERSONAL_FIELDS = frozenset({"phone", "address"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    record: AuditRecord
    sentence: str
    changes: list[FieldChange]


def actor_label(record: AuditRecord) -> str:
    if record.actor_kind in (ActorKind.SYSTEM, ActorKind.RULE, ActorKind.CUSTOMER):
        return {
            ActorKind.SYSTEM: _("the system"),
            ActorKind.RULE: _("an automation rule"),
            ActorKind.CUSTOMER: _("the customer"),
        }[ActorKind(record.actor_kind)]
    if record.actor_kind == ActorKind.API:
        return _("API token %(name)s") % {"name": record.actor_label}
    return record.actor_label


def object_type_label(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, object_type))


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def sentence(record: AuditRecord) -> str:
    """"张三 changed product 草莓" in the active language."""
    values = {
        "actor": actor_label(record),
        "type": object_type_label(record.object_type),
        "object": record.object_label or f"#{record.object_id}",
    }
    templates = {
        audit.CREATED: _("%(actor)s created %(type)s %(object)s"),
        audit.CHANGED: _("%(actor)s changed %(type)s %(object)s"),
        audit.DELETED: _("%(actor)s deleted %(type)s %(object)s"),
        audit.ACTIVATED: _("%(actor)s put %(type)s %(object)s on sale"),
        audit.DEACTIVATED: _("%(actor)s took %(type)s %(object)s off sale"),
        audit.RECEIVED: _("%(actor)s received stock of %(object)s"),
        audit.ADJUSTED: _("%(actor)s adjusted the stock of %(object)s"),
        audit.COUNTED: _("%(actor)s counted the stock of %(object)s"),
        audit.WRITTEN_OFF: _("%(actor)s wrote off stock of %(object)s"),
        audit.TAGGED: _("%(actor)s tagged customer %(object)s"),
        audit.UNTAGGED: _("%(actor)s took a tag off customer %(object)s"),
        audit.ADDRESS_ADDED: _("%(actor)s added an address to customer %(object)s"),
        audit.ADDRESS_REMOVED: _("%(actor)s removed an address of customer %(object)s"),
        audit.DEFAULT_ADDRESS: _("%(actor)s changed the default address of customer %(object)s"),
        audit.IDENTITY_ADDED: _("%(actor)s added a channel identity to customer %(object)s"),
        audit.MERGED: _("%(actor)s merged another customer into %(object)s"),
        audit.MERGED_INTO: _("%(actor)s merged customer %(object)s into another customer"),
        audit.ADDED: _("%(actor)s added staff member %(object)s"),
        audit.ROLE_CHANGED: _("%(actor)s changed the role of staff member %(object)s"),
        audit.REMOVED: _("%(actor)s removed staff member %(object)s"),
        audit.REVOKED: _("%(actor)s revoked API token %(object)s"),
        audit.CLOSED: _("%(actor)s confirmed the orders of group buy %(object)s and closed it"),
        audit.CONFIRMED: _("%(actor)s confirmed the orders of group buy %(object)s"),
        audit.ORDERS_IMPORTED: _("%(actor)s imported orders into group buy %(object)s"),
    }
    template = templates.get(record.action)
    if template is None:
        return _("%(actor)s: %(action)s %(type)s %(object)s") % {
            **values, "action": record.action,
        }
    return template % values


def _value(field: str, value: Any, *, masked: bool) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if masked and field in PERSONAL_FIELDS:
        return "***"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.endswith("_cents") and isinstance(value, int):
        return f"¥{value // 100}.{value % 100:02d}"
    if field == "role" and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


def present(records, viewer=None) -> list[Entry]:
    """Records as entries to show. `viewer` (an Actor): personal data is masked unless
    their role may see it in full."""
    masked = viewer is not None and not role_allows(viewer.role, "customers.view_pii")
    entries = []
    for record in records:
        changes = [
            FieldChange(
                field=field,
                label=str(FIELDS.get(field, field)),
                before=_value(field, values.get("before"), masked=masked),
                after=_value(field, values.get("after"), masked=masked),
            )
            for field, values in (record.changes or {}).items()
            if isinstance(values, dict)
        ]
        entries.append(Entry(record=record, sentence=sentence(record), changes=changes))
    return entries


HISTORY_LENGTH = 30


def visible_history(viewer, records, *, limit: int = HISTORY_LENGTH) -> list[Entry] | None:
    """An object's latest records for its page, or None when the viewer's role may not see
    the audit log (the page then shows no history at all)."""
    if not role_allows(viewer.role, "audit.view"):
        return None
    return present(records[:limit], viewer)
