"""A refused pickup point form is shown again as typed, each field's message right after its
input, and nothing is saved."""

import pytest

from dingdan.chains.services.campaigns import create_pickup_point
from dingdan.fulfillment.models import PickupPoint
from dingdan.shops.audit_models import AuditRecord
from tests import factories
from tests.field_errors import error_after_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def east_gate(shop):
    return create_pickup_point(
        actor=factories.staff_actor(shop),
        shop=shop,
        name="东门",
        address="幸福路8号",
        aliases=["小区东门"],
    )


def client_for(shop, language="en"):
    client = factories.Client(headers={"Accept-Language": language})
    client.force_login(factories.make_member(shop, "owner").user)
    return client


def post(shop, data, language="en"):
    response = client_for(shop, language).post("/campaigns/pickup-points/", data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "This field is required."), ("zh-hans", "这个字段是必填项。")]
)
def test_a_new_point_without_a_name_is_shown_at_the_name(shop, language, message):
    html = post(shop, {"name": " ", "address": "幸福路8号", "aliases": "东大门|北门"}, language)
    assert error_after_input(html, "name") == message
    assert 'id="p-address" name="address" value="幸福路8号"' in html
    assert 'id="p-aliases" name="aliases" value="东大门|北门"' in html
    assert not PickupPoint.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The shop already has a pickup point called 东门."),
        ("zh-hans", "店铺已有名为 东门 的自提点。"),
    ],
)
def test_a_new_point_with_a_name_in_use_is_shown_at_the_name(shop, east_gate, language, message):
    records = AuditRecord.objects.count()
    html = post(shop, {"name": "东门", "address": "光明路1号", "aliases": ""}, language)
    assert error_after_input(html, "name") == message
    assert 'id="p-name" name="name" value="东门"' in html
    assert 'value="光明路1号"' in html
    # The saved point's own form shows it as saved, with no error.
    assert f'id="p-name-{east_gate.pk}" name="name" value="东门" required maxlength="60" >' in html
    assert list(PickupPoint.objects.values_list("name", flat=True)) == ["东门"]
    assert AuditRecord.objects.count() == records


def test_too_many_aliases_are_shown_at_the_aliases(shop):
    aliases = "|".join(f"门{n}" for n in range(21))
    html = post(shop, {"name": "北门", "address": "", "aliases": aliases})
    assert error_after_input(html, "aliases") == "At most 20 aliases."
    assert f'value="{aliases}"' in html and 'value="北门"' in html
    assert not PickupPoint.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"), [("en", "At most 60 characters."), ("zh-hans", "最多 60 个字符。")]
)
def test_a_refused_edit_is_shown_at_that_points_input(shop, east_gate, language, message):
    other = create_pickup_point(actor=factories.staff_actor(shop), shop=shop, name="西门")
    records = AuditRecord.objects.count()
    html = post(
        shop,
        {"point_id": east_gate.pk, "name": "门" * 61, "address": "幸福路9号", "aliases": "东大门"},
        language,
    )
    pk = east_gate.pk
    assert error_after_input(html, "name", f"name-{pk}") == message
    assert f'id="p-address-{pk}" name="address" value="幸福路9号"' in html
    assert f'id="p-aliases-{pk}" name="aliases" value="东大门"' in html
    # Not ticked "in use" in the refused form: it stays unticked as typed.
    edited_form = html.split(f'id="p-name-{pk}"')[1].split("</form>")[0]
    assert 'name="is_active" >' in edited_form
    assert f'id="p-name-{other.pk}" name="name" value="西门"' in html
    assert 'id="error-name"' not in html  # the new point's form is not the refused one
    east_gate.refresh_from_db()
    assert (east_gate.name, east_gate.address, east_gate.aliases, east_gate.is_active) == (
        "东门",
        "幸福路8号",
        ["小区东门"],
        True,
    )
    assert AuditRecord.objects.count() == records


def test_a_saved_edit_still_goes_back_to_the_list(shop, east_gate):
    response = client_for(shop).post(
        "/campaigns/pickup-points/",
        {
            "point_id": east_gate.pk,
            "name": "东门",
            "address": "幸福路8号",
            "aliases": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    east_gate.refresh_from_db()
    assert east_gate.aliases == []
