"""Who may do what: the whole permission matrix in one table, and the one check that reads it.

Actions are named `<area>.<verb>`. Every service starts with `require(actor, action, shop)`.
"""

from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound, PermissionDenied
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.models import Role, Shop

ACTIONS: dict[str, str] = {
    "shop.view": _("see the shop"),
    "shop.manage": _("change shop settings"),
    "members.view": _("see staff members"),
    "members.manage": _("add, change and remove staff members"),
    "tokens.manage": _("create and revoke API tokens"),
    "catalog.view": _("see products"),
    "catalog.manage": _("create and change products"),
    "inventory.view": _("see stock"),
    "inventory.receive": _("receive stock"),
    "inventory.adjust": _("adjust and count stock"),
    "customers.view": _("see customers"),
    "customers.manage": _("create, change and merge customers"),
    "customers.view_pii": _("see full phone numbers and addresses"),
    "orders.view": _("see orders"),
    "orders.create": _("create orders"),
    "orders.edit": _("edit orders"),
    "orders.transition": _("move orders through their statuses"),
    "orders.cancel": _("cancel orders"),
    "orders.reprice": _("change order prices"),
    "orders.assign": _("assign orders to staff"),
    "fulfillment.ship": _("ship orders"),
    "aftersales.handle": _("open and handle after-sales cases"),
    "payments.record": _("record payments"),
    "payments.refund": _("refund payments"),
    "analytics.view": _("see reports"),
    "exchange.export": _("export data"),
    "exchange.import": _("import data"),
    "audit.view": _("see the audit log"),
}

_VIEW = {"shop.view", "catalog.view", "inventory.view", "customers.view", "orders.view"}

MATRIX: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(ACTIONS),
    Role.MANAGER: frozenset(ACTIONS) - {"shop.manage", "tokens.manage"},
    Role.CLERK: frozenset(
        _VIEW
        | {
            "members.view",
            "customers.manage",
            "customers.view_pii",
            "orders.create",
            "orders.edit",
            "orders.transition",
            "orders.cancel",
            "orders.assign",
            "aftersales.handle",
        }
    ),
    Role.WAREHOUSE: frozenset(
        _VIEW
        | {
            "inventory.receive",
            "inventory.adjust",
            "customers.view_pii",
            "orders.transition",
            "fulfillment.ship",
        }
    ),
    Role.FINANCE: frozenset(
        _VIEW
        | {
            "payments.record",
            "payments.refund",
            "orders.reprice",
            "analytics.view",
            "exchange.export",
        }
    ),
    Role.VIEWER: frozenset(_VIEW | {"analytics.view"}),
}

assert all(MATRIX[role] <= set(ACTIONS) for role in MATRIX), "matrix names an unknown action"


def role_allows(role: str | None, action: str) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return role in MATRIX and action in MATRIX[role]


def require(actor: Actor, action: str, shop: Shop) -> None:
    """Refuse unless the actor works in this shop and its role allows the action.

    Another shop's objects answer as missing, never as forbidden: their existence is not
    this actor's business.
    """
    if actor.shop_id != shop.pk:
        raise NotFound(_("Not found."))
    if actor.kind in (ActorKind.SYSTEM, ActorKind.RULE):
        if action not in ACTIONS:
            raise KeyError(f"unknown action {action!r}")
        return
    if not role_allows(actor.role, action):
        raise PermissionDenied(
            _("Your role (%(role)s) may not %(action)s.")
            % {"role": Role(actor.role).label if actor.role else "-", "action": ACTIONS[action]},
            details={"action": action},
        )


def require_any(actor: Actor, actions: list[str], shop: Shop) -> None:
    """Like `require`, for a step several use cases share (reserving stock for a new or an
    edited order): any one of the actions will do."""
    for action in actions[:-1]:
        try:
            require(actor, action, shop)
            return
        except PermissionDenied:
            continue
    require(actor, actions[-1], shop)


def grantable_roles(role: str | None) -> list[str]:
    """Roles whose permissions are all held by `role`: nobody hands out more than they have."""
    held = MATRIX.get(role, frozenset())
    return [candidate for candidate in Role.values if MATRIX[candidate] <= held]
