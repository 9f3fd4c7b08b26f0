"""`Idempotency-Key` for creating POSTs: a retry with the same key gets the first answer;
the same key with a different request is refused (409 `idempotency_key_reused`).

The key row is inserted in the same transaction as the work. A concurrent retry's insert
waits on the unique key until the first commits, then reads its answer; if the first
failed and rolled back, the retry does the work itself."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status

from dingdan.errors import Conflict, InvalidInput
from dingdan.shops.models import IdempotencyKey, Shop

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


def fingerprint(request: HttpRequest) -> str:
    try:
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True)
    except ValueError:
        body = request.body.decode("utf-8", "replace")
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def created(request: HttpRequest, shop: Shop, schema: type[Schema], create: Callable[[], dict]):
    """The 201 answer of a creating POST, made at most once per Idempotency-Key."""

    def produce() -> tuple[int, dict]:
        return 201, schema.model_validate(create()).model_dump(mode="json")

    return Status(*once(request, shop, produce))


def once(request: HttpRequest, shop: Shop, produce: Callable[[], tuple[int, dict]]):
    """Run `produce` (returning status and JSON-ready body) at most once per key."""
    key = request.headers.get(HEADER)
    if key is None:
        return produce()
    key = key.strip()
    if not key or len(key) > MAX_LENGTH:
        message = _("An Idempotency-Key is 1 to %(n)s characters.") % {"n": MAX_LENGTH}
        raise InvalidInput(message, code="invalid_idempotency_key", fields={HEADER: message})
    digest = fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(shop=shop, key=key, fingerprint=digest)
        except IntegrityError:
            return _earlier_answer(shop, key, digest)
        status, body = produce()
        row.status_code, row.response = status, body
        row.save(update_fields=["status_code", "response"])
        return status, body


def _earlier_answer(shop: Shop, key: str, digest: str) -> tuple[int, dict]:
    earlier = IdempotencyKey.objects.get(shop=shop, key=key)
    if earlier.fingerprint != digest:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            code="idempotency_key_reused",
        )
    return earlier.status_code, earlier.response
