"""Who is acting: staff in the UI, an API token, the customer, the system or an automation rule.

Every service takes an `Actor` explicitly; the timeline records it."""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import ApiToken, Membership, Shop


class ActorKind(StrEnum):
    STAFF = "staff"
    API = "api"
    CUSTOMER = "customer"
    SYSTEM = "system"
    RULE = "rule"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    shop: "Shop"
    role: str | None = None
    user: Any = None
    token: "ApiToken | None" = None

    @property
    def shop_id(self) -> int:
        return self.shop.pk

    @property
    def label(self) -> str:
        if self.kind == ActorKind.STAFF and self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        if self.kind == ActorKind.API and self.token is not None:
            return self.token.name
        return str(self.kind)

    @classmethod
    def staff(cls, membership: "Membership") -> "Actor":
        return cls(ActorKind.STAFF, membership.shop, membership.role, user=membership.user)

    @classmethod
    def api(cls, token: "ApiToken") -> "Actor":
        return cls(ActorKind.API, token.shop, token.role, token=token)

    @classmethod
    def customer(cls, shop: "Shop") -> "Actor":
        """The customer, acting through their order's link (they hold no staff role)."""
        return cls(ActorKind.CUSTOMER, shop)

    @classmethod
    def system(cls, shop: "Shop") -> "Actor":
        return cls(ActorKind.SYSTEM, shop)
