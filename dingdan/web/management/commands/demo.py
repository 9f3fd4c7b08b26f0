"""`dingdan demo --orders N [--shop SLUG] [--customers N] [--products N] [--days 365]
[--seed S]`: a shop with a year of realistic orders, for trying dingdan at scale and for
the benchmarks in bench/."""

from django.core.management.base import BaseCommand, CommandError

from dingdan import demo_bulk


class Command(BaseCommand):
    help = "Generate a shop full of orders (customers, catalog, stock and a year of history)."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, required=True, help="how many orders")
        parser.add_argument("--shop", default="bulk",
                            help="short name of the shop to fill (created if new; 'demo' "
                                 "fills the demo shop); it must have no orders yet")
        parser.add_argument("--customers", type=int, help="default: orders / 25, 50 to 50,000")
        parser.add_argument("--products", type=int, help="default: orders / 1000, 20 to 1,000")
        parser.add_argument("--days", type=int, default=365, help="how far back orders go")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same shop")
        parser.add_argument("--batch", type=int, default=demo_bulk.BATCH,
                            help="orders per transaction")

    def handle(self, *args, **options):
        for name in ("orders", "customers", "products", "days", "batch"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} must be at least 1")

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            summary = demo_bulk.generate(
                slug=options["shop"], orders=options["orders"], customers=options["customers"],
                products=options["products"], days=options["days"], seed=options["seed"],
                batch=options["batch"], progress=say,
            )
        except demo_bulk.ShopHasOrders:
            raise CommandError(
                f"the shop {options['shop']!r} already has orders; generate into a new shop "
                "with --shop NEW-NAME"
            ) from None
        say(f"Shop {summary.shop_slug}: {summary.orders:,} orders, {summary.lines:,} lines, "
            f"{summary.events:,} timeline events, {summary.customers:,} customers, "
            f"{summary.skus:,} SKUs, {summary.movements:,} stock movements "
            f"in {summary.seconds:.0f} s.")
        if summary.owner_password:
            say(f"Log in as owner@{summary.shop_slug}.example.com with the password "
                f"{summary.owner_password}")
