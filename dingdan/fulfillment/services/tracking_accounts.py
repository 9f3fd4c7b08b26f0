"""Saving a shop's 快递100 account (docs/fulfillment-tracking.md, "The wiring")."""

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput
from dingdan.fulfillment.models import TrackingAccount
from dingdan.fulfillment.providers.kuaidi100 import Kuaidi100, new_salt
from dingdan.secret_box import decrypt_secret, encrypt_secret, mask_secret
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

MAX_KEY = 64


@transaction.atomic
def save_tracking_account(*, actor: Actor, shop: Shop, key: str) -> TrackingAccount:
    """Store the shop's 快递100 授权key, encrypted. The salt pushes are signed with is made
    here on the first save and kept afterwards (a new salt would break the signatures of
    every number already subscribed). Audited with the key masked."""
    require(actor, "shop.manage", shop)
    key = (key or "").strip()
    if not key:
        message = _("Enter the Kuaidi100 authorization key.")
        raise InvalidInput(message, fields={"key": message})
    if len(key) > MAX_KEY or not key.isascii() or any(c.isspace() for c in key):
        message = _("A Kuaidi100 authorization key is letters and digits, at most %(max)s.") % {
            "max": MAX_KEY}
        raise InvalidInput(message, fields={"key": message})
    account = TrackingAccount.objects.select_for_update().filter(shop=shop).first()
    salt = decrypt_secret(account.salt_encrypted) if account else new_salt()
    Kuaidi100(key, salt)  # refuses what could not work (InvalidProviderConfig)
    after = {"key": mask_secret(key)}
    if account is None:
        account = TrackingAccount.objects.create(
            shop=shop, key_encrypted=encrypt_secret(key), salt_encrypted=encrypt_secret(salt))
        before, action = {}, audit.CREATED
    else:
        before = {"key": mask_secret(decrypt_secret(account.key_encrypted))}
        account.key_encrypted = encrypt_secret(key)
        account.save(update_fields=["key_encrypted", "updated_at"])
        action = audit.CHANGED
    audit.record(actor=actor, shop=shop, object_type=audit.TRACKING_ACCOUNT, obj_id=account.pk,
                 label="快递100", action=action, changes=audit.diff(before, after))
    return account
