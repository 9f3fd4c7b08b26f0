"""The merchant's pages that show orders (the list, search results, one order, a group buy's
summary, pick lists, print page and exports, the printed papers) never show a whole phone
number or street address to a member whose role lacks customers.view_pii, and do show them
to the owner.
Generated from the table of pages below; a search by phone finds an order for such a role
only by the whole number."""

import io
from dataclasses import dataclass

import openpyxl
import pytest

from dingdan.orders.services.customer_changes import change_by_customer
from dingdan.orders.services.lifecycle import accept_order
from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows
from tests import factories
from tests.api.endpoints import ADDRESS, NEW_ADDRESS, NEW_STREET, PHONE, STREET
from tests.chains.campaigns import confirm, make_campaign, preview

pytestmark = pytest.mark.django_db

MASKED_ROLES = [r for r in Role.values if not role_allows(r, "customers.view_pii")]


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # formatted with the seeded order's and campaign's ids
    action: str
    personal: frozenset[str]  # what of PHONE and the street the owner sees there


BOTH = frozenset({"phone", "address"})
PAGES = [
    Page("order list", "/orders/", "orders.view", frozenset({"phone"})),
    # Spaced as customers say it: the page echoes what was typed, not the stored number.
    Page("search by the whole phone", "/orders/?q=138+1234+5678", "orders.view",
         frozenset({"phone"})),
    Page("search by a name", "/orders/?q=周敏", "orders.view", frozenset({"phone"})),
    Page("order detail", "/orders/{order}/", "orders.view", BOTH),
    Page("order from a group buy", "/orders/{chain_order}/", "orders.view", BOTH),
    Page("campaign", "/campaigns/{campaign}/", "orders.view", frozenset()),
    Page("campaign summary and pick lists", "/campaigns/{campaign}/summary/", "orders.view",
         BOTH),
    Page("campaign print page", "/campaigns/{campaign}/print/", "orders.view", BOTH),
    Page("pick lists as CSV", "/campaigns/{campaign}/export/picklists.csv", "exchange.export",
         BOTH),
    Page("pick lists as XLSX", "/campaigns/{campaign}/export/picklists.xlsx",
         "exchange.export", BOTH),
    Page("packing slip", "/papers/packing-slips/?order={order}", "orders.view", BOTH),
    Page("shipping labels", "/papers/labels/?order={order}&order={chain_order}", "orders.view",
         BOTH),
    Page("pick list of orders", "/papers/pick-list/?order={order}&order={chain_order}",
         "orders.view", frozenset()),
]


@pytest.fixture
def seeded():
    """An accepted order of the customer with PHONE and ADDRESS, who asked to move it to
    NEW_ADDRESS, and a delivery group buy with the same customer's entry."""
    shop = factories.make_shop()
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", price_cents=3990, stock=50)
    factories.make_sku(shop, "BLUE-125", name="蓝莓", spec="125g", price_cents=1990, stock=50)
    order = factories.place(shop, [("STRAW-500", 1)], name="周敏", phone=PHONE, address=ADDRESS)
    order = accept_order(actor=factories.Actor.system(shop), order=order)
    change_by_customer(order=order, version=order.version, address=NEW_ADDRESS)
    campaign = make_campaign(shop, fulfilment="delivery")
    confirm(preview(campaign, f"{campaign.title}\n1. 周敏 草莓x2 {PHONE} {ADDRESS}"))
    chain_order = campaign.entries.get().order
    return shop, {"order": order.pk, "chain_order": chain_order.pk, "campaign": campaign.pk}


def _client(shop, role):
    member = factories.make_member(shop, role)
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(member.user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return response.content.decode("utf-8-sig")


def _cases():
    for page in PAGES:
        roles = [r for r in MASKED_ROLES if role_allows(r, page.action)]
        if not roles:
            yield pytest.param(page, None, id=f"{page.name}-nobody", marks=pytest.mark.skip(
                reason=f"every role allowed to {page.action} may see personal data"))
        for role in roles:
            yield pytest.param(page, role, id=f"{page.name}-{role}")


@pytest.mark.parametrize(("page", "role"), list(_cases()))
def test_a_member_without_pii_sees_no_whole_phone_or_street(seeded, page, role):
    shop, ids = seeded

    text = _text(_client(shop, role).get(page.path.format(**ids)))

    assert PHONE not in text
    assert STREET not in text and NEW_STREET not in text
    if "phone" in page.personal:
        assert "138****5678" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_owner_sees_the_customer_in_full(seeded, page):
    shop, ids = seeded

    text = _text(_client(shop, "owner").get(page.path.format(**ids)))

    assert (PHONE in text) == ("phone" in page.personal)
    assert (STREET in text) == ("address" in page.personal)


def test_the_owner_sees_the_address_the_customer_asked_for(seeded):
    shop, ids = seeded
    text = _text(_client(shop, "owner").get(f"/orders/{ids['order']}/"))
    assert NEW_STREET in text


# -- searching by phone -------------------------------------------------------------------


def _found(client, q: str) -> int:
    return client.get("/api/v1/orders", {"q": q}).json()["count"]


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_a_role_without_pii_finds_an_order_by_the_whole_phone_only(seeded, role):
    shop, _ = seeded
    masked = factories.api_client(factories.token_for(shop, role, name="masked"))
    owner = factories.api_client(factories.token_for(shop, "owner", name="owner"))

    # Guessing digits one at a time would confirm a hidden number: only the owner may.
    for part in ("5678", "1234", "812345", "1381234567"):
        assert _found(masked, part) == 0, part
        assert _found(owner, part) == 2, part
    for whole in (PHONE, "138 1234 5678", "138-1234-5678"):
        assert _found(masked, whole) == 2, whole
    assert _found(masked, "13812345679") == 0


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_the_order_page_search_finds_by_the_whole_phone_only(seeded, role):
    shop, ids = seeded
    client = _client(shop, role)

    partial = client.get("/orders/", {"q": "5678"})
    whole = client.get("/orders/", {"q": PHONE})

    assert partial.context["rows"] == []
    assert {row["order"].pk for row in whole.context["rows"]} == {ids["order"],
                                                                   ids["chain_order"]}


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_the_customers_link_is_not_handed_to_a_role_without_pii(seeded, role):
    # The link opens the order with the full address, so it is shown only to roles that
    # may see the address themselves.
    from dingdan.orders.models import Order

    shop, ids = seeded
    token = Order.objects.get(pk=ids["order"]).link_token
    masked = _text(_client(shop, role).get(f"/orders/{ids['order']}/"))
    assert token not in masked and 'data-testid="customer-link"' not in masked
    assert token in _text(_client(shop, "owner").get(f"/orders/{ids['order']}/"))
