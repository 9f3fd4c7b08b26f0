"""QR codes drawn on the server as inline SVG: a payment code, a pickup code, the order link
on a label. No image files, no script; they print sharp and work offline."""

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str = "", scale: int = 5) -> SafeString:
    """`text` as a QR code (error correction M: survives a crease or a smudge), an <svg>
    element to place in a page as it is."""
    code = segno.make_qr(text, error="m")
    # segno escapes nothing in the title itself.
    return mark_safe(code.svg_inline(scale=scale, border=2, title=escape(title) or None))
