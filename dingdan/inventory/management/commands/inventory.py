"""`dingdan inventory verify [--shop SLUG]`: prove the ledger sums to every stock level."""

from django.core.management.base import BaseCommand, CommandError

from dingdan.inventory.selectors import ledger_mismatches
from dingdan.shops.models import Shop


class Command(BaseCommand):
    help = "Check stock levels against the movement ledger."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="levels = sum of the ledger, never oversold")
        verify.add_argument("--shop", help="only this shop (short name)")

    def handle(self, *args, **options):
        shop = None
        if options.get("shop"):
            shop = Shop.objects.filter(slug=options["shop"]).first()
            if shop is None:
                raise CommandError(f"no shop with the short name {options['shop']!r}")
        problems = ledger_mismatches(shop)
        for p in problems:
            self.stdout.write(
                f"{p['shop']} {p['sku']}: on_hand {p['on_hand']} vs ledger {p['ledger_on_hand']}, "
                f"reserved {p['reserved']} vs ledger {p['ledger_reserved']}"
            )
        if problems:
            raise CommandError(f"{len(problems)} stock level(s) disagree with the ledger")
        self.stdout.write("OK: every stock level equals the sum of its ledger.")
