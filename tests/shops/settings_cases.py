"""One good and some bad values for every shop setting; the settings tests are generated
from this table, and a test fails when a setting is missing from it."""

# setting -> a value that differs from the default and is allowed
GOOD = {
    "payment_terms": "prepayment",
    "credit_days": 30,
    "accept_paid_orders": True,
    "pay_at_pickup": True,
    "complete_on_receipt": True,
    "payment_instructions": "中国银行 6222 0000 1234 5678 王芳",
    "order_number_scheme": "pattern",
    "order_number_pattern": "DD{date}-{seq:03d}",
    "shipping": {"flat_cents": 800, "free_over_cents": 9900, "by_method": {"local": 300}},
    "tax_rate_bp": 600,
    "reserve_stock_on": "acceptance",
    "allow_backorders": True,
    "language": "en",
    "timezone": "Asia/Urumqi",
}

# setting -> (bad value, key named in the refusal, words the message holds)
BAD = {
    "payment_terms": [("cash_only", "payment_terms", "prepayment")],
    "credit_days": [(0, "credit_days", "365"), (366, "credit_days", "365")],
    "payment_instructions": [("x" * 1001, "payment_instructions", "1000")],
    "order_number_scheme": [("uuid", "order_number_scheme", "timestamp")],
    "order_number_pattern": [
        ("{date}", "order_number_pattern", "{rand}"),
        ("{order_id}-{seq}", "order_number_pattern", "{seq}"),
        ("{seq", "order_number_pattern", "{date}"),
        ("{date.year}{seq}", "order_number_pattern", "{time}"),
        ("X" * 41 + "{seq}", "order_number_pattern", "40"),
    ],
    "shipping": [
        ({"flat_cents": -1}, "shipping.flat_cents", "¥"),
        ({"free_over_cents": 10**12}, "shipping.free_over_cents", "¥"),
        ({"by_method": {"drone": 100}}, "shipping.by_method.drone", "express"),
        ({"by_method": {"local": -5}}, "shipping.by_method.local", "¥"),
    ],
    "tax_rate_bp": [(-1, "tax_rate_bp", "100%"), (10_001, "tax_rate_bp", "100%")],
    "reserve_stock_on": [("shipment", "reserve_stock_on", "acceptance")],
    "allow_backorders": [("yes", "allow_backorders", "")],
    "accept_paid_orders": [("maybe", "accept_paid_orders", "")],
    "pay_at_pickup": [("at the door", "pay_at_pickup", "")],
    "complete_on_receipt": [("later", "complete_on_receipt", "")],
    "language": [("fr", "language", "zh-hans")],
    "timezone": [("Mars/Base", "timezone", "Mars/Base")],
}

BAD_CASES = [
    (setting, value, key, words) for setting, cases in BAD.items()
    for value, key, words in cases
]
