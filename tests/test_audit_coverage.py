"""Every write service of the apps that keep the audit log says what it records.

The services are found in the source: each public function of the modules below that runs
a transaction (decorated with `transaction.atomic` or opening one). Each must be named in
`AUDITED` with the (object type, action) pairs it writes, or with "no audit: <reason>". A
new write service without either fails here.

The table is not taken on trust: for each service a scenario calls it, and the records
that call leaves must be exactly the pairs the table names (a service listed as "no audit"
must leave none)."""

import ast
import inspect
from pathlib import Path

import pytest

from dingdan.shops.audit_models import AuditRecord
from tests import factories
from tests.audit_scenarios import scenario

ROOT = Path(__file__).resolve().parent.parent / "dingdan"

# Where write services that must keep the log live. Of inventory only the merchant's stock
# movements: reservations, backorders, the ledger and slots are orders' business.
AUDITED_MODULES = [
    *sorted((ROOT / "catalog" / "services").rglob("*.py")),
    ROOT / "inventory" / "services" / "stock.py",
    *sorted((ROOT / "customers" / "services").rglob("*.py")),
    *sorted((ROOT / "shops" / "services").rglob("*.py")),
    *sorted((ROOT / "chains" / "services").rglob("*.py")),
    *sorted((ROOT / "exchange" / "services").rglob("*.py")),
]
ORDERS_BUSINESS = [ROOT / "inventory" / "services" / name
                   for name in ("reservations.py", "backorders.py", "ledger.py", "slots.py")]

STOCK, PRODUCT, VARIANT, CUSTOMER = "stock", "product", "variant", "customer"
MEMBERSHIP, TOKEN, SHOP, SETTINGS = "membership", "api_token", "shop", "shop_settings"
CAMPAIGN, POINT = "campaign", "pickup_point"

AUDITED: dict[str, set[tuple[str, str]] | str] = {
    # catalog
    "catalog.products.create_sku": {(PRODUCT, "created"), (VARIANT, "created"),
                                    (PRODUCT, "changed")},
    "catalog.products.update_sku": {(PRODUCT, "changed"), (VARIANT, "changed"),
                                    (VARIANT, "deactivated"), (VARIANT, "activated")},
    # inventory
    "inventory.stock.receive_stock": {(STOCK, "received")},
    "inventory.stock.receive_stock_in_bulk": {(STOCK, "received")},
    "inventory.stock.adjust_stock": {(STOCK, "adjusted")},
    "inventory.stock.count_stock": {(STOCK, "counted")},
    "inventory.stock.count_stock_in_bulk": {(STOCK, "counted")},
    "inventory.stock.write_off_stock": {(STOCK, "written_off")},
    "inventory.stock.return_to_stock": (
        "no audit: returned goods are recorded by their after-sales case and the ledger"),
    "inventory.stock.write_off_returned": (
        "no audit: returned damaged goods are recorded by their after-sales case and the "
        "ledger"),
    "inventory.stock.set_low_stock_threshold": {(STOCK, "changed")},
    "inventory.stock.set_low_stock_thresholds": {(STOCK, "changed")},
    # customers
    "customers.customers.create_customer": {(CUSTOMER, "created")},
    "customers.customers.update_customer": {(CUSTOMER, "changed")},
    "customers.customers.add_address": {(CUSTOMER, "address_added"),
                                        (CUSTOMER, "default_address_changed")},
    "customers.customers.set_default_address": {(CUSTOMER, "default_address_changed")},
    "customers.customers.remove_address": {(CUSTOMER, "address_removed")},
    "customers.customers.tag_customer": {(CUSTOMER, "tagged")},
    "customers.customers.untag_customer": {(CUSTOMER, "untagged")},
    "customers.customers.add_identity": {(CUSTOMER, "identity_added")},
    "customers.customers.find_or_create_customer": {(CUSTOMER, "created"),
                                                    (CUSTOMER, "address_added")},
    "customers.customers.merge_customers": {(CUSTOMER, "merged"), (CUSTOMER, "merged_into")},
    # shops
    "shops.shops.create_shop": {(MEMBERSHIP, "added")},
    "shops.shops.update_shop": {(SHOP, "changed"), (SETTINGS, "changed")},
    "shops.shops.update_shop_settings": {(SETTINGS, "changed")},
    "shops.shops.add_member": {(MEMBERSHIP, "added")},
    "shops.shops.change_member_role": {(MEMBERSHIP, "role_changed")},
    "shops.shops.remove_member": {(MEMBERSHIP, "removed")},
    "shops.shops.create_token": {(TOKEN, "created")},
    "shops.shops.revoke_token": {(TOKEN, "revoked")},
    # chains
    "chains.campaigns.create_pickup_point": {(POINT, "created")},
    "chains.campaigns.update_pickup_point": {(POINT, "changed")},
    "chains.campaigns.create_campaign": {(CAMPAIGN, "created")},
    "chains.campaigns.update_campaign": {(CAMPAIGN, "changed")},
    # Orders for people the shop does not know yet make their customers too.
    "chains.confirming.confirm_import": {(CAMPAIGN, "orders_imported"), (CUSTOMER, "created")},
    "chains.confirming.batch_confirm": {(CAMPAIGN, "closed"), (CAMPAIGN, "confirmed")},
    "chains.closing.close_campaign": {(CAMPAIGN, "closed")},
    "chains.closing.close_at_cut_off": {(CAMPAIGN, "closed")},
    "chains.previews.preview_chain": (
        "no audit: a draft to check; nothing changes until it is confirmed"),
    "chains.previews.fix_entry": (
        "no audit: a correction inside a draft; the confirmation is recorded"),
    # The order's timeline records the customer joining; a new customer is recorded.
    "chains.joining.join_campaign": {(CUSTOMER, "created")},
    "chains.joining.rotate_join_link": {(CAMPAIGN, "link_rotated")},
    # exchange: through the catalog and stock writes, in bulk
    "exchange.catalog_import.import_catalog": {
        (PRODUCT, "created"), (PRODUCT, "changed"), (VARIANT, "created"),
        (VARIANT, "changed"), (STOCK, "received"), (STOCK, "counted"), (STOCK, "changed")},
}


# -- finding the write services ---------------------------------------------------------


def _opens_a_transaction(node: ast.AST) -> bool:
    return isinstance(node, ast.Call | ast.Attribute) and "transaction.atomic" in ast.unparse(
        node.func if isinstance(node, ast.Call) else node)


def _writes(function: ast.FunctionDef) -> bool:
    if any(_opens_a_transaction(d) for d in function.decorator_list):
        return True
    return any(
        isinstance(node, ast.With) and any(_opens_a_transaction(i.context_expr)
                                           for i in node.items)
        for node in ast.walk(function)
    )


def _key(path: Path, name: str) -> str:
    app = path.relative_to(ROOT).parts[0]
    return f"{app}.{path.stem}.{name}"


def write_services(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            _key(path, node.name) for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
            and _writes(node)
        ]
    return found


def test_every_write_service_says_what_it_records_or_why_not():
    found = set(write_services(AUDITED_MODULES))
    assert len(found) > 30  # the search itself still works
    missing = sorted(found - set(AUDITED))
    assert not missing, f"write services missing from AUDITED: {missing}"
    stale = sorted(set(AUDITED) - found)
    assert not stale, f"AUDITED names services that are gone or no longer write: {stale}"
    for name, expected in AUDITED.items():
        if isinstance(expected, str):
            reason = expected.removeprefix("no audit:").strip()
            assert expected.startswith("no audit: ") and reason, name
        else:
            assert expected, name


def test_orders_stock_business_writes_no_audit_records():
    for path in ORDERS_BUSINESS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module == "dingdan.shops"
                    for alias in node.names}
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "audit" not in imported and "dingdan.shops.audit" not in modules, path.name


SCENARIOS = {name: scenario(name) for name in AUDITED}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(AUDITED))
def test_the_table_matches_what_the_service_records(name):
    prepare = SCENARIOS[name]
    function = name.rsplit(".", 1)[1]
    assert f".{function}(" in inspect.getsource(prepare), f"{prepare.__name__} never calls it"
    shop = factories.make_shop()
    actor = factories.staff_actor(shop)
    call = prepare(shop, actor)
    last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0

    call()

    written = set(AuditRecord.objects.filter(id__gt=last)
                  .values_list("object_type", "action"))
    expected = AUDITED[name]
    assert written == (set() if isinstance(expected, str) else expected)
