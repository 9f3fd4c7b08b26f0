"""A mini-shop or an ERP runs a group buy over the API as the merchant does on the pages:
set the campaign up, paste the chain as it grows, confirm the entries into orders (twice
is harmless), read the totals, close it. Bad input is refused in the caller's language."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.chains.models import ChainEntry
from dingdan.chains.services.previews import MAX_TEXT
from dingdan.orders.models import Order
from dingdan.shops.audit_selectors import history_for
from tests import factories
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.django_db

LI = "李四 草莓x2 13912345678 东门"
WANG = "王五 蓝莓1 草莓1 13700001111 幸福里"
ZHAO = "赵六 蓝莓x3 13600001111 南门"
JSON = "application/json"


@pytest.fixture
def owner(shop):
    return factories.api_client(factories.token_for(shop, "owner", name="owner"), language="en")


def post(client, path, body=None, **headers):
    return client.post(
        f"/api/v1{path}", body if body is not None else {}, content_type=JSON, headers=headers
    )


def points(owner) -> list[int]:
    return [
        post(owner, "/pickup-points", {"name": name, "aliases": aliases}).json()["id"]
        for name, aliases in (("阳光小区东门", ["东门"]), ("幸福里南门", ["南门"]))
    ]


def campaign_body(point_ids, **changes) -> dict:
    return {
        "title": "周六草莓团",
        "cut_off_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        "delivery_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "pickup_point_ids": point_ids,
        "rules": "坏果包赔",
        "items": [
            {"sku": "STRAW-500", "price_cents": 2990, "per_person_limit": 3},
            {"sku": "BLUE-125", "price_cents": 1500},
        ],
        **changes,
    }


def chain(campaign: dict, *entries: str) -> str:
    return campaign["chain_text"] + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


@pytest.fixture
def campaign(owner):
    response = post(owner, "/campaigns", campaign_body(points(owner)))
    assert response.status_code == 201, response.content
    return response.json()


def test_a_group_buy_from_set_up_to_closing(shop, owner, campaign):
    assert campaign["status"] == "open" and campaign["is_taking_entries"]
    assert [i["name"] for i in campaign["items"]] == ["草莓 500g", "蓝莓 125g"]
    assert "周六草莓团" in campaign["chain_text"]
    base = f"/campaigns/{campaign['id']}"

    preview = post(owner, f"{base}/imports", {"text": chain(campaign, LI, WANG)})

    assert preview.status_code == 201, preview.content
    draft = preview.json()
    assert draft["status"] == "draft" and draft["counts"]["new"] == 2
    li = draft["entries"][0]
    assert (li["state"], li["selected"], li["customer"], li["phone"]) == (
        "new",
        True,
        "李四",
        "13912345678",
    )
    assert li["pickup_point"] == "阳光小区东门"
    assert li["items"] == [{"sku": "STRAW-500", "name": "草莓 500g", "quantity": 2}]
    assert not Order.objects.filter(shop=shop).exists()  # nothing before confirming

    confirmed = post(owner, f"{base}/imports/{draft['id']}/confirm")
    again = post(owner, f"{base}/imports/{draft['id']}/confirm")

    assert confirmed.status_code == 200, confirmed.content
    first = confirmed.json()
    assert (first["created"], first["failed"], first["already_confirmed"]) == (2, 0, False)
    assert [e["outcome"] for e in first["entries"]] == ["created", "created"]
    assert again.status_code == 200
    assert again.json() == {**first, "already_confirmed": True}
    assert Order.objects.filter(shop=shop).count() == 2

    grown = post(owner, f"{base}/imports", {"text": chain(campaign, LI, WANG, ZHAO)}).json()
    assert [e["state"] for e in grown["entries"]] == ["unchanged", "unchanged", "new"]
    post(owner, f"{base}/imports/{grown['id']}/confirm", {"indexes": [2]})

    summary = owner.get(f"/api/v1{base}/summary").json()
    assert (summary["order_count"], summary["total_cents"]) == (3, 3 * 2990 + 4 * 1500)
    assert [(p["sku"], p["quantity"], p["amount_cents"]) for p in summary["products"]] == [
        ("STRAW-500", 3, 3 * 2990),
        ("BLUE-125", 4, 4 * 1500),
    ]
    by_point = {
        (p["pickup_point"], t["sku"]): t["quantity"]
        for p in summary["by_pickup_point"]
        for t in p["products"]
    }
    assert by_point == {
        ("阳光小区东门", "STRAW-500"): 2,
        ("幸福里南门", "STRAW-500"): 1,
        ("幸福里南门", "BLUE-125"): 4,
    }
    east = summary["pick_lists"][0]
    assert [(r["customer"], r["phone"]) for r in east["rows"]] == [("李四", "13912345678")]

    closed = post(owner, f"{base}/close")

    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["is_taking_entries"]) == ("closed", False)
    assert history_for(shop, "campaign", campaign["id"]).filter(action="closed").count() == 1
    listed = owner.get("/api/v1/campaigns", {"status": "closed"}).json()
    assert (listed["count"], listed["items"][0]["order_count"]) == (1, 3)
    assert owner.get("/api/v1/campaigns", {"status": "open"}).json()["count"] == 0


def test_entries_after_the_cut_off_are_shown_and_never_created(shop, owner, campaign):
    base = f"/campaigns/{campaign['id']}"
    in_time = post(owner, f"{base}/imports", {"text": chain(campaign, LI)}).json()
    past = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    moved = owner.patch(f"/api/v1{base}", {"cut_off_at": past}, content_type=JSON)
    assert moved.status_code == 200, moved.content
    from dingdan.chains.models import ChainImport

    ChainImport.objects.filter(pk=in_time["id"]).update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )

    late = post(owner, f"{base}/imports", {"text": chain(campaign, LI, WANG)}).json()

    assert [(e["customer"], e["state"], e["selected"]) for e in late["entries"]] == [
        ("李四", "new", True),
        ("王五", "after_cut_off", False),
    ]
    result = post(owner, f"{base}/imports/{late['id']}/confirm", {"indexes": [0, 1]}).json()
    assert result["created"] == 1
    assert list(
        ChainEntry.objects.filter(campaign=campaign["id"]).values_list("customer", flat=True)
    ) == ["李四"]


def test_problems_come_with_their_codes_and_labels_in_the_callers_language(shop, campaign):
    secret = factories.token_for(shop, "clerk", name="clerk")
    text = chain(campaign, "周九 榴莲x2 东门", "吴十 草莓x1 139123456 幸福里")
    base = f"/api/v1/campaigns/{campaign['id']}/imports"

    english = (
        factories.api_client(secret, language="en")
        .post(base, {"text": text}, content_type=JSON)
        .json()
    )
    chinese = factories.api_client(secret).post(base, {"text": text}, content_type=JSON).json()

    problems = [[p["code"] for p in e["problems"]] for e in english["entries"]]
    assert problems == [["product_unknown"], ["phone_invalid"]]
    assert english["entries"][0]["unmatched"] == ["榴莲x2"]
    assert english["entries"][1]["problems"][0]["label"] == (
        "phone number is not a valid mobile number"
    )
    assert (
        chinese["entries"][1]["problems"][0]["label"]
        != english["entries"][1]["problems"][0]["label"]
    )
    assert [e["selected"] for e in english["entries"]] == [False, False]


def test_a_retried_preview_or_confirmation_with_its_key_gets_the_same_answer(shop, owner, campaign):
    base = f"/campaigns/{campaign['id']}/imports"
    first = post(owner, base, {"text": chain(campaign, LI)}, **{"Idempotency-Key": "paste-1"})
    retry = post(owner, base, {"text": chain(campaign, LI)}, **{"Idempotency-Key": "paste-1"})
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()

    confirm = f"{base}/{first.json()['id']}/confirm"
    done = post(owner, confirm, **{"Idempotency-Key": "confirm-1"})
    redone = post(owner, confirm, **{"Idempotency-Key": "confirm-1"})
    assert redone.json() == done.json() and done.json()["already_confirmed"] is False
    assert Order.objects.filter(shop=shop).count() == 1


def test_bad_campaigns_are_refused_naming_the_fields_as_sent(owner):
    point_ids = points(owner)
    cases = [
        (
            {"items": [{"sku": "NOPE", "price_cents": 100}]},
            400,
            "items.0.sku",
            "No product with the SKU NOPE.",
        ),
        (
            {"pickup_point_ids": []},
            400,
            "pickup_point_ids",
            "A pickup campaign needs at least one pickup point.",
        ),
        (
            {"delivery_date": "2001-01-01"},
            400,
            "delivery_date",
            "The delivery date is before the cut-off.",
        ),
        (
            {"items": [{"sku": "STRAW-500", "price_cents": -1}]},
            422,
            "items.0.price_cents",
            "Must be at least 0.",
        ),
        ({"items": []}, 422, "items", "Must have at least 1 items."),
        ({"title": ""}, 422, "title", "Must not be empty."),
        (
            {"cut_off_at": "tomorrow"},
            422,
            "cut_off_at",
            "Must be a date and time such as 2026-11-22T10:00:00+08:00.",
        ),
    ]
    for changes, status, field, message in cases:
        response = post(owner, "/campaigns", campaign_body(point_ids, **changes))
        code = "validation_error" if status == 422 else "invalid_input"
        assert assert_error(response, status, code)["fields"][field] == message, changes


def test_refusals_are_in_chinese_by_default(shop):
    client = factories.api_client(factories.token_for(shop, "owner"))
    response = client.post(
        "/api/v1/campaigns",
        {
            "title": "团",
            "cut_off_at": "2030-01-01T20:00:00+08:00",
            "fulfilment": "delivery",
            "items": [{"sku": "NOPE", "price_cents": 1}],
        },
        content_type=JSON,
    )
    assert assert_error(response, 400, "invalid_input")["fields"]["items.0.sku"] == (
        "没有 SKU 为 NOPE 的商品。"
    )


def test_a_cut_off_without_an_offset_is_on_the_shops_clock(owner):
    body = campaign_body(points(owner), cut_off_at="2030-06-01T20:00:00", delivery_date=None)

    made = post(owner, "/campaigns", body).json()

    assert dt.datetime.fromisoformat(made["cut_off_at"]) == dt.datetime(
        2030, 6, 1, 12, tzinfo=dt.UTC
    )


def test_a_patch_changes_only_what_it_sends(owner, campaign):
    path = f"/api/v1/campaigns/{campaign['id']}"

    changed = owner.patch(
        path, {"title": "周日草莓团", "delivery_date": None}, content_type=JSON
    ).json()

    assert changed["title"] == "周日草莓团" and changed["delivery_date"] is None
    assert changed["items"] == campaign["items"]
    assert changed["pickup_points"] == campaign["pickup_points"]
    assert changed["cut_off_at"] == campaign["cut_off_at"]
    refused = owner.patch(
        path, {"items": [{"sku": "STRAW-500", "price_cents": 1, "total_cap": 0}]}, content_type=JSON
    )
    assert "items.0.total_cap" in assert_error(refused, 422, "validation_error")["fields"]


def test_bad_imports_and_confirmations_are_refused(owner, campaign):
    base = f"/campaigns/{campaign['id']}/imports"
    error = assert_error(post(owner, base, {"text": "今天天气不错"}), 400, "invalid_input")
    assert error["fields"]["text"] == "No entries found: paste the chain with the customers' lines."
    assert (
        "text"
        in assert_error(post(owner, base, {"text": "x" * (MAX_TEXT + 1)}), 422, "validation_error")[
            "fields"
        ]
    )
    draft = post(owner, base, {"text": chain(campaign, LI)}).json()
    error = assert_error(
        post(owner, f"{base}/{draft['id']}/confirm", {"indexes": [0, 7]}), 400, "invalid_input"
    )
    assert error["fields"] == {"indexes.1": "No entry 7 in this import."}
    assert_error(post(owner, f"{base}/{draft['id'] + 99}/confirm"), 404, "not_found")
    assert_error(owner.get("/api/v1/campaigns/999999"), 404, "campaign_not_found")
    assert_error(owner.get(f"/api/v1/campaigns/{10**30}"), 404, "campaign_not_found")


def test_a_clerk_may_import_but_not_set_up_or_close_a_campaign(shop, campaign):
    clerk = factories.api_client(factories.token_for(shop, "clerk", name="clerk"))
    base = f"/campaigns/{campaign['id']}"

    assert post(clerk, f"{base}/imports", {"text": chain(campaign, LI)}).status_code == 201
    assert_error(post(clerk, f"{base}/close"), 403, "permission_denied")
    assert_error(
        clerk.patch(f"/api/v1{base}", {"title": "x"}, content_type=JSON), 403, "permission_denied"
    )
