"""What of an order's personal data a member of staff may see. Roles without
"customers.view_pii" see the phone as 138****5678 and the street part of every address
hidden: the address on the order, an address the customer asked to change to, and the
addresses in the timeline's edits. The API's answers, the order pages and the campaign
summaries all draw an order's contact through this module, the one place that decides
(the customer's own page, reached by their signed link, is theirs and shows everything)."""

from dataclasses import dataclass
from typing import Any

from dingdan.customers.addresses import AddressParts, split_address
from dingdan.customers.privacy import mask_detail, mask_phone, may_see_pii
from dingdan.orders.models import Order, OrderChangeRequest

__all__ = ["OrderContact", "address_line_as_seen_by", "change_request_as_seen_by",
           "contact_as_seen_by", "event_data_as_seen_by", "may_see_pii"]


@dataclass(frozen=True)
class OrderContact:
    name: str
    phone: str
    province: str
    city: str
    district: str
    detail: str
    is_masked: bool

    @property
    def address(self) -> str:
        """The address as one line for a page; 北京市 is both province and city: said once."""
        parts = (self.province, self.city, self.district, self.detail)
        return " ".join(dict.fromkeys(part for part in parts if part))


def contact_as_seen_by(order: Order, *, pii: bool) -> OrderContact:
    """The customer's name, phone and address written on the order, masked unless `pii`."""
    return OrderContact(
        name=order.customer_name,
        phone=order.customer_phone if pii else mask_phone(order.customer_phone),
        province=order.province,
        city=order.city,
        district=order.district,
        detail=order.address_detail if pii else mask_detail(order.address_detail),
        is_masked=not pii,
    )


def address_line_as_seen_by(line: str, *, pii: bool) -> str:
    """A whole address line ("广东省深圳市南山区科技园路1号"): its province, city and
    district stay readable, its street part is masked unless `pii`."""
    if pii or not line:
        return line
    parts = split_address(line)
    return AddressParts(parts.province, parts.city, parts.district,
                        mask_detail(parts.detail)).as_line()


def event_data_as_seen_by(kind: str, data: dict, *, pii: bool) -> dict[str, Any]:
    """A timeline event's data with the addresses it carries masked unless `pii`: an edit's
    before and after, and the address a customer asked for."""
    if pii or not data:
        return data
    data = dict(data)
    if kind == "edited" and isinstance(data.get("changes"), dict):
        changes = dict(data["changes"])
        if isinstance(changes.get("address"), dict):
            changes["address"] = {
                side: address_line_as_seen_by(value, pii=False) if isinstance(value, str)
                else value
                for side, value in changes["address"].items()
            }
        data["changes"] = changes
    if kind == "change_requested" and isinstance(data.get("address"), str):
        data["address"] = address_line_as_seen_by(data["address"], pii=False)
    return data


def change_request_as_seen_by(request: OrderChangeRequest, *, pii: bool) -> dict[str, Any]:
    """A customer's change request, the new address masked unless `pii`."""
    return {
        "id": request.pk,
        "status": request.status,
        "lines": request.lines,
        "address": address_line_as_seen_by(request.address, pii=pii),
        "note": request.note,
        "customer_message": request.customer_message,
        "base_version": request.base_version,
        "decided_by": request.decided_by,
        "decided_at": request.decided_at,
        "decision_note": request.decision_note,
        "created_at": request.created_at,
        "pk": request.pk,
    }
