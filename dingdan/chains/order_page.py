"""What group buys add to the orders app's pages, answered through hooks (orders sit below
chains and never import them): the chain entry an order came from, and a chat message
pasted into the new-order form read with the chain parser."""

from django.utils.translation import gettext as _

from dingdan.chains import problem_labels
from dingdan.chains.catalogs import catalog_for_shop
from dingdan.chains.parsing.lines import parse_entry
from dingdan.chains.selectors.campaigns import entry_of_order

MAX_MESSAGE = 2000


def order_page_context(*, shop, order, actor=None) -> dict:
    return {"chain_entry": entry_of_order(shop, order.pk)}


def items_held_by_campaign(*, order) -> str | None:
    """An order from a group buy keeps the campaign's per-person limits, cap and prices: its
    customer asks for a change of items, and the merchant decides."""
    entry = entry_of_order(order.shop, order.pk)
    if entry is None:
        return None
    return str(_("Group buy %(campaign)s: its limits and prices hold for changes of items.")
               % {"campaign": entry.campaign.title})


def read_chat_message(*, shop, text: str) -> dict:
    """The customer, place, items and note in a pasted message ("张三 13800138000 草莓2份
    幸福路8号"), with what the parser could not read, for the form to show."""
    entry = parse_entry(str(text or "")[:MAX_MESSAGE], catalog_for_shop(shop))
    return {
        "customer": entry.customer, "phone": entry.phone or "",
        "address": entry.address or "", "pickup_point": entry.pickup_point or "",
        "note": entry.note or "",
        "items": [(item.sku, item.quantity) for item in entry.items],
        "problems": [str(problem_labels.LABELS.get(code, code)) for code in entry.problems],
        "unmatched": [item.text for item in entry.unmatched],
    }


def pickup_point_for_order(*, order) -> int | None:
    """The `fulfillment.pickup_point_for_order` hook: the point the order's chain entry
    named, where its pickup shipment waits."""
    entry = entry_of_order(order.shop_id, order.pk)
    return entry.pickup_point_id if entry is not None else None
