"""Staff print an order's papers from its page, and many orders' at once from the list:
packing slips, 100 × 150 mm shipping labels and a pick list, each as a page to print and as
a PDF. The PDFs are read back with poppler's pdftotext and pdfinfo, as a person would read
the paper: the Chinese product names, the order number, the page size."""

import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dingdan.fulfillment.selectors.papers import MAX_ORDERS
from dingdan.fulfillment.services import shipping
from dingdan.orders.services.lifecycle import accept_order, cancel_order
from dingdan.shops.models import Role
from dingdan.shops.permissions import role_allows
from tests import factories
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db

PHONE, MASKED_PHONE = "13812345678", "138****5678"
STREET = "建国路88号"
MASKED_ROLES = [role for role in Role.values if not role_allows(role, "customers.view_pii")]


@pytest.fixture
def shop():
    shop = factories.make_shop(slug="afang", name="阿芳水果")
    factories.make_sku(shop, "ORANGE-5", name="赣南脐橙", spec="5斤", price_cents=3990, stock=100)
    factories.make_sku(shop, "APPLE-10", name="阿克苏苹果", spec="10斤", price_cents=5990,
                       stock=100)
    return shop


@pytest.fixture
def orders(shop):
    first = factories.place(shop, [("ORANGE-5", 2), ("APPLE-10", 1)], name="周敏", phone=PHONE,
                            address=f"北京市朝阳区{STREET}", note="放门卫")
    second = factories.place(shop, [("ORANGE-5", 3)], name="李雷", phone="13900001111",
                             address="上海市浦东新区世纪大道100号")
    return first, second


def client_for(shop, role="owner", language: str | None = "en"):
    client = factories.Client(headers={"Accept-Language": language} if language else {})
    client.force_login(factories.make_member(shop, role).user)
    return client


def query(*orders, **extra) -> str:
    parts = [f"order={order.pk}" for order in orders]
    parts += [f"{key}={value}" for key, value in extra.items()]
    return "?" + "&".join(parts)


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_info(content: bytes, tmp_path) -> str:
    if not shutil.which("pdfinfo"):
        skip_or_fail("poppler-utils (pdfinfo) is not installed")
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", "-box", str(path)], check=True, capture_output=True,
                          text=True).stdout


def test_a_packing_slip_page_shows_the_parcel_and_a_print_button(shop, orders):
    first, _ = orders

    response = client_for(shop).get("/papers/packing-slips/" + query(first))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Packing slip" in page
    assert first.number in page
    assert "赣南脐橙 5斤" in page and "阿克苏苹果 10斤" in page
    assert PHONE in page and STREET in page
    assert "放门卫" in page
    assert 'data-testid="print"' in page and "window.print()" in page
    assert "@media print" in page


def test_packing_slips_as_a_pdf_hold_the_chinese_names_and_order_numbers(shop, orders, tmp_path):
    first, second = orders

    response = client_for(shop).get("/papers/packing-slips/" + query(first, second, format="pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="afang-packing-slips-2-')
    text = pdf_text(response.content, tmp_path)
    assert "赣南脐橙" in text and "阿克苏苹果" in text
    assert first.number in text and second.number in text
    assert "周敏" in text and "李雷" in text
    assert re.search(r"^Pages:\s+2$", pdf_info(response.content, tmp_path), re.M)


def test_one_orders_pdf_is_named_after_its_number(shop, orders):
    first, _ = orders

    response = client_for(shop).get("/papers/labels/" + query(first, format="pdf"))

    assert response["Content-Disposition"] == (
        f'attachment; filename="afang-labels-{first.number}.pdf"')


def test_a_label_is_one_100_by_150_mm_page_per_order(shop, orders, tmp_path):
    response = client_for(shop).get("/papers/labels/" + query(*orders, format="pdf"))

    info = pdf_info(response.content, tmp_path)
    assert re.search(r"^Pages:\s+2$", info, re.M)
    # 100 × 150 mm in PostScript points (1 mm = 72 / 25.4 pt).
    width, height = (float(n) for n in re.search(
        r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (100, 150)
    for box in re.findall(r"^Page\s+\d+\s+MediaBox:\s+(.+)$", info, re.M) or [
            re.search(r"^MediaBox:\s+(.+)$", info, re.M).group(1)]:
        x0, y0, x1, y1 = (float(n) for n in box.split())
        assert (round((x1 - x0) * 25.4 / 72), round((y1 - y0) * 25.4 / 72)) == (100, 150)
    text = pdf_text(response.content, tmp_path)
    assert orders[0].number in text and "赣南脐橙" in text


def test_a_label_carries_the_order_number_as_code_128_and_the_order_link_as_qr(shop, orders):
    first, _ = orders

    page = client_for(shop).get("/papers/labels/" + query(first)).content.decode()

    assert "@page { size: 100mm 150mm" in page
    barcode = re.search(r'<svg class="code128"[^>]*aria-label="([^"]+)"', page)
    assert barcode and barcode.group(1) == first.number
    assert page.count("<rect") > 20  # the bars
    link = re.search(r'<svg role="img" aria-label="([^"]+)"[^>]*class="qr"', page)
    assert link and link.group(1) == f"http://testserver/o/{first.link_token}/"


def test_the_code_128_bars_read_back_as_the_order_number(shop, orders):
    from barcode.codex import Code128

    from dingdan.fulfillment.papers.codes import code128_svg

    first, _ = orders
    svg = code128_svg(first.number)
    # The bars of the SVG, as modules: the same pattern Code 128 gives the number.
    bars = [(float(x), float(w)) for x, w in re.findall(
        r'<rect x="([\d.]+)mm" y="[\d.]+mm" width="([\d.]+)mm"', svg)]
    module = min(w for _, w in bars)
    start = bars[0][0]
    modules = ["0"] * round((bars[-1][0] + bars[-1][1] - start) / module)
    for x, w in bars:
        for n in range(round((x - start) / module), round((x - start + w) / module)):
            modules[n] = "1"
    assert "".join(modules) == Code128(first.number).build()[0].rstrip("0")


def test_an_order_number_code_128_cannot_hold_is_printed_as_text_only(shop):
    from dingdan.fulfillment.papers.codes import code128_svg

    assert code128_svg("店20261202-0001") == ""


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_a_role_without_personal_data_sees_the_phone_masked_on_every_paper(shop, orders, role,
                                                                           tmp_path):
    client = client_for(shop, role)
    first, _ = orders
    for paper in ("packing-slips", "labels", "pick-list"):
        page = client.get(f"/papers/{paper}/" + query(first)).content.decode()
        assert PHONE not in page and STREET not in page, paper
        if paper != "pick-list":
            assert MASKED_PHONE in page, paper
            assert 'data-testid="pii-masked"' in page
    text = pdf_text(client.get("/papers/labels/" + query(first, format="pdf")).content, tmp_path)
    assert MASKED_PHONE in text and PHONE not in text


def test_the_warehouse_prints_labels_with_the_whole_phone_and_address(shop, orders):
    page = client_for(shop, "warehouse").get("/papers/labels/" + query(orders[0])).content
    assert PHONE in page.decode() and STREET in page.decode()


def pick_products(page: str) -> list[list[str]]:
    """The cells of the pick list's product rows, as the paper reads them."""
    products = re.search(r'data-testid="pick-products">(.*?)</table>', page, re.S).group(1)
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", products)]
    return [[cell for cell in row.split("|") if cell.strip()] for row in rows[1:]]


def test_the_pick_list_sums_each_product_over_the_orders_and_lists_each_order(shop, orders,
                                                                           tmp_path):
    first, second = orders
    client = client_for(shop)

    page = client.get("/papers/pick-list/" + query(first, second)).content.decode()

    assert pick_products(page) == [["☐", "赣南脐橙 5斤", "ORANGE-5", "5", "2"],
                                   ["☐", "阿克苏苹果 10斤", "APPLE-10", "1", "1"]]
    assert page.count('data-testid="pick-order"') == 2
    text = pdf_text(client.get("/papers/pick-list/" + query(first, second, format="pdf"))
                    .content, tmp_path)
    assert "赣南脐橙" in text and first.number in text and second.number in text


def test_a_cancelled_order_is_left_out_of_the_pick_list_and_marked_on_its_slip(shop, orders):
    first, second = orders
    cancel_order(actor=factories.Actor.system(shop), order=second, reason="customer_request")
    client = client_for(shop)

    pick = client.get("/papers/pick-list/" + query(first, second)).content.decode()
    slip = client.get("/papers/packing-slips/" + query(second)).content.decode()

    assert re.search(r'data-testid="left-out">[^<]*' + re.escape(second.number), pick)
    assert pick_products(pick) == [["☐", "赣南脐橙 5斤", "ORANGE-5", "2", "1"],
                                   ["☐", "阿克苏苹果 10斤", "APPLE-10", "1", "1"]]
    assert pick.count('data-testid="pick-order"') == 1
    assert 'data-testid="cancelled"' in slip


def test_the_order_lists_selection_prints_by_post(shop, orders):
    first, second = orders

    response = client_for(shop).post("/papers/packing-slips/",
                                     {"ids": [first.pk, second.pk], "action": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="packing-slip"') == 2
    # Its PDF button posts the same orders again.
    assert f'name="order" value="{first.pk}"' in page and 'name="format" value="pdf"' in page


def test_another_shops_order_is_not_found(shop, orders):
    other = factories.make_shop()
    factories.make_sku(other, "X-1", stock=5)
    theirs = factories.place(other, [("X-1", 1)])
    client = client_for(shop)

    for paper in ("packing-slips", "labels", "pick-list"):
        assert client.get(f"/papers/{paper}/" + query(theirs)).status_code == 404
        assert client.get(f"/papers/{paper}/" + query(orders[0], theirs)).status_code == 404


@pytest.mark.parametrize(("params", "message"), [
    ("", "Choose at least one order to print."),
    ("?order=abc", "abc is not an order id."),
    ("?order=1&format=docx", "A paper is printed as html or pdf, not docx."),
])
def test_a_print_without_orders_or_with_a_bad_one_is_refused(shop, params, message):
    response = client_for(shop).get("/papers/labels/" + params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_more_than_the_most_orders_at_once_is_refused(shop):
    ids = {"ids": [str(n) for n in range(1, MAX_ORDERS + 2)]}

    response = client_for(shop).post("/papers/pick-list/", ids)

    assert response.status_code == 400
    assert f"At most {MAX_ORDERS} orders can be printed at once; {MAX_ORDERS + 1} were chosen." \
        in response.content.decode()


def test_the_refusal_reads_in_chinese_by_default(shop):
    response = client_for(shop, language=None).get("/papers/labels/")

    assert response.status_code == 400
    assert "请选择" in response.content.decode()


def test_papers_read_in_chinese_by_default_and_in_english_when_asked(shop, orders):
    first, _ = orders
    chinese = client_for(shop, language=None).get("/papers/packing-slips/" + query(first))
    english = client_for(shop, language="en").get("/papers/packing-slips/" + query(first))

    assert "<h1>发货单</h1>" in chinese.content.decode()
    assert "收货人" in chinese.content.decode() and "Ship to" not in chinese.content.decode()
    assert "<h1>Packing slip</h1>" in english.content.decode()
    assert "Ship to" in english.content.decode()
    label = client_for(shop, language=None).get("/papers/labels/" + query(first)).content
    assert "寄件人" in label.decode() and "收件人" in label.decode()
    pick = client_for(shop).get("/papers/pick-list/" + query(first)).content.decode()
    assert "<h1>Pick list</h1>" in pick and "By product" in pick


def test_printing_needs_a_login(shop, orders):
    response = factories.Client().get("/papers/packing-slips/" + query(orders[0]))

    assert response.status_code == 302 and "/login" in response["Location"]


def test_printing_many_orders_costs_the_queries_of_printing_one(shop):
    few = [factories.place(shop, [("ORANGE-5", 1), ("APPLE-10", 1)]) for _ in range(2)]
    many = few + [factories.place(shop, [("ORANGE-5", 1), ("APPLE-10", 2)]) for _ in range(8)]
    client = client_for(shop)
    client.get("/papers/pick-list/" + query(*few))  # the session, warmed up

    counts = []
    for selection in (few, many):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/papers/packing-slips/" + query(*selection)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_order_page_offers_its_packing_slip_and_label(shop, orders):
    first, _ = orders

    page = client_for(shop, "viewer").get(f"/orders/{first.pk}/").content.decode()

    assert f'href="/papers/packing-slips/?order={first.pk}"' in page
    assert f'href="/papers/labels/?order={first.pk}"' in page
    assert f'href="/papers/labels/?order={first.pk}&amp;format=pdf"' in page


def test_the_order_list_prints_the_selected_orders(shop, orders):
    page = client_for(shop).get("/orders/").content.decode()

    for paper in ("packing-slips", "labels", "pick-list"):
        assert f'formaction="/papers/{paper}/" formtarget="_blank"' in page
    assert 'name="ids"' in page  # what the print buttons send, see the POST test above


def test_a_shipped_order_s_label_and_slip_carry_its_tracking_number(shop, orders, tmp_path):
    first, second = orders
    warehouse = factories.staff_actor(shop, "warehouse")
    first = accept_order(actor=warehouse, order=first)
    shipping.create_shipment(actor=warehouse, order=first, carrier="sf",
                             tracking_number="SF1234567890123")
    client = client_for(shop, language=None)

    label = client.get("/papers/labels/" + query(first, second, format="pdf")).content
    slip = client.get("/papers/packing-slips/" + query(first)).content.decode()

    text = pdf_text(label, tmp_path)
    assert "顺丰速运 SF1234567890123" in text
    assert text.count("SF1234567890123") == 1  # the other order has not shipped
    assert "运单号: 顺丰速运 SF1234567890123" in slip
