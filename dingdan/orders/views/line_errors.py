"""Where a refused order form shows each error. A service names a line by its place among
the lines it was sent ("lines.1.quantity"); the form shows it at the row that line came
from, by the input's id ("qty-3"), as `web/_field_error.html` expects. A shortage of stock
names a SKU, not a line: it is shown at the quantity of every row with that SKU."""

from django.utils.translation import gettext as _

from dingdan.errors import DomainError
from dingdan.inventory.errors import InsufficientStock

# A line's field -> the id prefix of the row's input that holds it.
ROW_INPUTS = {"sku": "sku", "quantity": "qty"}


def row_errors(
    fields: dict[str, str],
    line_rows: list[int],
    *,
    row_inputs: dict[str, str] = ROW_INPUTS,
    inputs: dict[str, str] | None = None,
) -> dict[str, str]:
    """A refusal's `fields` by input: "lines.n.<field>" goes to the row numbered
    `line_rows[n]`, any other field to `inputs.get(field, field)`; the first message for
    an input is kept."""
    errors: dict[str, str] = {}
    for name, message in fields.items():
        key = _row_input(name, line_rows, row_inputs) or (inputs or {}).get(name, name)
        errors.setdefault(key, message)
    return errors


def _row_input(name: str, line_rows: list[int], row_inputs: dict[str, str]) -> str | None:
    prefix, _dot, rest = name.partition(".")
    index, _dot, field = rest.partition(".")
    if prefix != "lines" or not index.isdigit() or field not in row_inputs:
        return None
    if int(index) >= len(line_rows):
        return None
    return f"{row_inputs[field]}-{line_rows[int(index)]}"


def shortage_errors(
    error: DomainError | None,
    line_rows: list[int],
    skus: list[str],
    held: dict[str, int] | None = None,
) -> dict[str, str]:
    """For a shortage, a message at the quantity of each row with a short SKU (`skus[n]`
    is line n's): how many this order may have, counting what it already `held`."""
    if not isinstance(error, InsufficientStock):
        return {}
    errors: dict[str, str] = {}
    for item in error.details.get("shortages", []):
        most = (held or {}).get(item["sku"], 0) + item["available"]
        message = _("Not enough stock: at most %(n)s for this order.") % {"n": most}
        for number, sku in zip(line_rows, skus, strict=False):
            if sku == item["sku"]:
                errors.setdefault(f"{ROW_INPUTS['quantity']}-{number}", message)
    return errors
