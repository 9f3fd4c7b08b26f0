"""A pasted chain read against one campaign: product names match the campaign's items
first, then the rest of the shop's catalog; pickup points are the campaign's (and their
aliases). Each entry comes out as a plain dict (stored in a `ChainImport` draft)."""

from dataclasses import dataclass

from dingdan.catalog.models import ProductAlias
from dingdan.chains.catalogs import catalog_for_shop
from dingdan.chains.models import Campaign, Fulfilment
from dingdan.chains.parsing import identity
from dingdan.chains.parsing.lines import ParsedEntry, parse_entry
from dingdan.chains.parsing.matching import Catalog, CatalogRow, term_key
from dingdan.chains.parsing.parser import parse_chain
from dingdan.chains.parsing.places import PickupPoints
from dingdan.chains.selectors.campaigns import campaign_items, campaign_points
from dingdan.fulfillment.models import PickupPoint


@dataclass
class CampaignReader:
    """What reading a chain for a campaign needs, loaded once."""

    campaign: Campaign
    catalog: Catalog
    points: list[PickupPoint]
    campaign_skus: set[str]

    @property
    def point_names(self) -> list[str]:
        return [point.name for point in self.points]

    @property
    def point_aliases(self) -> dict[str, str]:
        return {alias: point.name for point in self.points for alias in point.aliases}

    def known_points(self) -> PickupPoints | None:
        if self.campaign.fulfilment != Fulfilment.PICKUP:
            return None
        return PickupPoints(self.point_names, aliases=self.point_aliases)

    def point_named(self, name: str | None) -> PickupPoint | None:
        return next((point for point in self.points if point.name == name), None)


def reader_for(campaign: Campaign) -> CampaignReader:
    items = campaign_items(campaign)
    product_ids = {item.variant.product_id for item in items}
    aliases: dict[int, list[str]] = {}
    for product_id, alias in ProductAlias.objects.filter(
        shop=campaign.shop_id, product_id__in=product_ids
    ).values_list("product_id", "alias"):
        aliases.setdefault(product_id, []).append(alias)
    rows = [
        CatalogRow(item.variant.sku, item.variant.product.name, item.variant.spec,
                   tuple(aliases.get(item.variant.product_id, ())))
        for item in items
    ]
    # Campaign items first: a name or alias they use is theirs alone, so 草莓 means the
    # campaign's 500g box even when the shop also sells a 1kg one.
    taken = {term_key(term) for row in rows for term in (row.name, *row.aliases)}
    skus = {row.sku for row in rows}
    for row in catalog_for_shop(campaign.shop).rows:
        if row.sku in skus or term_key(row.name) in taken:
            continue
        rows.append(CatalogRow(row.sku, row.name, row.spec,
                               tuple(a for a in row.aliases if term_key(a) not in taken)))
    return CampaignReader(campaign, Catalog(rows), campaign_points(campaign), skus)


def read_chain(reader: CampaignReader, text: str) -> list[dict]:
    """Every entry of the chain as a dict with its identity key and content hash."""
    known = reader.known_points()
    chain = parse_chain(
        text, reader.catalog, reader.point_names if known else (),
        point_aliases=reader.point_aliases if known else None, learn_points=False,
    )
    entries = [_as_dict(entry.seq, entry.text, entry.parsed) for entry in chain.entries]
    keys = identity.identity_keys((e["customer"], e["phone"]) for e in entries)
    for index, (entry, key) in enumerate(zip(entries, keys, strict=True)):
        entry["index"] = index
        entry["key"] = key
        entry["hash"] = identity.content_hash(entry)
    return entries


def read_items(reader: CampaignReader, text: str) -> ParsedEntry:
    """Items typed by the merchant when fixing an entry ("草莓x2 蓝莓1")."""
    return parse_entry(text, reader.catalog)


def _as_dict(seq: int, text: str, parsed: ParsedEntry) -> dict:
    return {
        "seq": seq,
        "text": text[:1000],
        "customer": parsed.customer[: identity.MAX_NAME],
        "phone": parsed.phone or "",
        "address": (parsed.address or "")[:200],
        "pickup_point": parsed.pickup_point or "",
        "items": [{"sku": item.sku, "quantity": item.quantity} for item in parsed.items],
        "unmatched": [item.text for item in parsed.unmatched],
        "note": (parsed.note or "")[:400],
        "problems": list(parsed.problems),
    }


def items_text(entry: dict, names: dict[str, str]) -> str:
    """The entry's items as the merchant would type them to fix it: "草莓 500g×2 榴莲x1"."""
    parts = [f"{names.get(item['sku'], item['sku'])}×{item['quantity']}"
             for item in entry.get("items") or ()]
    return " ".join(parts + list(entry.get("unmatched") or ()))
