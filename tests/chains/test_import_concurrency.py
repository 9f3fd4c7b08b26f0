"""Two people confirm the import of the same chain at the same moment: every entry's order
is still made exactly once."""

import pytest

from dingdan.chains.models import ChainEntry, ChainImport
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.orders.models import Order
from tests.chains.campaigns import confirm, preview
from tests.inventory.test_concurrency import race

ENTRIES = "".join(
    f"{n}. 顾客{n} 草莓1 蓝莓1 1390000{n:04d} 东门\n" for n in range(1, 9)
)


def confirm_from_thread(draft_id: int):
    return confirm(ChainImport.objects.select_related("shop").get(pk=draft_id))


@pytest.mark.django_db(transaction=True)
def test_two_merchants_confirming_one_draft_create_each_order_once(campaign):
    draft = preview(campaign, chain_text(campaign) + ENTRIES)

    results = race(2, lambda n: confirm_from_thread(draft.pk))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r["already_confirmed"] for r in results) == [False, True]
    assert Order.objects.filter(shop=campaign.shop).count() == 8
    assert ChainEntry.objects.filter(campaign=campaign).count() == 8


@pytest.mark.django_db(transaction=True)
def test_two_drafts_of_the_same_chain_confirmed_at_once_create_each_order_once(campaign):
    drafts = [preview(campaign, chain_text(campaign) + ENTRIES) for _ in range(2)]

    results = race(2, lambda n: confirm_from_thread(drafts[n].pk))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r["created"] for r in results) == [0, 8]
    assert Order.objects.filter(shop=campaign.shop).count() == 8
    assert sorted(ChainEntry.objects.filter(campaign=campaign).values_list("seq", flat=True)) \
        == list(range(1, 9))
