"""The rate limit of the public pages: a fixed window per client address."""

import pytest
from django.core.cache import cache

from dingdan import ratelimit


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_the_client_address_behind_proxies_and_for_ipv6(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.PROXY_HOPS = 0
    assert ratelimit.client_address(request) == "10.0.0.1"  # the header is not trusted
    settings.PROXY_HOPS = 1
    assert ratelimit.client_address(request) == "5.6.7.8"
    settings.PROXY_HOPS = 0
    v6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert ratelimit.client_address(v6) == "2001:db8:1:2::/64"


def test_the_window_counts_and_then_starts_over():
    rate = ratelimit.Rate("test", requests=2, seconds=10)
    assert [ratelimit.take(rate, "a", now=100.0) for _ in range(2)] == [0, 0]
    assert ratelimit.take(rate, "a", now=103.0) == 7
    assert ratelimit.take(rate, "b", now=103.0) == 0
    assert ratelimit.take(rate, "a", now=110.0) == 0


def test_looking_does_not_count_and_says_when_the_window_is_spent():
    rate = ratelimit.Rate("test-look", requests=2, seconds=10)
    assert [ratelimit.exhausted(rate, "a", now=100.0) for _ in range(5)] == [0] * 5
    ratelimit.take(rate, "a", now=101.0)
    assert ratelimit.exhausted(rate, "a", now=101.0) == 0
    ratelimit.take(rate, "a", now=102.0)
    assert ratelimit.exhausted(rate, "a", now=104.0) == 6
    assert ratelimit.exhausted(rate, "a", now=110.0) == 0
