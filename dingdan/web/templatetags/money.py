"""`{{ variant.price_cents|yuan }}` → 12.50 (amounts are stored in 分)."""

from django import template

from dingdan.money import format_yuan

register = template.Library()


@register.filter
def yuan(cents) -> str:
    return format_yuan(cents)
