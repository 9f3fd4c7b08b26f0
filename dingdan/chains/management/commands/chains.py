"""`dingdan chains parse (--catalog CATALOG.csv | --shop SLUG) CHAIN.txt [--json]`, and
`dingdan chains close-overdue`: close every open campaign whose cut-off has passed (the
worker does this when it starts, and at each cut-off).

Scripts read `--json`: a JSON list, one object per entry in chain order, exactly
{"seq", "customer", "phone", "address", "pickup_point", "items": [{"sku", "quantity"}],
"note", "problems"}, UTF-8 with Chinese unescaped. Without --json a table for people.
Entries with problems are still a successful parse (exit code 0); an unreadable file is not."""

import json
import sys
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dingdan.chains import problem_labels
from dingdan.chains.catalogs import CatalogError, catalog_for_shop, catalog_from_csv
from dingdan.chains.parsing.matching import Catalog
from dingdan.chains.parsing.parser import ParsedChain, parse_chain
from dingdan.chains.parsing.text import decode_chain

MAX_CHAIN_BYTES = 5 * 1024 * 1024


class Command(BaseCommand):
    help = "Read group-buy chain (接龙) text into orders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="parse a pasted chain against a catalog")
        parse.add_argument(
            "chain", help="the chain text file (UTF-8, UTF-16 or GBK; - reads stdin)"
        )
        source = parse.add_mutually_exclusive_group(required=True)
        source.add_argument("--catalog", help="CATALOG.csv: sku,name,spec,aliases,price_cents")
        source.add_argument("--shop", help="match against this shop's products (short name)")
        parse.add_argument(
            "--pickup-point",
            action="append",
            default=[],
            dest="pickup_points",
            help="a pickup point besides those the chain names (repeatable)",
        )
        parse.add_argument("--json", action="store_true", help="print JSON for scripts")
        sub.add_parser("close-overdue", help="close the open campaigns whose cut-off has passed")

    def handle(self, *args, **options):
        if options["action"] == "close-overdue":
            from dingdan.chains.services.closing import close_overdue_campaigns

            closed = close_overdue_campaigns()
            self.stdout.write(_("Closed %(n)d campaigns past their cut-off.") % {"n": closed})
            return
        catalog = self._catalog(options)
        text = self._read_chain(options["chain"])
        chain = parse_chain(text, catalog, options["pickup_points"])
        if options["json"]:
            self._write_utf8(as_json(chain))
        else:
            self._write_utf8(render_table(chain))

    def _catalog(self, options) -> Catalog:
        if options["catalog"]:
            try:
                return catalog_from_csv(Path(options["catalog"]))
            except CatalogError as exc:
                raise CommandError(str(exc)) from None
        from dingdan.shops.models import Shop

        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(
                _("No shop with the short name %(slug)s.") % {"slug": options["shop"]}
            )
        return catalog_for_shop(shop)

    def _read_chain(self, name: str) -> str:
        path = Path(name)
        try:
            if name == "-":
                data = sys.stdin.buffer.read(MAX_CHAIN_BYTES + 1)
            else:
                with path.open("rb") as stream:
                    data = stream.read(MAX_CHAIN_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                _("Cannot read the chain %(path)s: %(reason)s")
                % {"path": name, "reason": exc.strerror or exc}
            ) from None
        if len(data) > MAX_CHAIN_BYTES:
            raise CommandError(_("The chain %(path)s is larger than 5 MB.") % {"path": name})
        try:
            return decode_chain(data)
        except UnicodeDecodeError:
            raise CommandError(
                _("The chain %(path)s is neither UTF-8, UTF-16 nor GBK text.") % {"path": name}
            ) from None

    def _write_utf8(self, text: str) -> None:
        # Valid UTF-8 whatever the terminal's locale: write bytes when stdout is the real one.
        stream = getattr(self.stdout, "_out", None)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            self.stdout.write(text, ending="")


def as_json(chain: ParsedChain) -> str:
    """A JSON list with one entry per line, like the expected files beside the examples."""
    lines = [json.dumps(entry.as_dict(), ensure_ascii=False) for entry in chain.entries]
    return "[\n" + ",\n".join(" " + line for line in lines) + ("\n" if lines else "") + "]\n"


def render_table(chain: ParsedChain) -> str:
    """The chain as a table a merchant reads in a terminal, CJK columns aligned."""
    header = [
        _("No."), _("Customer"), _("Phone"), _("Pickup point / address"), _("Items"), _("Note"),
        _("Problems"),
    ]  # fmt: skip
    rows = [header]
    for entry in chain.entries:
        parsed = entry.parsed
        items = [f"{item.sku}×{item.quantity}" for item in parsed.items]
        items += [f"?{item.text}" for item in parsed.unmatched]
        rows.append(
            [
                str(entry.seq),
                parsed.customer,
                parsed.phone or "",
                parsed.pickup_point or parsed.address or "",
                " ".join(items),
                parsed.note or "",
                "; ".join(str(problem_labels.LABELS[code]) for code in parsed.problems),
            ]
        )
    widths = [max(_width(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    with_problems = sum(1 for entry in chain.entries if entry.parsed.problems)
    summary = _("%(entries)d entries, %(problems)d with problems") % {
        "entries": len(chain.entries),
        "problems": with_problems,
    }
    return "\n".join([*lines, "", summary]) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
