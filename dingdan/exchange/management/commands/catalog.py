"""`dingdan catalog import FILE --shop SLUG [--dry-run]` and
`dingdan catalog export --shop SLUG [--format csv|xlsx] [-o FILE]`.

Scripts read the output: one `row N, column: message` line per problem, then
`N created, M updated, K unchanged`; the exit code is 1 when anything went wrong."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dingdan.errors import DomainError
from dingdan.exchange.selectors.catalog_export import FORMATS, export_catalog
from dingdan.exchange.services.catalog_import import import_catalog
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.spreadsheets import MAX_BYTES


class Command(BaseCommand):
    help = "Import and export a shop's catalog as CSV or XLSX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import products from a CSV or XLSX file")
        load.add_argument("file")
        load.add_argument("--shop", required=True, help="the shop's short name")
        load.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        dump = sub.add_parser("export", help="export products to CSV (stdout) or XLSX")
        dump.add_argument("--shop", required=True, help="the shop's short name")
        dump.add_argument("--format", choices=FORMATS, default="csv")
        dump.add_argument("-o", "--output", help="file to write (CSV goes to stdout without)")

    def handle(self, *args, **options):
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"no shop with the short name {options['shop']!r}")
        actor = Actor.system(shop)
        if options["action"] == "import":
            self._import(actor, shop, Path(options["file"]), options["dry_run"])
        else:
            self._export(actor, shop, options["format"], options["output"])

    def _import(self, actor, shop, path: Path, dry_run: bool) -> None:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        try:
            report = import_catalog(
                actor=actor, shop=shop, file_name=path.name, data=data, dry_run=dry_run
            )
        except DomainError as exc:
            raise CommandError(f"{path}: {exc} [{exc.code}]") from None
        if report.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(report.ignored_columns)}")
        for problem in report.problems:
            if problem.row is None:
                self.stdout.write(f"file: {problem.message}")
            else:
                self.stdout.write(f"row {problem.row}, {problem.column}: {problem.message}")
        summary = f"{report.created} created, {report.updated} updated, "
        summary += f"{report.unchanged} unchanged"
        if report.problems:
            self.stdout.write("0 created, 0 updated, 0 unchanged (nothing imported)")
            raise CommandError(f"{len(report.problems)} problem(s) in {path}; nothing imported")
        self.stdout.write(summary + (" (dry run, nothing written)" if dry_run else ""))

    def _export(self, actor, shop, fmt: str, output: str | None) -> None:
        try:
            data = export_catalog(actor=actor, shop=shop, fmt=fmt)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"{output}: {exc.strerror or exc}") from None
            self.stderr.write(f"wrote {output}")
        elif fmt == "csv":
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            raise CommandError("XLSX is binary: name a file with -o FILE")
