"""Reads for a campaign's public join page: the campaign a link points to, what is still on
offer (cap minus the units live orders hold), and the entries made on the page that the
group's chain does not have yet (they go below dingdan's chain text, to be posted)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dingdan.chains.models import Campaign, CampaignItem, ChainEntry, ChainImport, EntrySource
from dingdan.chains.selectors import entry_checks
from dingdan.chains.selectors.campaigns import campaign_items
from dingdan.errors import NotFound

# What a chain line can say: the parser reads no quantity above this.
MAX_QUANTITY = 999


def campaign_for_join_link(token: str) -> Campaign:
    """The campaign a join link points to, or NotFound (also for malformed tokens and
    links replaced since)."""
    token = str(token or "")
    if not (10 <= len(token) <= 32):
        raise NotFound(_("This link is not valid."))
    campaign = Campaign.objects.select_related("shop").filter(join_token=token).first()
    if campaign is None:
        raise NotFound(_("This link is not valid."))
    return campaign


@dataclass(frozen=True)
class OfferedItem:
    item: CampaignItem
    left: int | None  # of the total cap; None without a cap
    most: int  # the most one may choose now (cap left, per-person limit, a chain's 999)

    @property
    def is_sold_out(self) -> bool:
        return self.most == 0


def offered_items(campaign: Campaign) -> list[OfferedItem]:
    """The campaign's items in order, each with how many are left of its cap."""
    taken: dict[str, int] = defaultdict(int)
    for _person, held in entry_checks.ordered_so_far(campaign).values():
        for sku, quantity in held.items():
            taken[sku] += quantity
    offered = []
    for item in campaign_items(campaign):
        left = None
        most = MAX_QUANTITY
        if item.total_cap is not None:
            left = max(item.total_cap - taken[item.variant.sku], 0)
            most = min(most, left)
        if item.per_person_limit is not None:
            most = min(most, item.per_person_limit)
        offered.append(OfferedItem(item, left, most))
    return offered


def latest_pasted_entries(campaign: Campaign) -> list[dict]:
    """The entries of the chain as the merchant last pasted it (imported or not)."""
    latest = (ChainImport.objects.filter(shop=campaign.shop_id, campaign=campaign)
              .order_by("-created_at", "-id").values_list("entries", flat=True).first())
    return latest or []


def entries_to_post(campaign: Campaign) -> list[ChainEntry]:
    """Entries made on the join page that no paste made since has shown: the group's chain
    does not have their lines yet."""
    made = list(ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign,
                                          source=EntrySource.PAGE).order_by("seq", "id"))
    if not made:
        return []
    last_seen: dict[str, object] = {}
    for at, entries in ChainImport.objects.filter(
        shop=campaign.shop_id, campaign=campaign,
        created_at__gte=min(entry.created_at for entry in made),
    ).values_list("created_at", "entries"):
        for entry in entries:
            key = entry.get("key")
            if key and (key not in last_seen or at > last_seen[key]):
                last_seen[key] = at
    return [entry for entry in made
            if entry.identity_key not in last_seen
            or last_seen[entry.identity_key] < entry.created_at]
