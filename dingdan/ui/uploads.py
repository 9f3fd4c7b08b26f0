"""An uploaded file kept between its preview and the user's confirmation.

The bytes go to VAR_DIR/uploads/<random token>; the session remembers the token, the file
name, the shop and a SHA-256 of the content. The confirm form posts the token back, and
only a token the same session holds for the same shop opens the file: another user, an
old tab or a guessed name gets nothing. Files older than an hour are removed whenever a
new one is kept. (With several web machines, VAR_DIR must be shared storage or sessions
sticky; the alternative, asking the user to upload the file twice, is worse.)"""

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

MAX_AGE_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class KeptUpload:
    token: str
    file_name: str
    data: bytes


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _session_key(purpose: str) -> str:
    return f"dingdan_upload_{purpose}"


def _remove_stale(folder: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def keep(request: HttpRequest, purpose: str, *, shop_id: int, file_name: str, data: bytes) -> str:
    """Store the bytes and return the token the confirm form sends back."""
    folder = _folder()
    _remove_stale(folder)
    discard(request, purpose)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
    request.session[_session_key(purpose)] = {
        "token": token,
        "file_name": file_name[:200],
        "shop_id": shop_id,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return token


def take(request: HttpRequest, purpose: str, *, shop_id: int, token: str) -> KeptUpload | None:
    """The kept file for this token, or None when it is not this session's, not this shop's,
    expired or changed."""
    kept = request.session.get(_session_key(purpose))
    if not kept or not _TOKEN.match(token or "") or kept.get("token") != token:
        return None
    if kept.get("shop_id") != shop_id:
        return None
    path = _folder() / f"{token}.upload"
    try:
        if path.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != kept.get("sha256"):
        return None
    return KeptUpload(token=token, file_name=kept.get("file_name", ""), data=data)


def discard(request: HttpRequest, purpose: str) -> None:
    kept = request.session.pop(_session_key(purpose), None)
    if kept and _TOKEN.match(kept.get("token", "")):
        (_folder() / f"{kept['token']}.upload").unlink(missing_ok=True)
