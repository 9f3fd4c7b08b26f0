"""The demo shop `make run` opens with, so a new user can click around at once."""

from django.contrib.auth import get_user_model
from django.db import transaction

from dingdan.shops.models import Membership, Role, Shop

DEMO_SLUG = "demo"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


@transaction.atomic
def ensure_demo_shop() -> tuple[Shop, bool]:
    """Create the demo shop and its owner login on first run; later runs change nothing."""
    shop, created = Shop.objects.get_or_create(slug=DEMO_SLUG, defaults={"name": "演示小店"})
    User = get_user_model()
    user, user_created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
    )
    if user_created:
        # Set directly: the demo password is deliberately short and public.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(shop=shop, user=user, defaults={"role": Role.OWNER})
    return shop, created
