"""schemathesis hooks for test_fuzz.py (loaded by the `schemathesis run` it starts)."""

import os
from urllib.parse import urlencode

import schemathesis

# CPython 3.11 before 3.11.8 can raise "SystemError: AST constructor recursion depth
# mismatch" from ast.parse (python/cpython#106905). Hypothesis parses a lambda's source
# only to name a filtered strategy in its repr; on that error the plain repr will do, so
# the run goes on testing dingdan instead of stopping on the interpreter's bug.
try:
    from hypothesis.internal import lambda_sources
except ImportError:  # older Hypothesis: nothing to work around
    lambda_sources = None

if lambda_sources is not None:
    _describe_lambda = lambda_sources.lambda_description

    def _lambda_description(f):
        try:
            return _describe_lambda(f)
        except SystemError:
            return "lambda: <source not shown>"

    lambda_sources.lambda_description = _lambda_description

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
