"""How often one client may ask for a public page (a campaign's join page, later the
order link): a fixed window per client address, counted in Django's cache.

    JOIN_PAGE = Rate("join", requests=60, seconds=60)
    wait = ratelimit.take(JOIN_PAGE, ratelimit.client_address(request))
    if wait:  # seconds until the window ends: answer 429 with Retry-After

The count is `cache.add` then `cache.incr`, both atomic in the in-memory cache (the default,
counted per process) and in Redis (one count for every process and machine, set CACHES to
it when more than one serves). A client is its address as the server sees it; behind
reverse proxies `PROXY_HOPS` says how many of them wrote `X-Forwarded-For`, so the address
is read from there (never trusted otherwise: anyone can send the header). IPv6 clients are
counted by their /64 network, which one household or phone holds as a whole."""

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    scope: str
    requests: int
    seconds: int


def client_address(request) -> str:
    """The client's address, or its /64 network for IPv6."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    hops = int(getattr(settings, "PROXY_HOPS", 0) or 0)
    if hops > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def take(rate: Rate, client: str, now: float | None = None) -> int:
    """Count one request of `client` against `rate`: 0 when it may go on, else the whole
    seconds until its window ends."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    key = f"ratelimit:{rate.scope}:{client}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the window's first request
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    if count <= rate.requests:
        return 0
    return max(1, int((window + 1) * rate.seconds - now + 0.999))


def exhausted(rate: Rate, client: str, now: float | None = None) -> int:
    """Without counting: 0 while `client` has requests left in this window of `rate`, else
    the whole seconds until it ends. For limits that count only failures (wrong codes):
    check first, `take` on each failure."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    count = cache.get(f"ratelimit:{rate.scope}:{client}:{window}", 0)
    if count < rate.requests:
        return 0
    return max(1, int((window + 1) * rate.seconds - now + 0.999))
