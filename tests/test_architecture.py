"""The house rules that can be checked by reading the code: writes live under `services`,
and the layers of docs/architecture.md hold (`lint-imports`, configured in pyproject.toml)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dingdan"

# Calls that write rows whatever they are called on.
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Calls that write when made on a model, a manager or a queryset.
WRITES = {"create", "save", "delete", "update"}

# Modules that write outside a services package, and why that is right.
ALLOWED = {
    "orders/events.py": "the order timeline: append-only rows the services call",
    "aftersales/events.py": "a case's history: append-only rows the services call",
    "shops/audit.py": "the audit log: append-only rows the services call",
    "shops/audit_models.py": "the audit record refusing to be saved twice",
    "orders/models.py": "a model's own save()",
    "payments/models.py": "the ledger rows' own save(), refusing a second one",
    "shops/idempotency.py": "the API's Idempotency-Key rows, written around a service call",
    "shops/selectors.py": "a token's last use, stamped as it is looked up",
    "demo_bulk": "the bulk demo generator writes a year of rows in batches, by design",
    "demo.py": "the demo owner's login (the shop's data goes through services)",
}


def _allowed(relative: str) -> bool:
    return any(relative == key or relative.startswith(key + "/") for key in ALLOWED)


def _writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        text = ast.unparse(receiver)
        if name in ALWAYS_WRITES:
            found.append(f"{path.name}:{node.lineno} {text}.{name}()")
        elif name in WRITES and (
            "objects" in text or "_manager" in text or isinstance(receiver, ast.Call)
            or name in ("save", "delete")
        ):
            if (name == "save" and text in ("workbook", "po")) or text in ("router", "api"):
                continue  # a file, not a row; an HTTP route (`@router.delete(…)`)
            found.append(f"{path.name}:{node.lineno} {text}.{name}()")
    return found


def _modules_outside_services():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        parts = relative.split("/")
        if "migrations" in parts or "services" in parts or parts[-1] == "services.py" or (
            _allowed(relative)
        ):
            continue
        yield relative, path


def test_no_module_outside_services_writes_a_model():
    writes = {
        relative: found
        for relative, path in _modules_outside_services()
        if (found := _writes_in(path))
    }
    assert writes == {}, "writes belong in a services module: " + repr(writes)


def test_the_write_check_finds_a_write_in_a_view(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request, order):\n"
        "    Order.objects.filter(pk=order.pk).update(note='x')\n"
        "    order.save()\n"
        "    context = {}\n"
        "    context.update({'a': 1})\n"
    )
    assert [line.split(" ", 1)[1] for line in _writes_in(view)] == [
        "Order.objects.filter(pk=order.pk).update()", "order.save()"]


@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter is installed with the test extras")
def test_the_layers_hold():
    run = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]


def test_only_the_lifecycle_services_move_an_orders_status():
    # placement.py creates an order in its first status; lifecycle.py's named actions move it.
    movers = {"orders/services/lifecycle.py"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "migrations" in relative or relative in movers or relative.startswith("demo_bulk"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if (isinstance(target, ast.Attribute) and target.attr == "status"
                        and "order" in ast.unparse(target.value).lower()):
                    found.append(f"{relative}:{node.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "update" and "Order" in ast.unparse(node.func.value)
                    and any(k.arg == "status" for k in node.keywords)):
                found.append(f"{relative}:{node.lineno}")
    assert found == []
