"""schemathesis hooks for test_fuzz.py (loaded by the `schemathesis run` it starts)."""

import os
from urllib.parse import urlencode

import schemathesis

# gunicorn answers a request line over 4094 bytes with its own 414 page before dingdan sees
# the request; generated queries stay below that, so every answer checked is dingdan's.
MAX_QUERY_BYTES = 3000


@schemathesis.hook
def before_call(context, case, kwargs):
    own, spare = os.environ["FUZZ_OWN_TOKEN_ID"], os.environ["FUZZ_SPARE_TOKEN_ID"]
    if case.path_parameters and str(case.path_parameters.get("token_id")) == own:
        # Revoking the token the fuzz runs with would turn every later answer into a 401.
        case.path_parameters["token_id"] = int(spare)
    if case.query and len(urlencode(case.query, doseq=True)) > MAX_QUERY_BYTES:
        case.query = {name: _shortened(value) for name, value in case.query.items()}


def _shortened(value):
    """One value instead of a repeated parameter, and at most 100 characters of text."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value[:100] if isinstance(value, str) else value
