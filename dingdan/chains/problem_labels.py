"""The parser's problem codes in words a merchant reads, in the active language."""

from django.utils.translation import gettext_lazy as _

from dingdan.chains.parsing.problems import (
    DUPLICATE_ENTRY,
    NO_ITEMS,
    PHONE_INVALID,
    PICKUP_POINT_AMBIGUOUS,
    PRODUCT_UNKNOWN,
    QUANTITY_INVALID,
    SPEC_AMBIGUOUS,
)

LABELS = {
    PHONE_INVALID: _("phone number is not a valid mobile number"),
    PRODUCT_UNKNOWN: _("product not in the catalog"),
    SPEC_AMBIGUOUS: _("product has several specs; none was given"),
    QUANTITY_INVALID: _("quantity is zero, not whole or too large"),
    DUPLICATE_ENTRY: _("same customer and items as an earlier entry"),
    NO_ITEMS: _("no items"),
    PICKUP_POINT_AMBIGUOUS: _("the place named is part of more than one pickup point"),
}
