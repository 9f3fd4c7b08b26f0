"""Recognising a chain entry when the chain is pasted again.

A chain grows as customers add lines and is pasted many times; entries get renumbered when
someone deletes theirs, and customers edit their own line. So an entry is known by who wrote
it, not by its number: the identity key is the phone, the name (spaces removed, case
folded) and the occurrence — the first, second … entry of that phone and name in the chain.
The same entries pasted again have the same keys whatever their numbers; an edited entry
keeps its key and shows a different content hash.

The content hash covers what the chain says the order is (name, phone, address, pickup point,
items, items not understood, note), never the number, so renumbering changes nothing."""

import hashlib
import json
from collections.abc import Iterable

MAX_NAME = 100


def name_key(customer: str) -> str:
    return "".join((customer or "").split()).casefold()[:MAX_NAME]


def identity_keys(people: Iterable[tuple[str, str | None]]) -> list[str]:
    """One key per (customer, phone), in chain order: "13800138000|张三#1", "…#2" for the
    same person's second entry."""
    seen: dict[str, int] = {}
    keys = []
    for customer, phone in people:
        base = f"{phone or ''}|{name_key(customer)}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(f"{base}#{seen[base]}")
    return keys


def person_key(customer: str, phone: str | None) -> str:
    """Who a per-person limit counts for: the phone, else the name."""
    return f"phone:{phone}" if phone else f"name:{name_key(customer)}"


def content(entry: dict) -> dict:
    """The parts of an entry that make its order, in one canonical form."""
    return {
        "customer": " ".join((entry.get("customer") or "").split()),
        "phone": entry.get("phone") or "",
        "address": entry.get("address") or "",
        "pickup_point": entry.get("pickup_point") or "",
        "items": sorted(
            [item["sku"], item["quantity"]] for item in entry.get("items") or ()
        ),
        "unmatched": list(entry.get("unmatched") or ()),
        "note": entry.get("note") or "",
    }


def content_hash(entry: dict) -> str:
    canonical = json.dumps(content(entry), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
