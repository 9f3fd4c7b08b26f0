"""Checks for a refused form's field errors shown next to their inputs."""

import re


def error_after_input(html: str, name: str) -> str:
    """The message in `error-<name>` placed right after the input named `name`."""
    found = re.search(
        rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>(?:[^<]*</textarea>)?\s*'
        rf'<p class="error" role="alert" id="error-{re.escape(name)}"[^>]*>([^<]*)</p>', html)
    assert found, f"no error right after {name}"
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>',
                    html).group(0)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="error-{name}"' in tag
    return found.group(1)
