"""A pasted chain over the API: preview it (each entry new, changed, unchanged or after the
cut-off, with what was read and its problems), then confirm it into orders. The same
permission as the pages: orders.create (approving a changed entry also orders.edit).

Confirming is idempotent: a confirmed import answers its first result again
(`already_confirmed`), and with an `Idempotency-Key` a retry gets the very same answer."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.chains.api.fields import row_id
from dingdan.chains.models import ChainImport
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors import entry_checks
from dingdan.chains.services import confirming, previews
from dingdan.customers.privacy import mask_phone
from dingdan.errors import InvalidInput
from dingdan.orders.privacy import address_line_as_seen_by, may_see_pii
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["campaigns"])

State = Literal["new", "changed", "unchanged", "after_cut_off"]
Outcome = Literal["created", "changed", "failed", "already_imported"]


class ImportIn(Schema):
    text: str = Field(
        ...,
        min_length=1,
        max_length=previews.MAX_TEXT,
        description="The chain as copied from the group chat.",
    )


class ConfirmIn(Schema):
    indexes: list[int] | None = Field(
        None,
        max_length=previews.MAX_ENTRIES,
        description="The entries to confirm (their `index`); by default the ones the preview "
        "ticked (`selected`). Only new and changed entries are confirmed.",
    )


class ItemOut(Schema):
    sku: str
    name: str
    quantity: int


class ProblemOut(Schema):
    code: str
    label: str


class OverrunOut(Schema):
    sku: str
    kind: Literal["limit", "cap"]
    allowed: int = Field(description="How many this person may still take.")


class ContentOut(Schema):
    """What an imported entry's order was made from (a changed entry's old content)."""

    customer: str
    phone: str
    address: str
    pickup_point: str
    items: list[ItemOut]
    note: str


class EntryOut(Schema):
    index: int
    seq: int = Field(description="The number written in the chain.")
    state: State
    selected: bool = Field(description="Ticked for confirmation by default.")
    text: str | None = Field(
        description="The entry as written (null when personal data is "
        "masked for the caller's role)."
    )
    customer: str
    phone: str
    address: str
    pickup_point: str
    pickup_point_id: int | None
    items: list[ItemOut]
    unmatched: list[str] = Field(description="Parts that look like items but were not read.")
    note: str
    problems: list[ProblemOut]
    over: list[OverrunOut]
    order_id: int | None = Field(description="The order an imported entry made.")
    order_number: str | None
    before: ContentOut | None = Field(description="For a changed entry: its order's content.")


class MissingOut(Schema):
    seq: int
    customer: str
    order_id: int
    order_number: str


class OutcomeOut(Schema):
    index: int
    seq: int
    customer: str
    outcome: Outcome
    order_id: int | None
    order_number: str
    message: str


class ConfirmOut(Schema):
    import_id: int
    created: int
    changed: int
    failed: int
    already_confirmed: bool = Field(
        description="True when this import had been confirmed "
        "before: the first confirmation's result, nothing redone."
    )
    entries: list[OutcomeOut]


class ResultOut(Schema):
    created: int
    changed: int
    failed: int
    entries: list[OutcomeOut]


class ImportOut(Schema):
    id: int
    campaign_id: int
    status: Literal["draft", "confirmed"]
    created_at: datetime
    created_by: str
    confirmed_at: datetime | None
    counts: dict[State, int]
    entries: list[EntryOut]
    missing: list[MissingOut] = Field(
        description="Entries imported before that this paste no "
        "longer has (listed, never cancelled)."
    )
    result: ResultOut | None
    pii_masked: bool


def _items(items, names) -> list[dict]:
    return [
        {"sku": i["sku"], "name": names.get(i["sku"], i["sku"]), "quantity": i["quantity"]}
        for i in items
    ]


def _contact(content: dict, pii: bool) -> dict:
    return {
        "phone": content["phone"] if pii else mask_phone(content["phone"]),
        "address": address_line_as_seen_by(content["address"], pii=pii),
    }


def _entry(entry: dict, names: dict[str, str], pii: bool) -> dict:
    before = entry.get("before")
    return {
        **{
            f: entry[f]
            for f in ("index", "seq", "state", "customer", "pickup_point", "unmatched", "note")
        },
        **_contact(entry, pii),
        "selected": bool(entry.get("selected")),
        "text": entry.get("text", "") if pii else None,
        "pickup_point_id": entry.get("pickup_point_id"),
        "items": _items(entry["items"], names),
        "problems": [
            {"code": code, "label": str(entry_checks.LABELS.get(code, code))}
            for code in entry["problems"]
        ],
        "over": entry.get("over") or [],
        "order_id": entry.get("order_id"),
        "order_number": entry.get("order_number"),
        "before": None
        if not before
        else {**before, **_contact(before, pii), "items": _items(before["items"], names)},
    }


def import_out(draft: ChainImport, *, pii: bool) -> dict:
    """The draft as the preview shows it; phones and addresses masked unless `pii`."""
    skus = {
        i["sku"]
        for e in draft.entries
        for i in [*e["items"], *(e.get("before") or {}).get("items", ())]
    }
    names = selectors.sku_names(draft.shop_id, skus)
    return {
        "id": draft.pk,
        "campaign_id": draft.campaign_id,
        "status": draft.status,
        "created_at": draft.created_at,
        "created_by": draft.created_by,
        "confirmed_at": draft.confirmed_at,
        "counts": {
            state: sum(e["state"] == state for e in draft.entries) for state in previews.STATES
        },
        "entries": [_entry(entry, names, pii) for entry in draft.entries],
        "missing": draft.missing,
        "result": draft.result,
        "pii_masked": not pii,
    }


@router.post("/campaigns/{campaign_id}/imports", response=with_errors({201: ImportOut}, 409))
def preview_chain(request: HttpRequest, campaign_id: int, payload: ImportIn):
    """Read the pasted chain against the campaign and keep it as an import to confirm.
    Nothing is created yet. With an `Idempotency-Key` header a retry returns the first
    answer."""
    actor = request.auth
    # Checked before a stored answer is replayed: it holds customers' details.
    require(actor, "orders.create", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))

    def create() -> dict:
        draft = previews.preview_chain(actor=actor, campaign=campaign, text=payload.text)
        return import_out(draft, pii=may_see_pii(actor))

    return idempotency.created(request, actor.shop, ImportOut, create)


@router.get("/campaigns/{campaign_id}/imports/{import_id}", response=with_errors(ImportOut))
def get_import(request: HttpRequest, campaign_id: int, import_id: int):
    """An import as previewed, and once confirmed, the confirmation's result."""
    actor = request.auth
    require(actor, "orders.create", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))
    draft = selectors.import_in_campaign(campaign, row_id(import_id))
    return import_out(draft, pii=may_see_pii(actor))


@router.post(
    "/campaigns/{campaign_id}/imports/{import_id}/confirm", response=with_errors(ConfirmOut, 409)
)
def confirm_import(
    request: HttpRequest, campaign_id: int, import_id: int, payload: ConfirmIn | None = None
):
    """Create orders for the new entries and apply the approved changes, each entry on its
    own (the answer says each one's outcome). Entries after the cut-off are never created.
    Confirming an import again creates nothing and answers the first result."""
    actor = request.auth
    require(actor, "orders.create", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))
    draft = selectors.import_in_campaign(campaign, row_id(import_id))
    indexes = None if payload is None else payload.indexes
    if indexes is not None:
        unknown = {
            f"indexes.{n}": _("No entry %(index)s in this import.") % {"index": index}
            for n, index in enumerate(indexes)
            if not 0 <= index < len(draft.entries)
        }
        if unknown:
            raise InvalidInput(" ".join(unknown.values()), fields=unknown)

    def produce() -> tuple[int, dict]:
        result = confirming.confirm_import(actor=actor, chain_import=draft, selected=indexes)
        body = ConfirmOut.model_validate({**result, "import_id": draft.pk})
        return 200, body.model_dump(mode="json")

    return Status(*idempotency.once(request, actor.shop, produce))
