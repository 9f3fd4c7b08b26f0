"""A refused form's field errors next to their fields.

The view passes `field_errors` (input name → message) to the template; each input says

    <input name="price" … {% invalid_attrs field_errors "price" %}>
    {% include "web/_field_error.html" with name="price" %}

which marks the input `aria-invalid` and describes it by the message right after it."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def field_error(errors, name) -> str:
    """The message for `name` in `errors`, or "" (names may hold dots: "lines.0.sku")."""
    return (errors or {}).get(str(name), "")


@register.filter
def entry(mapping, key) -> str:
    """`typed|entry:"receive-note"`: a value by a key a template cannot spell with dots."""
    return (mapping or {}).get(str(key), "")


@register.simple_tag
def invalid_attrs(errors, name) -> str:
    """`aria-invalid` and `aria-describedby` for an input whose field was refused."""
    if not (errors or {}).get(str(name)):
        return ""
    return format_html('aria-invalid="true" aria-describedby="error-{}"', name)
