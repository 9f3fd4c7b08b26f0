from django.utils.translation import gettext as _

from dingdan.errors import Conflict


class InsufficientStock(Conflict):
    """Not enough available stock; `details["shortages"]` names each SKU and what is left."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[dict]):
        parts = [
            _("%(name)s (%(sku)s): wanted %(requested)s, available %(available)s") % item
            for item in shortages
        ]
        super().__init__(
            _("Not enough stock. %(items)s.") % {"items": "; ".join(parts)},
            details={"shortages": shortages},
        )
