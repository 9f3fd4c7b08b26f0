"""The one place a merchant or customer page turns a refused service call into what the user
sees. A service raises a `DomainError` whose message sums the refusal up and whose `fields`
say what is wrong with each form field ("lines.0.quantity": "Must be a whole number …").

    with refusal(request) as refused:
        return services.create_campaign(actor=actor, shop=shop, **fields)
    return None   # refused: the messages are shown, the form is rendered again

Inside the block a `DomainError` is caught and recorded on `refused` (falsy until then):
`refused.message`, `refused.status`, and `refused.fields` (field → message, as text) for a
template that shows each error next to its field. With a `request`, the messages are also
added to the page's messages, chosen by `show`:

- `FIELDS` (default): each distinct field message, or the summary when there are none
  (field messages name the bad line, the summary often only lists field keys);
- `MESSAGE`: the summary only;
- `SUMMARY_AND_FIELDS`: the summary, then the field messages that say more than it.

`labels` maps a field (or a line's prefix, "lines.0") to what the user calls it, so a
message about that line reads "SKU-1: …". `catch` narrows the errors caught (e.g. to
`InvalidInput`) and `passing` lists statuses that are not caught (e.g. 403 and 404, which
`staff_view` answers with its own page); those errors are raised as they are."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dingdan.errors import DomainError


class Show(Enum):
    FIELDS = "fields"
    MESSAGE = "message"
    SUMMARY_AND_FIELDS = "summary_and_fields"


@dataclass
class Refused:
    """What a refused call said; falsy while nothing was refused."""

    error: DomainError | None = None
    message: str = ""
    status: int = 200
    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.error is not None

    def record(self, error: DomainError, labels: dict[str, str] | None = None) -> None:
        self.error, self.message, self.status = error, str(error), error.status
        self.fields = {name: _labelled(name, str(text), labels or {})
                       for name, text in error.fields.items()}

    def messages(self, show: Show = Show.FIELDS) -> list[str]:
        """The messages to show the user, each once, in the order the service gave them."""
        if show is Show.MESSAGE:
            return [self.message]
        distinct = list(dict.fromkeys(self.fields.values()))
        if show is Show.SUMMARY_AND_FIELDS:
            # "This field is required." says no more than the summary beside it.
            generic = (self.message, _("This field is required."))
            return [self.message, *(text for text in distinct if text not in generic)]
        return distinct or [self.message]


def _labelled(name: str, text: str, labels: dict[str, str]) -> str:
    label = labels.get(name.rsplit(".", 1)[0] if name.startswith("lines.") else name)
    return f"{label}: {text}" if label and label not in text else text


@contextmanager
def refusal(request: HttpRequest | None = None, *, show: Show = Show.FIELDS,
            labels: dict[str, str] | None = None,
            catch: type[DomainError] = DomainError,
            passing: tuple[int, ...] = ()) -> Iterator[Refused]:
    """Run the block; a `DomainError` from it is recorded (and shown on `request`), not
    raised. Labels given later (they may come from the block itself) can be added to
    `labels` in place: it is read when the error arrives."""
    refused = Refused()
    try:
        yield refused
    except catch as error:
        if error.status in passing:
            raise
        refused.record(error, labels)
        if request is not None:
            for text in refused.messages(show):
                messages.error(request, text)
