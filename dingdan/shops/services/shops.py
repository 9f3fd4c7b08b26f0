"""Writes for shops, staff and API tokens: one function per use case, one transaction each."""

import re
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SettingsError

from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.shops import audit, config, tokens
from dingdan.shops.actors import Actor
from dingdan.shops.models import ApiToken, Membership, Role, Shop, validate_timezone
from dingdan.shops.permissions import grantable_roles, require

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$|^[a-z0-9]$")


def _clean_name(name: str, *, field: str = "name", max_length: int = 100) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A name is required."), fields={field: _("This field is required.")})
    if len(name) > max_length:
        message = _("At most %(n)d characters.") % {"n": max_length}
        raise InvalidInput(message, fields={field: message})
    return name


def _clean_role(role: str) -> str:
    if role not in Role.values:
        message = _("Unknown role %(role)s; choose one of: %(roles)s.") % {
            "role": role,
            "roles": ", ".join(Role.values),
        }
        raise InvalidInput(message, fields={"role": message})
    return role


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        message = _("Not a valid email address: %(email)s") % {"email": email or "-"}
        raise InvalidInput(message, fields={"email": message}) from None
    return email


@transaction.atomic
def create_shop(*, slug: str, name: str, owner_email: str | None = None) -> tuple[Shop, str | None]:
    """Open a new shop, optionally with its first owner.

    Returns the shop and, when the owner's account had to be created, its first password
    (shown once to whoever runs the command)."""
    slug = (slug or "").strip().lower()
    if not SLUG_PATTERN.match(slug):
        message = _("A short name uses 1–50 lower-case letters, digits and hyphens, e.g. my-shop.")
        raise InvalidInput(message, fields={"slug": message})
    name = _clean_name(name)
    try:
        with transaction.atomic():
            shop = Shop.objects.create(slug=slug, name=name)
    except IntegrityError:
        message = _("A shop with the short name %(slug)s already exists.") % {"slug": slug}
        raise Conflict(message, code="shop_exists", fields={"slug": message}) from None
    password = None
    if owner_email:
        user, password = _user_for_email(_clean_email(owner_email))
        membership = Membership.objects.create(shop=shop, user=user, role=Role.OWNER)
        _record_member(Actor.system(shop), shop, membership, audit.ADDED,
                       {"role": audit.change(None, membership.role)})
    return shop, password


@transaction.atomic
def update_shop(
    *,
    actor: Actor,
    shop: Shop,
    name: str | None = None,
    timezone_name: str | None = None,
    allow_backorders: bool | None = None,
) -> Shop:
    """Change the shop's name, time zone (the zone reports and timelines are shown in) or
    whether orders may wait for stock that is not there yet (backorders)."""
    require(actor, "shop.manage", shop)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    before = audit.snapshot(shop, SHOP_FIELDS)
    settings_before = _settings_snapshot(shop)
    fields = ["updated_at"]
    if allow_backorders is not None:
        _save_settings(shop, {"allow_backorders": bool(allow_backorders)})
    if name is not None:
        shop.name = _clean_name(name)
        fields.append("name")
    if timezone_name is not None:
        try:
            validate_timezone(timezone_name)
        except ValidationError:
            message = _("Unknown time zone: %(zone)s") % {"zone": timezone_name}
            raise InvalidInput(message, fields={"timezone": message}) from None
        shop.timezone = timezone_name
        fields.append("timezone")
    shop.save(update_fields=fields)
    _record_shop(actor, shop, audit.SHOP, audit.diff(before, audit.snapshot(shop, SHOP_FIELDS)))
    _record_shop(actor, shop, audit.SHOP_SETTINGS,
                 audit.diff(settings_before, _settings_snapshot(shop)))
    return shop


SHOP_FIELDS = ("name", "timezone")


def _record_shop(actor: Actor, shop: Shop, object_type: str, changes: audit.Changes) -> None:
    if changes:
        audit.record(actor=actor, shop=shop, object_type=object_type, obj_id=shop.pk,
                     label=shop.name, action=audit.CHANGED, changes=changes)


def _member_label(membership: Membership) -> str:
    return membership.user.email or membership.user.get_username()


def _record_member(
    actor: Actor, shop: Shop, membership: Membership, action: str, changes: audit.Changes
) -> None:
    audit.record(actor=actor, shop=shop, object_type=audit.MEMBERSHIP,
                 obj_id=membership.pk, label=_member_label(membership), action=action,
                 changes=changes)


@transaction.atomic
def update_shop_settings(*, actor: Actor, shop: Shop, changes: dict) -> config.ShopSettings:
    """Change some of the shop's settings (keys as in `config.ShopSettings`; null resets one
    to its default). An unknown key or a bad value refuses the whole change, naming each."""
    require(actor, "shop.manage", shop)
    locked = Shop.objects.select_for_update().get(pk=shop.pk)
    before = _settings_snapshot(locked)
    result = _save_settings(locked, changes)
    _record_shop(actor, locked, audit.SHOP_SETTINGS,
                 audit.diff(before, _settings_snapshot(locked)))
    shop.settings, shop.timezone = locked.settings, locked.timezone
    return result


def _settings_snapshot(shop: Shop) -> dict:
    """Every setting as it reads now (defaults included; the time zone is its own column
    and recorded with the shop), so a record shows only what really changed."""
    return config.shop_settings(shop).stored()


def _save_settings(shop: Shop, changes: dict) -> config.ShopSettings:
    """Validate and store settings on a locked shop row; the time zone goes to its column."""
    if not isinstance(changes, dict):
        message = _("Send the settings as an object, e.g. {\"allow_backorders\": true}.")
        raise InvalidInput(message, code="validation_error", fields={"body": message})
    try:
        result = config.validated(config.shop_settings(shop), changes)
    except SettingsError as exc:
        fields = config.error_fields(exc)
        message = _("Some settings are invalid: %(fields)s.") % {"fields": ", ".join(fields)}
        raise InvalidInput(message, code="validation_error", fields=fields) from None
    kept = {
        key: value for key, value in (shop.settings or {}).items()
        if key not in config.LEGACY_KEYS
    }
    shop.settings = {**kept, **result.stored()}
    shop.timezone = result.timezone
    shop.save(update_fields=["settings", "timezone", "updated_at"])
    return result


def _user_for_email(email: str):
    """The account with this email, or a new one with a random first password."""
    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(username__iexact=email).first()
    )
    if user is not None:
        return user, None
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(username=email, email=email, password=password)
    return user, password


def _require_grantable(actor: Actor, role: str) -> None:
    if actor.role is not None and role not in grantable_roles(actor.role):
        message = _("You cannot give the role %(role)s: it may do more than you.") % {
            "role": Role(role).label}
        raise PermissionDenied(message, code="role_not_grantable", fields={"role": message})


@transaction.atomic
def add_member(*, actor: Actor, shop: Shop, email: str, role: str) -> tuple[Membership, str | None]:
    """Give someone a role in the shop; creates their account (with a first password) if new."""
    require(actor, "members.manage", shop)
    role = _clean_role(role)
    _require_grantable(actor, role)
    user, password = _user_for_email(_clean_email(email))
    if Membership.objects.filter(shop=shop, user=user).exists():
        message = _("%(email)s already works in this shop.") % {
            "email": user.email or user.username}
        raise Conflict(message, code="member_exists", fields={"email": message})
    membership = Membership.objects.create(shop=shop, user=user, role=role)
    _record_member(actor, shop, membership, audit.ADDED, {"role": audit.change(None, role)})
    return membership, password


def _keeps_an_owner(shop: Shop, membership: Membership, *, field: str | None = None) -> None:
    """Refuse to take the last owner away; `field` names the input that would do it."""
    others = Membership.objects.filter(shop=shop, role=Role.OWNER).exclude(pk=membership.pk)
    if membership.role == Role.OWNER and not others.exists():
        message = _("A shop needs at least one owner.")
        raise Conflict(message, code="last_owner", fields={field: message} if field else None)


@transaction.atomic
def change_member_role(
    *, actor: Actor, shop: Shop, membership: Membership, role: str
) -> Membership:
    """Give a staff member another role; the last owner stays an owner."""
    require(actor, "members.manage", shop)
    role = _clean_role(role)
    _require_grantable(actor, role)
    _require_grantable(actor, membership.role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, shop=shop)
    if role != Role.OWNER:
        _keeps_an_owner(shop, membership, field="role")
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    if before != role:
        _record_member(actor, shop, membership, audit.ROLE_CHANGED,
                       {"role": audit.change(before, role)})
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, shop: Shop, membership: Membership) -> None:
    """Take someone out of the shop; their account stays, the last owner cannot leave."""
    require(actor, "members.manage", shop)
    _require_grantable(actor, membership.role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, shop=shop)
    _keeps_an_owner(shop, membership)
    _record_member(actor, shop, membership, audit.REMOVED,
                   {"role": audit.change(membership.role, None)})
    membership.delete()


@transaction.atomic
def create_token(*, actor: Actor, shop: Shop, name: str, role: str) -> tuple[ApiToken, str]:
    """Make an API token for the shop. The secret is returned once and never stored."""
    require(actor, "tokens.manage", shop)
    name = _clean_name(name)
    role = _clean_role(role)
    _require_grantable(actor, role)
    secret = tokens.new_secret()
    token = ApiToken.objects.create(
        shop=shop,
        name=name,
        role=role,
        prefix=tokens.display_prefix(secret),
        token_hash=tokens.hash_secret(secret),
        created_by=actor.user,
    )
    # Name and role only: the secret, its hash and its prefix stay out of the log.
    audit.record(actor=actor, shop=shop, object_type=audit.API_TOKEN, obj_id=token.pk,
                 label=token.name, action=audit.CREATED,
                 changes={"name": audit.change(None, name), "role": audit.change(None, role)})
    return token, secret


@transaction.atomic
def revoke_token(*, actor: Actor, shop: Shop, token: ApiToken) -> ApiToken:
    """Stop a token working at once; it stays listed as revoked."""
    require(actor, "tokens.manage", shop)
    if token.shop_id != shop.pk:
        raise NotFound(_("API token not found."), code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, shop=shop, object_type=audit.API_TOKEN, obj_id=token.pk,
                     label=token.name, action=audit.REVOKED,
                     changes={"revoked_at": audit.change(None, token.revoked_at)})
    return token
