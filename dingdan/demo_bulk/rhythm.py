"""When generated orders arrive: more each month as the shop grows, more at weekends and
on shopping festivals (618, 双11, 双12), fewer over the Spring Festival, and within a day
the peaks a chat-app shop sees (late morning and evening)."""

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator

# Relative orders per shop-local hour, 0h to 23h.
HOURS = (2, 1, 0.5, 0.3, 0.3, 0.5, 1, 2.5, 4, 6, 8, 8.5, 7, 6, 6, 6, 6.5, 6, 6, 7.5, 9, 9.5, 7, 4)
WEEKDAYS = (1.0, 0.95, 1.0, 1.0, 1.1, 1.35, 1.25)  # Monday first
FESTIVALS = {(6, 18): 2.5, (11, 10): 2.0, (11, 11): 4.0, (11, 12): 1.8, (12, 12): 2.0}
SPRING_FESTIVAL = (dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6),
                   dt.date(2028, 1, 26))


def _day_weight(day: dt.date, growth: float) -> float:
    weight = growth * WEEKDAYS[day.weekday()] * FESTIVALS.get((day.month, day.day), 1.0)
    if any(-3 <= (day - new_year).days <= 6 for new_year in SPRING_FESTIVAL):
        weight *= 0.35
    return weight


def order_times(
    rng: random.Random, *, count: int, days: int, now: dt.datetime, zone: zoneinfo.ZoneInfo
) -> Iterator[list[int]]:
    """`count` order times (epoch seconds), ascending, one list per shop-local day, over the
    `days` days ending now."""
    today = now.astimezone(zone).date()
    first = today - dt.timedelta(days=days - 1)
    now_s = int(now.timestamp())
    starts, weights, caps = [], [], []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        start = int(dt.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())
        # The last day only counts the hours already passed.
        hours = min(24, max(0, (now_s - start) // 3600 + 1))
        share = sum(HOURS[:hours]) / sum(HOURS)
        noise = rng.uniform(0.85, 1.15)
        weights.append(_day_weight(day, 0.6 + 0.8 * n / max(days - 1, 1)) * share * noise)
        starts.append(start)
        caps.append(hours)
    total = sum(weights)
    exact = [count * w / total for w in weights]
    counts = [int(x) for x in exact]
    # Largest remainders get the orders rounding left over, so the total is exactly `count`.
    for i in sorted(range(days), key=lambda i: exact[i] - counts[i], reverse=True)[
        : count - sum(counts)
    ]:
        counts[i] += 1
    for start, n, hours in zip(starts, counts, caps, strict=True):
        hour_weights = HOURS[:hours]
        picked = rng.choices(range(hours), weights=hour_weights, k=n)
        times = sorted(
            min(start + h * 3600 + rng.randrange(3600), now_s - 1) for h in picked
        )
        yield times
