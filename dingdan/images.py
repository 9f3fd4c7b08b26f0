"""Images people upload: a transfer screenshot, a proof of payment, the shop's payment QR
codes, a courier's photo of the parcel at the door. Told by their content, never by their
name."""

from django.utils.translation import gettext as _

from dingdan.errors import InvalidInput

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# The first bytes of the image kinds a phone's screenshot comes in → the file's suffix.
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"),
                    (b"GIF87a", ".gif"), (b"GIF89a", ".gif"))


def image_suffix(data: bytes, field: str) -> str:
    """The suffix for an accepted image, or InvalidInput naming the field: only PNG, JPEG,
    GIF and WebP images up to 5 MB."""
    if len(data) > MAX_IMAGE_BYTES:
        message = _("The image is too large (at most 5 MB).")
        raise InvalidInput(message, fields={field: message})
    for signature, suffix in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return suffix
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    message = _("The image must be a PNG, JPEG, GIF or WebP image.")
    raise InvalidInput(message, fields={field: message})
