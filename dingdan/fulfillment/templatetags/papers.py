"""The codes a printed paper carries: {{ order.number|code128 }}, {{ order.link|qr }}."""

from django import template

from dingdan.fulfillment.papers import codes

register = template.Library()


@register.filter
def code128(text: str, max_width_mm: float = 90):
    return codes.code128_svg(str(text), max_width_mm=float(max_width_mm))


@register.filter
def qr(data: str):
    return codes.qr_svg(str(data))
