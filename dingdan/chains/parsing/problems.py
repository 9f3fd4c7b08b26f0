"""What can be wrong with one chain entry. The codes are a contract (scripts read them from
`dingdan chains parse --json`); the labels are what a merchant reads."""

from django.utils.translation import gettext_lazy as _

PHONE_INVALID = "phone_invalid"
PRODUCT_UNKNOWN = "product_unknown"
SPEC_AMBIGUOUS = "spec_ambiguous"
QUANTITY_INVALID = "quantity_invalid"
DUPLICATE_ENTRY = "duplicate_entry"
NO_ITEMS = "no_items"

# Also the order in which an entry lists its problems.
CODES = (
    PHONE_INVALID,
    PRODUCT_UNKNOWN,
    SPEC_AMBIGUOUS,
    QUANTITY_INVALID,
    DUPLICATE_ENTRY,
    NO_ITEMS,
)

LABELS = {
    PHONE_INVALID: _("phone number is not a valid mobile number"),
    PRODUCT_UNKNOWN: _("product not in the catalog"),
    SPEC_AMBIGUOUS: _("product has several specs; none was given"),
    QUANTITY_INVALID: _("quantity is zero, not whole or too large"),
    DUPLICATE_ENTRY: _("same customer and items as an earlier entry"),
    NO_ITEMS: _("no items"),
}


def in_order(found: set[str]) -> list[str]:
    return [code for code in CODES if code in found]
