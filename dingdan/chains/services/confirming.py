"""Confirming an import: the kept new entries become orders at the campaign's prices, the
approved changes are applied to their orders, and each entry is recorded as a `ChainEntry`.

Each entry succeeds or fails on its own (a savepoint each): a stock shortage, a limit
reached or an order that can no longer be edited fails that entry and is reported, the
others go through. The draft row and then the campaign row are locked for the whole
confirmation, and (shop, campaign, identity key) is unique on ChainEntry, so confirming the
same draft twice, or two drafts at once, never makes an entry's order twice."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dingdan.chains.models import (
    Campaign,
    CampaignStatus,
    ChainEntry,
    ChainImport,
    EntrySource,
    ImportStatus,
)
from dingdan.chains.parsing.identity import person_key
from dingdan.chains.selectors import entry_checks
from dingdan.chains.selectors.campaigns import (
    campaign_items,
    campaign_points,
    keys_seen_on_time,
)
from dingdan.chains.selectors.chain_text import shop_language
from dingdan.chains.services import audit_records
from dingdan.chains.services.previews import CHANGED, NEW
from dingdan.errors import Conflict, DomainError
from dingdan.orders.models import Channel, DeliveryMethod, Order
from dingdan.orders.services import bulk as bulk_actions
from dingdan.orders.services import editing
from dingdan.orders.services import placement as orders
from dingdan.orders.states import Status
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

CREATED, APPLIED, FAILED, ALREADY = "created", "changed", "failed", "already_imported"


@transaction.atomic
def confirm_import(
    *, actor: Actor, chain_import: ChainImport, selected: list[int] | None = None
) -> dict:
    """Create and change orders for the ticked entries (`selected` indexes; by default the
    ones the preview ticked). Answers {"entries": [per entry outcome], "created", "changed",
    "failed", "already_confirmed"}; a draft confirmed before answers its first result."""
    shop = chain_import.shop
    require(actor, "orders.create", shop)
    draft = ChainImport.objects.select_for_update().get(pk=chain_import.pk, shop=shop)
    if draft.status == ImportStatus.CONFIRMED:
        return {**draft.result, "already_confirmed": True}
    campaign = lock_campaign(shop, draft.campaign_id)
    if campaign.status == CampaignStatus.ARCHIVED:
        raise Conflict(_("The campaign is archived; nothing can be imported into it."),
                       code="campaign_archived")
    chosen = ({e["index"] for e in draft.entries if e.get("selected")} if selected is None
              else set(selected))
    job = _Confirmation(actor, campaign)
    outcomes = [job.run(entry) for entry in draft.entries
                if entry["index"] in chosen and entry["state"] in (NEW, CHANGED)]
    job.renumber_unchanged(draft.entries)
    result = {
        "entries": outcomes,
        "created": sum(o["outcome"] == CREATED for o in outcomes),
        "changed": sum(o["outcome"] == APPLIED for o in outcomes),
        "failed": sum(o["outcome"] == FAILED for o in outcomes),
        "already_confirmed": False,
    }
    if result["created"] or result["changed"]:
        audit_records.campaign_record(actor, campaign, audit.ORDERS_IMPORTED, audit.initial({
            "orders_created": result["created"], "orders_changed": result["changed"],
        }))
    draft.status, draft.result = ImportStatus.CONFIRMED, result
    draft.confirmed_by, draft.confirmed_at = actor.label[:150], timezone.now()
    draft.save(update_fields=["status", "result", "confirmed_by", "confirmed_at"])
    return result


def lock_campaign(shop, campaign_id: int) -> Campaign:
    """The campaign row, locked for the rest of the transaction: every new entry of a
    campaign (a confirmed import, a join on its page) is checked against its limits and cap
    under this lock, so two at once never both take the last units."""
    return Campaign.objects.select_for_update().select_related("shop").get(
        pk=campaign_id, shop=shop)


def create_entry_order(*, actor: Actor, campaign: Campaign, entry: dict) -> Order:
    """One new entry (as the reader gives it: key, hash, seq, customer, phone, items, pickup
    point or address, note) made into an order and its `ChainEntry`, exactly as confirming
    an import makes it. The caller holds `lock_campaign`."""
    return _Confirmation(actor, campaign)._create(entry)


class _Confirmation:
    def __init__(self, actor: Actor, campaign: Campaign) -> None:
        self.actor, self.campaign, self.shop = actor, campaign, campaign.shop
        items = campaign_items(campaign)
        self.prices = {item.variant.sku: item.price_cents for item in items}
        self.points = {point.pk: point for point in campaign_points(campaign)}
        self.existing = {e.identity_key: e for e in ChainEntry.objects.filter(
            shop=self.shop, campaign=campaign).select_related("order")}
        self.so_far = entry_checks.ordered_so_far(campaign)
        self.ledger = entry_checks.Ledger(items)
        for person, held in self.so_far.values():
            self.ledger.add(person, held)
        self.language = shop_language(self.shop)
        self.seen_on_time: set[str] | None = None

    def run(self, entry: dict) -> dict:
        outcome = {"index": entry["index"], "seq": entry["seq"], "customer": entry["customer"],
                   "order_id": None, "order_number": "", "message": ""}
        blocked = [code for code in entry_checks.blocking(entry["problems"])
                   if code not in entry_checks.LIMIT_CODES]
        if blocked:
            return {**outcome, "outcome": FAILED, "message": "; ".join(
                str(entry_checks.LABELS[code]) for code in blocked)}
        try:
            with transaction.atomic():
                if entry["state"] == NEW:
                    order = self._create(entry)
                    outcome["outcome"] = CREATED
                else:
                    order = self._change(entry)
                    outcome["outcome"] = APPLIED
        except _AlreadyImported as done:
            return {**outcome, "outcome": ALREADY, "order_id": done.order.pk,
                    "order_number": done.order.number,
                    "message": _("Already imported (order %(number)s).") % {
                        "number": done.order.number}}
        except IntegrityError:
            # Recorded by a confirmation that committed while this one ran.
            return {**outcome, "outcome": ALREADY, "message": _("Already imported.")}
        except DomainError as exc:
            return {**outcome, "outcome": FAILED, "message": str(exc)}
        return {**outcome, "order_id": order.pk, "order_number": order.number}

    # -- a new entry: an order --------------------------------------------------------

    def _create(self, entry: dict) -> Order:
        old = self.existing.get(entry["key"])
        if old is not None:
            raise _AlreadyImported(old.order)
        if not self._on_time(entry):
            raise Conflict(_("The campaign is closed to new entries."), code="campaign_closed")
        person = person_key(entry["customer"], entry["phone"])
        wanted = entry_checks.quantities(entry["items"])
        self._check_limits(person, wanted)
        point = self.points.get(entry.get("pickup_point_id"))
        order = orders.place_order(
            actor=self.actor, shop=self.shop,
            customer=orders.CustomerInput(
                name=entry["customer"] or entry["phone"], phone=entry["phone"] or None,
                address=None if point else (entry["address"] or None)),
            lines=[(item["sku"], item["quantity"]) for item in entry["items"]],
            channel=Channel.CHAIN,
            delivery_method=self._delivery_method(point),
            note=self._order_note(entry, point),
            unit_prices=self.prices,
        )
        self._record(ChainEntry(shop=self.shop, campaign=self.campaign, order=order,
                                source=entry.get("source", EntrySource.CHAIN)), entry)
        self.ledger.add(person, wanted)
        return order

    # -- a changed entry: its order edited ------------------------------------------------

    def _change(self, entry: dict) -> Order:
        record = self.existing.get(entry["key"])
        if record is None:
            raise Conflict(_("This entry was never imported; paste the chain again."),
                           code="entry_not_imported")
        if record.content_hash == entry["hash"] and not entry.get("fixed"):
            raise _AlreadyImported(record.order)
        require(self.actor, "orders.edit", self.shop)
        person = person_key(entry["customer"], entry["phone"])
        held = self.so_far.get(entry["key"])
        wanted = entry_checks.quantities(entry["items"])
        if held:
            self.ledger.add(held[0], held[1], -1)
        try:
            self._check_limits(person, wanted)
        except DomainError:
            if held:
                self.ledger.add(*held)
            raise
        point = self.points.get(entry.get("pickup_point_id"))
        order = Order.objects.get(pk=record.order_id, shop=self.shop)
        reason = _("Chain entry %(seq)s changed") % {"seq": entry["seq"]}
        order = editing.edit_order(
            actor=self.actor, order=order, version=order.version,
            lines=[(item["sku"], item["quantity"]) for item in entry["items"]],
            delivery_method=self._delivery_method(point),
            address=None if point else (entry["address"] or None),
            note=self._order_note(entry, point), reason=reason, unit_prices=self.prices,
        )
        self._record(record, entry)
        self.ledger.add(person, wanted)
        return order

    # -- shared ---------------------------------------------------------------------------

    def _on_time(self, entry: dict) -> bool:
        """An open campaign takes what its preview called new; a closed one only the
        entries seen in a paste made before it stopped taking entries."""
        if self.campaign.status == CampaignStatus.OPEN:
            return True
        if self.seen_on_time is None:
            self.seen_on_time = keys_seen_on_time(self.campaign)
        return entry["key"] in self.seen_on_time

    def _check_limits(self, person: str, wanted: dict[str, int]) -> None:
        overruns = self.ledger.overruns(person, wanted)
        if not overruns:
            return
        names = {item.variant.sku: item.variant.display_name
                 for item in self.ledger.items.values()}
        parts, fields = [], {}
        for over in overruns:
            values = {"name": names.get(over["sku"], over["sku"]), "n": over["allowed"]}
            if over["kind"] == "limit":
                part = _("%(name)s: over the per-person limit (%(n)s more allowed)") % values
            else:
                part = _("%(name)s: only %(n)s left") % values
            parts.append(part)
            fields.setdefault(f"items.{over['sku']}", part)
        raise Conflict("; ".join(parts), code="campaign_limit", fields=fields,
                       details={"overruns": overruns})

    def _delivery_method(self, point) -> str:
        if point is not None:
            return DeliveryMethod.PICKUP
        return DeliveryMethod.LOCAL

    def _order_note(self, entry: dict, point) -> str:
        with translation.override(self.language):
            parts = [_("Pickup: %(point)s") % {"point": point.name}] if point else []
        if entry.get("note"):
            parts.append(entry["note"])
        return " · ".join(parts)[:500]

    def _record(self, record: ChainEntry, entry: dict) -> None:
        record.identity_key = entry["key"]
        record.seq = entry["seq"]
        record.customer = entry["customer"][:100]
        record.phone = entry["phone"][:20]
        record.address = entry["address"][:200]
        record.pickup_point = self.points.get(entry.get("pickup_point_id"))
        record.items = entry["items"]
        record.note = entry["note"][:500]
        record.content_hash = entry["hash"]
        record.text = (entry.get("text") or "")[:1000]
        record.save()

    def renumber_unchanged(self, entries: list[dict]) -> None:
        """The chain's numbers move when an entry is deleted; keep ours in step."""
        for entry in entries:
            record = self.existing.get(entry["key"])
            if record is not None and record.seq != entry["seq"]:
                ChainEntry.objects.filter(pk=record.pk).update(seq=entry["seq"])


class _AlreadyImported(Exception):
    def __init__(self, order: Order) -> None:
        super().__init__(order.number)
        self.order = order


# -- after the cut-off ----------------------------------------------------------------------


def batch_confirm(*, actor: Actor, campaign: Campaign) -> dict:
    """After the cut-off, accept (待确认 → 已接受) every order of the campaign waiting for
    confirmation, each on its own: {"succeeded": [...], "failed": [...]} as bulk_apply
    answers. The campaign is then closed to new entries."""
    shop = campaign.shop
    require(actor, "orders.transition", shop)
    if timezone.now() < campaign.cut_off_at and campaign.status == CampaignStatus.OPEN:
        raise Conflict(
            _("The campaign takes entries until its cut-off; move the cut-off earlier to "
              "close it now."), code="campaign_open")
    ids = list(
        ChainEntry.objects.filter(shop=shop, campaign=campaign,
                                  order__status=Status.PENDING_CONFIRMATION)
        .order_by("seq", "id").values_list("order_id", flat=True)
    )
    result: dict = {"succeeded": [], "failed": []}
    size = bulk_actions.MAX_BULK
    for start in range(0, len(ids), size):
        part = bulk_actions.bulk_apply(actor=actor, shop=shop, order_ids=ids[start:start + size],
                                   action="transition", params={"to": Status.ACCEPTED})
        result["succeeded"] += part["succeeded"]
        result["failed"] += part["failed"]
    with transaction.atomic():
        now = timezone.now()
        closed = Campaign.objects.filter(
            pk=campaign.pk, shop=shop, status=CampaignStatus.OPEN
        ).update(status=CampaignStatus.CLOSED, closed_at=now, updated_at=now)
        if closed or result["succeeded"]:
            changes = {"orders_accepted": audit.change(None, len(result["succeeded"]))}
            if closed:
                changes["status"] = audit.change(CampaignStatus.OPEN, CampaignStatus.CLOSED)
            action = audit.CLOSED if closed else audit.CONFIRMED
            audit_records.campaign_record(actor, campaign, action, changes)
    return result
