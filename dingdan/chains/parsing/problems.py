"""What can be wrong with one chain entry. The codes are a contract (scripts read them from
`dingdan chains parse --json`); what a merchant reads is in chains/problem_labels.py."""

PHONE_INVALID = "phone_invalid"
PRODUCT_UNKNOWN = "product_unknown"
SPEC_AMBIGUOUS = "spec_ambiguous"
QUANTITY_INVALID = "quantity_invalid"
DUPLICATE_ENTRY = "duplicate_entry"
NO_ITEMS = "no_items"
# A place that is part of more than one of the chain's pickup points (东门 with 阳光小区东门 and
# 幸福里东门): the merchant chooses, the parser does not guess.
PICKUP_POINT_AMBIGUOUS = "pickup_point_ambiguous"

# Also the order in which an entry lists its problems.
CODES = (
    PHONE_INVALID,
    PRODUCT_UNKNOWN,
    SPEC_AMBIGUOUS,
    QUANTITY_INVALID,
    DUPLICATE_ENTRY,
    NO_ITEMS,
    PICKUP_POINT_AMBIGUOUS,
)

def in_order(found: set[str]) -> list[str]:
    return [code for code in CODES if code in found]
