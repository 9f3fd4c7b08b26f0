"""Import preview: a pasted chain read against a campaign and compared with what was
imported before. Each entry is

- `new`: not imported yet — ticked for import when nothing about it needs a look;
- `unchanged`: imported before with the same content — nothing to do;
- `changed`: imported before (same identity) with different content — shown beside the
  order's content, applied only when the merchant approves (ticks or fixes it);
- `after_cut_off`: new, but first seen after the cut-off (or after the campaign was
  closed) — shown, never created. An entry seen in an earlier paste made in time stays
  `new`, even once the campaign has closed itself at its cut-off.

The preview is stored as a `ChainImport` draft; the merchant fixes entries inline and
confirms later (`confirming.confirm_import`). Nothing is created here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.chains.models import Campaign, CampaignStatus, ChainImport, Fulfilment, ImportStatus
from dingdan.chains.parsing import identity, problems
from dingdan.chains.parsing.identity import person_key
from dingdan.chains.selectors import entry_checks
from dingdan.chains.selectors.campaigns import (
    campaign_items,
    entries_of_campaign,
    keys_seen_on_time,
)
from dingdan.chains.selectors.join_page import entries_to_post
from dingdan.chains.selectors.reading import CampaignReader, read_chain, read_items, reader_for
from dingdan.customers.phone import InvalidPhone, normalize_phone, phone_digits
from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

NEW, UNCHANGED, CHANGED, AFTER_CUT_OFF = "new", "unchanged", "changed", "after_cut_off"
STATES = (NEW, CHANGED, UNCHANGED, AFTER_CUT_OFF)
MAX_TEXT = 200_000
MAX_ENTRIES = 2000


@transaction.atomic
def preview_chain(*, actor: Actor, campaign: Campaign, text: str) -> ChainImport:
    """Read a pasted chain for the campaign and keep it as a draft to check and confirm."""
    shop = campaign.shop
    require(actor, "orders.create", shop)
    if campaign.status == CampaignStatus.ARCHIVED:
        raise Conflict(_("The campaign is archived; nothing can be imported into it."),
                       code="campaign_archived")
    text = str(text or "")
    if not text.strip():
        raise InvalidInput(_("Paste the chain first."), fields={"text": _("Paste the chain.")})
    if len(text) > MAX_TEXT:
        message = _("The chain is too long (at most %(n)d characters).") % {"n": MAX_TEXT}
        raise InvalidInput(message, fields={"text": message})
    reader = reader_for(campaign)
    entries = read_chain(reader, text)
    if not entries:
        message = _("No entries found: paste the chain with the customers' lines.")
        raise InvalidInput(message, fields={"text": message})
    if len(entries) > MAX_ENTRIES:
        message = _("At most %(n)d entries per import.") % {"n": MAX_ENTRIES}
        raise InvalidInput(message, fields={"text": message})
    existing = {entry.identity_key: entry for entry in entries_of_campaign(campaign)}
    is_open_now = campaign.status == CampaignStatus.OPEN and timezone.now() <= campaign.cut_off_at
    # Past the cut-off, or closed (by hand or at the cut-off): only what was seen in time.
    on_time = set() if is_open_now else keys_seen_on_time(campaign)
    for entry in entries:
        _settle_place(reader, entry)
        old = existing.get(entry["key"])
        if old is not None:
            entry.update(entry_id=old.pk, order_id=old.order_id, order_number=old.order.number)
            if old.content_hash == entry["hash"]:
                entry["state"] = UNCHANGED
            else:
                entry["state"] = CHANGED
                entry["before"] = _stored_content(old)
        elif is_open_now or entry["key"] in on_time:
            entry["state"] = NEW
        else:
            entry["state"] = AFTER_CUT_OFF
    keys = {entry["key"] for entry in entries}
    # Joined on the page and never in a paste yet: not gone from the chain, still to post.
    to_post = {entry.identity_key for entry in entries_to_post(campaign)}
    missing = [
        {"seq": old.seq, "customer": old.customer, "order_id": old.order_id,
         "order_number": old.order.number}
        for key, old in existing.items() if key not in keys and key not in to_post
    ]
    _select_and_check(campaign, entries)
    return ChainImport.objects.create(
        shop=shop, campaign=campaign, text=text, entries=entries, missing=missing,
        created_by=actor.label[:150],
    )


def _stored_content(old) -> dict:
    return {
        "customer": old.customer, "phone": old.phone, "address": old.address,
        "pickup_point": old.pickup_point.name if old.pickup_point else "",
        "items": old.items, "note": old.note,
    }


def _settle_place(reader: CampaignReader, entry: dict) -> None:
    """The entry's pickup point (a campaign point; the only one when there is one) or
    delivery address, and the campaign's problems with the entry."""
    found = set(entry["problems"]) - entry_checks.LIMIT_CODES
    found -= {entry_checks.NO_PICKUP_POINT, entry_checks.UNKNOWN_PICKUP_POINT,
              entry_checks.NO_ADDRESS, entry_checks.NO_CUSTOMER, entry_checks.NOT_IN_CAMPAIGN}
    entry["pickup_point_id"] = None
    if reader.campaign.fulfilment == Fulfilment.PICKUP:
        point = reader.point_named(entry["pickup_point"])
        if point is None and not entry["pickup_point"] and len(reader.points) == 1:
            point = reader.points[0]
        if point is not None:
            entry["pickup_point_id"], entry["pickup_point"] = point.pk, point.name
        else:
            found.add(entry_checks.UNKNOWN_PICKUP_POINT if entry["pickup_point"]
                      else entry_checks.NO_PICKUP_POINT)
    else:
        if entry["pickup_point"] and not entry["address"]:
            entry["address"] = entry["pickup_point"]
        entry["pickup_point"] = ""
        if not entry["address"]:
            found.add(entry_checks.NO_ADDRESS)
    if not entry["customer"] and not entry["phone"]:
        found.add(entry_checks.NO_CUSTOMER)
    if any(item["sku"] not in reader.campaign_skus for item in entry["items"]):
        found.add(entry_checks.NOT_IN_CAMPAIGN)
    entry["problems"] = entry_checks.in_order(found)


def _default_selected(entry: dict) -> bool:
    if entry["state"] == NEW:
        codes = set(entry["problems"]) - entry_checks.LIMIT_CODES
        return not (entry_checks.blocking(codes) if entry.get("fixed") else codes)
    if entry["state"] == CHANGED:
        return bool(entry.get("fixed")) and not entry_checks.blocking(entry["problems"])
    return False


def _select_and_check(campaign: Campaign, entries: list[dict]) -> None:
    """Tick what would be imported, then check limits and caps in chain order (first come,
    first served): an entry that would overrun one is flagged and unticked."""
    ledger = entry_checks.Ledger(campaign_items(campaign))
    so_far = entry_checks.ordered_so_far(campaign)
    in_draft = {entry["key"] for entry in entries}
    for key, (person, held) in so_far.items():
        if key not in in_draft:
            ledger.add(person, held)
    for entry in entries:
        entry["problems"] = [code for code in entry["problems"]
                             if code not in entry_checks.LIMIT_CODES]
        entry["over"] = []
        entry["selected"] = _default_selected(entry)
        person = person_key(entry["customer"], entry["phone"])
        held = so_far.get(entry["key"])
        if not entry["selected"]:
            if held:
                ledger.add(*held)  # the order stays as it is
            continue
        if held:
            ledger.add(held[0], held[1], -1)
        wanted = entry_checks.quantities(entry["items"])
        overruns = ledger.overruns(person, wanted)
        if overruns:
            entry["over"] = overruns
            entry["problems"] = entry_checks.in_order(
                {*entry["problems"], *(f"over_{o['kind']}" for o in overruns)})
            entry["selected"] = False
            if held:
                ledger.add(*held)
        else:
            ledger.add(person, wanted)


@transaction.atomic
def fix_entry(
    *,
    actor: Actor,
    chain_import: ChainImport,
    index: int,
    customer: str,
    phone: str,
    items: str,
    pickup_point_id: int | None = None,
    address: str = "",
) -> dict:
    """The merchant's correction of one entry in the draft: name, phone, items (typed as
    text and read again), pickup point or address. The entry keeps its identity in the
    chain; the order will be made from the corrected content."""
    shop = chain_import.shop
    require(actor, "orders.create", shop)
    draft = ChainImport.objects.select_for_update().select_related("campaign__shop").get(
        pk=chain_import.pk, shop=shop)
    if draft.status != ImportStatus.DRAFT:
        raise Conflict(_("This import was already confirmed."), code="import_confirmed")
    if not 0 <= index < len(draft.entries):
        raise NotFound(_("Entry not found."))
    entry = draft.entries[index]
    if entry["state"] not in (NEW, CHANGED):
        raise Conflict(_("Only new and changed entries can be corrected."),
                       code="entry_not_fixable")
    reader = reader_for(draft.campaign)
    found = set()
    entry["customer"] = " ".join(str(customer or "").split())[: identity.MAX_NAME]
    entry["phone"], phone_ok = _typed_phone(phone)
    if not phone_ok:
        found.add(problems.PHONE_INVALID)
    parsed = read_items(reader, str(items or "")[:1000])
    entry["items"] = [{"sku": item.sku, "quantity": item.quantity} for item in parsed.items]
    entry["unmatched"] = [item.text for item in parsed.unmatched]
    found.update(code for item in parsed.unmatched for code in item.problems)
    if not entry["items"] and not entry["unmatched"]:
        found.add(problems.NO_ITEMS)
    entry["address"] = " ".join(str(address or "").split())[:200]
    entry["pickup_point"] = ""
    if pickup_point_id is not None:
        point = next((p for p in reader.points if p.pk == pickup_point_id), None)
        if point is None:
            message = _("Choose one of the campaign's pickup points.")
            raise InvalidInput(message, fields={"pickup_point": message})
        entry["pickup_point"] = point.name
    entry["problems"] = sorted(found)
    entry["fixed"] = True
    _settle_place(reader, entry)
    _select_and_check(draft.campaign, draft.entries)
    draft.save(update_fields=["entries"])
    return entry


def _typed_phone(typed: str) -> tuple[str, bool]:
    typed = str(typed or "").strip()
    if not typed:
        return "", True
    try:
        return normalize_phone(typed), True
    except InvalidPhone:
        return phone_digits(typed)[:20], False
