"""Which SKU a customer means when they write 奶油草莓 or 生日蛋糕8寸.

A `Catalog` is built from rows (sku, name, spec, aliases): from a shop's products in the
database or from a CATALOG.csv (both in chains/catalogs.py; this package stays free of
Django). Names and aliases are terms; a term names every variant of
its product (an alias given to two products names the variants of both). A spec written next
to the term (生日蛋糕6寸, 蛋糕 8寸, 6寸蛋糕) picks among them. Matching is exact after
normalisation, longest term first: no guessing at typos, because a wrong guess silently
orders the wrong product while an unknown one is shown to the merchant, who adds an alias."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from dingdan.chains.parsing import problems
from dingdan.chains.parsing.text import matching_form, normalize

CSV_COLUMNS = ("sku", "name", "spec", "aliases", "price_cents")
ALIAS_SEPARATOR = "|"
# Unit spellings that mean the same in a spec (500g = 500克), longest spelling first.
_UNIT_SPELLINGS = (
    ("公斤", "kg"), ("千克", "kg"), ("毫升", "ml"), ("kg", "kg"), ("ml", "ml"),
    ("克", "g"), ("升", "l"), ("g", "g"), ("l", "l"),
)  # fmt: skip


@dataclass(frozen=True)
class CatalogRow:
    sku: str
    name: str
    spec: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogVariant:
    sku: str
    product: str
    spec: str
    spec_forms: tuple[str, ...]


@dataclass(frozen=True)
class TermHit:
    """A product name or alias found in a text, at [start, end)."""

    start: int
    end: int
    term: str


@dataclass(frozen=True)
class Resolution:
    sku: str | None
    problem: str | None


@dataclass(repr=False)
class Catalog:
    rows: list[CatalogRow]
    # term → the variants it names; first character → terms, longest first.
    _variants_by_term: dict[str, tuple[CatalogVariant, ...]] = field(default_factory=dict)
    _terms_by_first_char: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_product: dict[str, list[CatalogVariant]] = {}
        terms_of_product: dict[str, set[str]] = {}
        for row in self.rows:
            product = term_key(row.name)
            if not product or not row.sku:
                continue
            spec = normalize(row.spec)
            variant = CatalogVariant(row.sku, row.name, spec, _spec_forms(spec))
            by_product.setdefault(product, []).append(variant)
            terms = terms_of_product.setdefault(product, {product})
            terms.update(term_key(alias) for alias in row.aliases if term_key(alias))
        by_term: dict[str, list[CatalogVariant]] = {}
        for product, terms in terms_of_product.items():
            for term in terms:
                by_term.setdefault(term, []).extend(by_product[product])
        self._variants_by_term = {term: tuple(found) for term, found in by_term.items()}
        index: dict[str, list[str]] = {}
        for term in self._variants_by_term:
            index.setdefault(term[0], []).append(term)
        for terms in index.values():
            terms.sort(key=len, reverse=True)
        self._terms_by_first_char = index

    def __repr__(self) -> str:
        return f"<Catalog: {len(self.rows)} SKUs, {len(self._variants_by_term)} terms>"

    @property
    def terms(self) -> list[str]:
        return list(self._variants_by_term)

    def find_terms(self, lowered: str) -> list[TermHit]:
        """Every term in `lowered` (normalised, lower-case), leftmost and longest first,
        never overlapping."""
        hits = []
        index = self._terms_by_first_char
        position, length = 0, len(lowered)
        while position < length:
            candidates = index.get(lowered[position])
            if candidates:
                for term in candidates:
                    if lowered.startswith(term, position):
                        hits.append(TermHit(position, position + len(term), term))
                        position += len(term)
                        break
                else:
                    position += 1
            else:
                position += 1
        return hits

    def variants(self, term: str) -> tuple[CatalogVariant, ...]:
        return self._variants_by_term.get(term, ())

    def spec_after(self, term: str, lowered: str, position: int) -> tuple[int, list]:
        """The spec written at `position` for one of the term's variants, as (end, variants
        with that spec); (position, []) when none is."""
        best_end, chosen = position, []
        for variant in self.variants(term):
            for form in variant.spec_forms:
                if lowered.startswith(form, position):
                    end = position + len(form)
                    if end > best_end:
                        best_end, chosen = end, [variant]
                    elif end == best_end and variant not in chosen:
                        chosen.append(variant)
        return best_end, chosen

    def spec_before(self, term: str, lowered: str, start: int, floor: int) -> tuple[int, list]:
        """The spec written just before `start` (6寸蛋糕), not reaching back past `floor`."""
        best_start, chosen = start, []
        for variant in self.variants(term):
            for form in variant.spec_forms:
                begin = start - len(form)
                if begin >= floor and lowered.startswith(form, begin):
                    if begin < best_start:
                        best_start, chosen = begin, [variant]
                    elif begin == best_start and variant not in chosen:
                        chosen.append(variant)
        return best_start, chosen

    def resolve(self, term: str, with_spec: list[CatalogVariant] | None = None) -> Resolution:
        """The one SKU a term (and the spec written with it) names, or why there is none."""
        candidates = list(with_spec) if with_spec else list(self.variants(term))
        if not candidates:
            return Resolution(None, problems.PRODUCT_UNKNOWN)
        if len(candidates) > 1 and not with_spec:
            # No spec written: a variant without a spec is the product's plain default.
            plain = [variant for variant in candidates if not variant.spec]
            candidates = plain if len(plain) == 1 else candidates
        if len(candidates) > 1:
            return Resolution(None, problems.SPEC_AMBIGUOUS)
        return Resolution(candidates[0].sku, None)


class MissingColumns(ValueError):
    """CATALOG.csv text without the sku and name columns."""


def rows_from_csv(text: str) -> list[CatalogRow]:
    """The rows of CATALOG.csv text (header sku,name,spec,aliases,…; aliases split by |)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if any(column not in header for column in ("sku", "name")):
        raise MissingColumns(", ".join(CSV_COLUMNS))
    rows = []
    for record in reader:
        values = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in record.items()
            if isinstance(value, str | None)
        }
        aliases = tuple(
            alias.strip()
            for alias in values.get("aliases", "").split(ALIAS_SEPARATOR)
            if alias.strip()
        )
        rows.append(CatalogRow(values["sku"], values["name"], values.get("spec", ""), aliases))
    return rows


def catalog_from_rows(rows: Iterable[tuple[str, str, str, Iterable[str]]]) -> Catalog:
    """A catalog from plain (sku, name, spec, aliases) tuples, e.g. in tests."""
    return Catalog([CatalogRow(s, n, p, tuple(a)) for s, n, p, a in rows])


def term_key(text: str) -> str:
    """A product name or alias as the matcher compares it (normalised, lower-case)."""
    return matching_form(normalize(text)).strip()


def _spec_forms(spec: str) -> tuple[str, ...]:
    """The ways a spec is written: as stored, without spaces, 500克 for 500g and so on."""
    if not spec:
        return ()
    base = matching_form(spec)
    forms = {base, base.replace(" ", "")}
    for form in list(forms):
        for spelled, unit in _UNIT_SPELLINGS:
            amount = form[: -len(spelled)].rstrip()
            if form.endswith(spelled) and amount[-1:].isdigit():
                forms.update(amount + other for other, same in _UNIT_SPELLINGS if same == unit)
                break
    return tuple(sorted(forms, key=len, reverse=True))
