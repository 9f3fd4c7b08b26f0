"""Checks for a refused form's field errors shown next to their inputs."""

import re

# After the input: a textarea's text or a select's options, up to its closing tag.
_CONTENT = r"(?:[^<]*</textarea>|(?:[^<]|<option[^>]*>|</option>)*</select>)?"


def error_after_input(html: str, name: str, error: str | None = None) -> str:
    """The message in `error-<error>` (by default `error-<name>`) placed right after an
    input named `name`, which is marked invalid and described by it. Rows of a form share
    input names ("sku"), so the input checked is the one the message follows."""
    error = error or name
    found = re.search(
        rf'(<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>){_CONTENT}\s*'
        rf'<p class="error" role="alert" id="error-{re.escape(error)}"[^>]*>([^<]*)</p>',
        html,
    )
    assert found, f"no error-{error} right after {name}"
    tag = found.group(1)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="error-{error}"' in tag
    return found.group(2)
