"""`dingdan shop create --slug SLUG --name NAME [--owner EMAIL]` and `dingdan shop list`."""

from django.core.management.base import BaseCommand, CommandError

from dingdan.errors import DomainError
from dingdan.shops.models import Shop
from dingdan.shops.services import shops as services


class Command(BaseCommand):
    help = "Create and list shops."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="open a new shop")
        create.add_argument("--slug", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--owner", help="email of the first owner (created if new)")
        sub.add_parser("list", help="list all shops")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for shop in Shop.objects.order_by("slug"):
                self.stdout.write(f"{shop.slug}\t{shop.name}")
            return
        try:
            shop, password = services.create_shop(
                slug=options["slug"], name=options["name"], owner_email=options["owner"]
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Created shop {shop.slug} ({shop.name}).")
        if password:
            self.stdout.write(
                f"Owner account {options['owner']} created; first password: {password}"
            )
