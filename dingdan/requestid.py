"""The id of the request being answered, for records written while answering it.

A context variable, so code far below the web layer (the audit log) can read it without
being handed the request; outside a request it is empty."""

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
# What a proxy or a client may send us: letters, digits and a few separators, bounded so a
# header cannot flood the records it lands in.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

_current: ContextVar[str] = ContextVar("request_id", default="")


def current() -> str:
    return _current.get()


def choose(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and _SANE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def begin(request_id: str) -> Token:
    return _current.set(request_id)


def end(token: Token) -> None:
    _current.reset(token)
