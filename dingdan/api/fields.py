"""Input types the routes share: bounds that keep a well-formed but extreme value from
reaching the database and failing there, instead of being refused with a 422."""

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field

# The largest value of a 32-bit integer column (counts, limits, weights, thresholds).
MAX_INT = 2**31 - 1
# The largest id: a bigger number names no row, and inside an `IN (…)` list it would
# otherwise reach the database.
MAX_ID = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _in_utc(value: datetime) -> datetime:
    # Stored and compared in UTC, so an offset PostgreSQL cannot hold (+17:50) never reaches
    # it, and a time with no UTC equivalent (9999-12-31T23:00-05:00) is refused. A time
    # without an offset stays as sent (the service decides what it means), but must have a
    # UTC equivalent in the current time zone too.
    try:
        in_utc = (value if value.tzinfo else timezone.make_aware(value)).astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(_("Must be a date and time between the years 1 and 9999.")) from None
    return in_utc if value.tzinfo else value


Moment = Annotated[datetime, AfterValidator(_in_utc)]
