"""Domain errors. Services raise them; the API and the UI each turn them into an answer in
one place. Messages are lazy translations, so they render in the language of the request."""

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        fields: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details or {}

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class AuthenticationFailed(DomainError):
    status = 401
    code = "unauthorized"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
