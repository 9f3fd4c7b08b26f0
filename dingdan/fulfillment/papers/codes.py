"""Barcodes and QR codes as inline SVG, so a paper carries them without image files and
WeasyPrint draws them as vectors (sharp on a 203 dpi thermal printer)."""

import re

import barcode
import segno
from barcode.errors import BarcodeError
from barcode.writer import SVGWriter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Whole printer dots at 203 dpi (8 dots per mm): bars of 3 or 2 dots scan best. Narrower
# only when the number would not fit the label otherwise.
MODULE_WIDTHS_MM = (0.375, 0.25)
QUIET_ZONE_MODULES = 10  # the blank margin a scanner needs on each side
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def code128_svg(text: str, *, max_width_mm: float = 90, height_mm: float = 15) -> SafeString:
    """`text` as a Code 128 barcode no wider than `max_width_mm`, or "" when Code 128
    cannot hold it (an order number pattern with Chinese characters)."""
    try:
        code = barcode.get("code128", text, writer=SVGWriter())
        modules = len(code.build()[0])
    except (BarcodeError, ValueError):
        return mark_safe("")
    width = next(
        (w for w in MODULE_WIDTHS_MM if (modules + 2 * QUIET_ZONE_MODULES) * w <= max_width_mm),
        max_width_mm / (modules + 2 * QUIET_ZONE_MODULES),
    )
    svg = code.render({
        "module_width": width, "module_height": height_mm, "quiet_zone": QUIET_ZONE_MODULES * width,
        "write_text": False, "margin_top": 0, "margin_bottom": 0, "compress": False,
    }).decode("utf-8")
    # Inline in HTML: no XML prolog, and no id that repeats with every label on the page.
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1)).replace(' id="barcode_group"', "")
    # The number is printed under the bars as text in the page's font; the aria-label
    # names the code for a screen reader.
    return mark_safe(svg.replace(
        "<svg ", f'<svg class="code128" role="img" aria-label="{escape(text)}" ', 1))


def qr_svg(data: str) -> SafeString:
    """`data` (a link) as a QR code that fills the box CSS gives it."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(omitsize=True, border=2, svgclass="qr", lineclass=None)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(data)}" ', 1))
