"""The catalog file's columns, and one row's cells checked into clean values.

Every cell is checked on its own, so a row reports all its problems at once. The checks are
the services' own rules (`rules.py`), plus what only a file can get wrong: numbers written
as text, 12.5 fen, a Chinese header."""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dingdan import spreadsheets
from dingdan.catalog import rules
from dingdan.catalog.models import ProductKind
from dingdan.errors import DomainError, InvalidInput
from dingdan.inventory.services.stock import MAX_QUANTITY

COLUMNS = [
    "sku", "name", "spec", "aliases", "price_cents", "kind", "category", "cost_cents",
    "barcode", "weight_grams", "purchase_limit", "low_stock_threshold", "stock",
]
REQUIRED = ["sku", "name", "price_cents"]

# Header text as merchants write it (after `_header_key`) -> column.
HEADER_NAMES = {
    **{column: column for column in COLUMNS},
    "商品编码": "sku",
    "编码": "sku",
    "商品名称": "name",
    "名称": "name",
    "规格": "spec",
    "别名": "aliases",
    "价格(分)": "price_cents",
    "价格分": "price_cents",
    "类型": "kind",
    "分类": "category",
    "成本(分)": "cost_cents",
    "成本分": "cost_cents",
    "条码": "barcode",
    "重量(克)": "weight_grams",
    "限购": "purchase_limit",
    "预警库存": "low_stock_threshold",
    "库存": "stock",
}

# Labels for the preview; the same words the product pages use.
LABELS = {
    "sku": gettext_lazy("SKU"),
    "name": gettext_lazy("name"),
    "spec": gettext_lazy("spec"),
    "aliases": gettext_lazy("aliases"),
    "price_cents": gettext_lazy("price (fen)"),
    "kind": gettext_lazy("kind"),
    "category": gettext_lazy("category"),
    "cost_cents": gettext_lazy("cost (fen)"),
    "barcode": gettext_lazy("barcode"),
    "weight_grams": gettext_lazy("weight (g)"),
    "purchase_limit": gettext_lazy("limit per customer"),
    "low_stock_threshold": gettext_lazy("low-stock threshold"),
    "stock": gettext_lazy("on hand"),
}

KIND_NAMES = {"商品": ProductKind.GOODS, "实物": ProductKind.GOODS, "服务": ProductKind.SERVICE}
WHOLE_NUMBER = re.compile(r"^([+-]?)(\d+)(?:\.0*)?$")


@dataclass
class Problem:
    row: int | None  # as the spreadsheet numbers it; None for the whole file
    column: str  # the header as the file writes it
    field: str
    message: str


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # only cells that passed
    problems: list[Problem] = field(default_factory=list)

    @property
    def sku(self) -> str:
        return self.values.get("sku", "")


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\ufeff", "")
    return "".join(text.split()).lower()


def map_header(header: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Column -> position, column -> header text as written, and the ignored headers."""
    positions: dict[str, int] = {}
    titles: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(header):
        column = HEADER_NAMES.get(_header_key(text))
        if column is None:
            if text.strip():
                ignored.append(text.strip())
            continue
        if column in positions:
            message = _("Two columns mean %(column)s: %(first)s and %(second)s.") % {
                "column": column, "first": titles[column], "second": text.strip(),
            }
            raise spreadsheets.unreadable(message, "duplicate_columns")
        positions[column] = position
        titles[column] = text.strip()
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        if not positions:
            message = _(
                "The first row must name the columns, e.g. %(columns)s; it reads: %(header)s"
            ) % {"columns": ",".join(REQUIRED), "header": ",".join(header)[:200]}
            raise spreadsheets.unreadable(message, "missing_header")
        message = _("Required columns are missing: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        raise InvalidInput(
            message, code="missing_columns", fields={"file": message},
            details={"missing": missing},
        )
    return positions, titles, ignored


def parse_row(number: int, cells: list[str], positions: dict[str, int], titles) -> Row:
    row = Row(number)
    texts = {
        column: spreadsheets.unescape_formula(cells[pos].strip()) if pos < len(cells) else ""
        for column, pos in positions.items()
    }
    for column in COLUMNS:
        if column not in texts:
            continue
        try:
            row.values[column] = PARSERS[column](texts[column], texts)
        except DomainError as exc:
            row.problems.append(Problem(number, titles[column], column, str(exc.message)))
    return row


def whole_number(text: str, column: str, *, money: bool = False) -> int | None:
    """A whole number as a person writes it; full-width digits and Excel's "12.00" pass."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    match = WHOLE_NUMBER.match(text)
    if match is None or not text.isascii():
        if money and re.fullmatch(r"[+-]?\d*\.\d+", text):
            message = _(
                "%(value)s is not a whole number of fen (分): 12.50 元 is written 1250."
            ) % {"value": text}
        elif money:
            message = _("An amount in fen (分) must be a whole number, e.g. 1990.")
        else:
            message = _("Must be a whole number, e.g. 10: %(value)s") % {"value": text[:20]}
        raise rules.invalid(column, message)
    if len(match.group(2)) > 15:
        raise rules.invalid(column, _("This amount is too large."))
    value = int(match.group(2))
    return -value if match.group(1) == "-" else value


def _count(text: str, column: str) -> int | None:
    value = whole_number(text, column)
    if value is not None and not 0 <= value <= MAX_QUANTITY:
        raise rules.invalid(
            column, _("Must be a whole number from 0 to %(max)s.") % {"max": MAX_QUANTITY}
        )
    return value


def _kind(text: str, texts) -> str | None:
    if not text:
        return None
    return rules.clean_kind(KIND_NAMES.get(text, text.lower()))


def _aliases(text: str, texts) -> list[str]:
    name = " ".join(texts.get("name", "").split())
    return rules.clean_aliases(text.replace("｜", "|"), name=name)


PARSERS = {
    "sku": lambda text, texts: rules.clean_sku(text),
    "name": lambda text, texts: rules.clean_text(text, "name", max_length=100, required=True),
    "spec": lambda text, texts: rules.clean_text(text, "spec", max_length=50),
    "aliases": _aliases,
    "price_cents": lambda text, texts: rules.clean_cents(
        whole_number(text, "price_cents", money=True), "price_cents", required=True
    ),
    "kind": _kind,
    "category": lambda text, texts: rules.clean_text(text, "category", max_length=50),
    "cost_cents": lambda text, texts: rules.clean_cents(
        whole_number(text, "cost_cents", money=True), "cost_cents"
    ),
    "barcode": lambda text, texts: rules.clean_text(text, "barcode", max_length=64),
    "weight_grams": lambda text, texts: rules.clean_positive(
        whole_number(text, "weight_grams"), "weight_grams"
    ),
    "purchase_limit": lambda text, texts: rules.clean_positive(
        whole_number(text, "purchase_limit"), "purchase_limit"
    ),
    "low_stock_threshold": lambda text, texts: _count(text, "low_stock_threshold"),
    "stock": lambda text, texts: _count(text, "stock"),
}
