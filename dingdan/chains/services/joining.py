"""Joining a campaign on its public page, and replacing the page's link.

A customer who joins on the page makes the same entry a chain line would: dingdan writes
the line in the chain's format ("张三 草莓500g×2 13800138000 阳光小区东门"), reads it back
with the chain reader (so its identity key and content hash are exactly those a paste of
that line will have), and makes the order through the same step as confirming an import,
under the same campaign row lock: per-person limits and the total cap hold for the page and
the pasted chain together. The line is listed below dingdan's chain text until a paste
shows the group's chain has it."""

import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.chains.models import Campaign, ChainEntry, EntrySource, Fulfilment, new_join_token
from dingdan.chains.parsing import identity
from dingdan.chains.selectors.campaigns import campaign_items
from dingdan.chains.selectors.chain_text import entry_line
from dingdan.chains.selectors.join_page import MAX_QUANTITY, latest_pasted_entries
from dingdan.chains.selectors.reading import CampaignReader, read_chain, reader_for
from dingdan.chains.services import audit_records, confirming
from dingdan.chains.services.campaigns import accepts_new_entries
from dingdan.customers.phone import InvalidPhone, normalize_phone
from dingdan.errors import Conflict, InvalidInput
from dingdan.orders.models import Order
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole

MAX_ADDRESS = 200


@transaction.atomic
def join_campaign(
    *,
    campaign: Campaign,
    customer: str,
    phone: str,
    quantities: dict[str, int],
    pickup_point_id: int | None = None,
    address: str = "",
) -> Order:
    """The customer's order from the join page: `quantities` by SKU (0 for none), their name
    and phone, a pickup point of the campaign (or an address for a delivery campaign).
    Refused after the cut-off or once the campaign is closed; a field that is wrong is
    named in the refusal's `fields` ("customer", "phone", "items", "items.<sku>",
    "pickup_point", "address")."""
    shop = campaign.shop
    actor = Actor.customer(shop)
    campaign = confirming.lock_campaign(shop, campaign.pk)
    if not accepts_new_entries(campaign):
        raise Conflict(_("This group buy has closed; it takes no more orders."),
                       code="campaign_closed")
    reader = reader_for(campaign)
    wanted = _Wanted(reader, customer, phone, quantities, pickup_point_id, address)
    entry = _written_entry(reader, wanted)
    entry.update(
        key=_next_key(campaign, entry["customer"], entry["phone"]),
        seq=_next_seq(campaign),
        source=EntrySource.PAGE,
        pickup_point_id=wanted.point.pk if wanted.point else None,
    )
    return confirming.create_entry_order(actor=actor, campaign=campaign, entry=entry)


class _Wanted:
    """The join form, checked: every field's problem at once."""

    def __init__(self, reader: CampaignReader, customer, phone, quantities, point_id,
                 address) -> None:
        problems: dict[str, str] = {}
        self.customer = " ".join(str(customer or "").split())
        if not self.customer:
            problems["customer"] = _("Enter your name.")
        elif len(self.customer) > identity.MAX_NAME:
            problems["customer"] = _("At most %(n)d characters.") % {"n": identity.MAX_NAME}
        try:
            self.phone = normalize_phone(str(phone or ""))
        except InvalidPhone:
            self.phone = ""
            problems["phone"] = _("Enter a mobile number, e.g. 13800138000.")
        self.items = self._items(reader, quantities or {}, problems)
        self.point, self.address = None, ""
        if reader.campaign.fulfilment == Fulfilment.PICKUP:
            self.point = next((p for p in reader.points if p.pk == point_id), None)
            if self.point is None:
                problems["pickup_point"] = _("Choose one of the pickup points.")
        else:
            self.address = " ".join(str(address or "").split())
            if not self.address:
                problems["address"] = _("Enter the delivery address.")
            elif len(self.address) > MAX_ADDRESS:
                problems["address"] = _("At most %(n)d characters.") % {"n": MAX_ADDRESS}
        if problems:
            raise InvalidInput(_("Please check the marked fields."), fields=problems)

    @staticmethod
    def _items(reader: CampaignReader, quantities: dict, problems: dict) -> list[tuple]:
        variants = {item.variant.sku: item.variant for item in campaign_items(reader.campaign)}
        chosen, refused = [], False
        for sku, quantity in quantities.items():
            if sku not in variants:
                refused, problems["items"] = True, _("Choose products of this group buy.")
            elif not is_whole(quantity, minimum=0, maximum=MAX_QUANTITY):
                refused = True
                problems[f"items.{sku}"] = _("Enter a whole number from 0 to %(max)s.") % {
                    "max": MAX_QUANTITY}
            elif quantity:
                chosen.append((variants[sku], quantity))
        if not chosen and not refused:
            problems["items"] = _("Choose at least one product.")
        order = list(variants)
        return sorted(chosen, key=lambda pair: order.index(pair[0].sku))


def _folded(text: str) -> str:
    return identity.name_key(unicodedata.normalize("NFKC", text or ""))


def _written_entry(reader: CampaignReader, wanted: _Wanted) -> dict:
    """The entry as the chain reader reads the line dingdan writes for it: the plain
    format, or with labels when the plain one would not read back as the customer wrote."""
    expected = sorted((variant.sku, quantity) for variant, quantity in wanted.items)
    mismatch = ""
    for labelled in (False, True):
        line = entry_line(customer=wanted.customer, items=wanted.items, phone=wanted.phone,
                          pickup_point=wanted.point.name if wanted.point else "",
                          address=wanted.address, labelled=labelled)
        read = read_chain(reader, f"1. {line}")
        if len(read) != 1:
            mismatch = "line"
            continue
        entry = read[0]
        if _folded(entry["customer"]) != _folded(wanted.customer):
            mismatch = "customer"
        elif wanted.point is None and _folded(entry["address"]) != _folded(wanted.address):
            mismatch = "address"
        elif (entry["phone"] != wanted.phone
              or sorted((i["sku"], i["quantity"]) for i in entry["items"]) != expected
              or entry["unmatched"] or entry["note"]
              or (wanted.point is not None and entry["pickup_point"] != wanted.point.name)):
            mismatch = "line"
        else:
            entry["text"] = line
            entry["address"] = "" if wanted.point else wanted.address
            return entry
    if mismatch in ("customer", "address"):
        message = _("This cannot be written in the group's chain as it is; please write it "
                    "another way.")
        raise InvalidInput(message, fields={mismatch: message})
    raise Conflict(_("This order cannot be written in the group's chain; please tell the "
                     "shop."), code="entry_not_writable")


def _next_key(campaign: Campaign, customer: str, phone: str) -> str:
    """The identity key a paste gives this person's next entry: phone|name#n, n after every
    entry of theirs dingdan holds or saw in the chain last pasted."""
    base = identity.identity_keys([(customer, phone)])[0].rsplit("#", 1)[0]
    keys = list(ChainEntry.objects.filter(
        shop=campaign.shop_id, campaign=campaign, identity_key__startswith=f"{base}#"
    ).values_list("identity_key", flat=True))
    keys += [entry.get("key", "") for entry in latest_pasted_entries(campaign)]
    taken = [int(key.rsplit("#", 1)[1]) for key in keys
             if key.rsplit("#", 1)[0] == base and key.rsplit("#", 1)[1].isdigit()]
    return f"{base}#{max(taken, default=0) + 1}"


def _next_seq(campaign: Campaign) -> int:
    """The number after the chain's last: of the entries dingdan holds and of the chain as
    last pasted."""
    held = ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign).order_by(
        "-seq").values_list("seq", flat=True).first() or 0
    pasted = max((entry.get("seq") or 0 for entry in latest_pasted_entries(campaign)),
                 default=0)
    return max(held, pasted) + 1


@transaction.atomic
def rotate_join_link(*, actor: Actor, campaign: Campaign) -> Campaign:
    """A new join link for the campaign; the old one answers "not found" from now on."""
    shop = campaign.shop
    require(actor, "catalog.manage", shop)
    campaign = Campaign.objects.select_for_update().select_related("shop").get(
        pk=campaign.pk, shop=shop)
    campaign.join_token = new_join_token()
    campaign.save(update_fields=["join_token", "updated_at"])
    audit_records.campaign_record(actor, campaign, audit.LINK_ROTATED, {})
    return campaign
