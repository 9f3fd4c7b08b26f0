"""The OpenAPI document names each schema by its class: two classes of one name would share
one entry, and a client (or the fuzz) would read one answer by the other's shape."""

from collections import defaultdict

from ninja import Schema

import dingdan.api_v1  # noqa: F401  (loads every router and its schemas)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    modules = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("dingdan."):
            modules[schema.__name__].add(schema.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}
