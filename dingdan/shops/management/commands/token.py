"""`dingdan token create --shop SLUG --role ROLE [--name NAME]` prints the new token alone on
its last line (scripts read it from there); `token list` and `token revoke` manage them."""

from django.core.management.base import BaseCommand, CommandError

from dingdan.errors import DomainError
from dingdan.shops import selectors
from dingdan.shops.actors import Actor
from dingdan.shops.models import Role, Shop
from dingdan.shops.services import shops as services


class Command(BaseCommand):
    help = "Create, list and revoke a shop's API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--shop", required=True, help="the shop's short name (slug)")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--name", default="cli")
        listing = sub.add_parser("list", help="list the shop's tokens")
        listing.add_argument("--shop", required=True)
        revoke = sub.add_parser("revoke", help="revoke a token by id")
        revoke.add_argument("--shop", required=True)
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        shop = Shop.objects.filter(slug=options["shop"]).first()
        if shop is None:
            raise CommandError(f"no shop with the short name {options['shop']!r}")
        actor = Actor.system(shop)
        try:
            getattr(self, "_" + options["action"])(actor, shop, options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _create(self, actor, shop, options):
        token, secret = services.create_token(
            actor=actor, shop=shop, name=options["name"], role=options["role"]
        )
        self.stdout.write(
            f"Token {token.pk} ({token.role}) for shop {shop.slug}; it is shown only now:"
        )
        self.stdout.write(secret)

    def _list(self, actor, shop, options):
        for token in selectors.tokens_for_shop(shop, include_revoked=True):
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.role}\t{state}\t{token.name}")

    def _revoke(self, actor, shop, options):
        token = selectors.token_in_shop(shop, options["id"])
        services.revoke_token(actor=actor, shop=shop, token=token)
        self.stdout.write(f"Revoked token {token.pk}.")
