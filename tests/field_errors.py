"""Checks for a refused form's field errors shown next to their inputs."""

import re


def error_after_input(html: str, name: str, error: str | None = None) -> str:
    """The message in `error-<error>` (by default `error-<name>`) placed right after the
    input named `name`, which is marked invalid and described by it."""
    error = error or name
    found = re.search(
        rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>(?:[^<]*</textarea>)?\s*'
        rf'<p class="error" role="alert" id="error-{re.escape(error)}"[^>]*>([^<]*)</p>', html)
    assert found, f"no error-{error} right after {name}"
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>',
                    html).group(0)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="error-{error}"' in tag
    return found.group(1)
