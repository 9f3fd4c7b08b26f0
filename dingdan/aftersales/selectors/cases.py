"""Reading cases, always within one shop."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dingdan.aftersales.models import Case, CaseStatus, CaseType
from dingdan.errors import InvalidInput, NotFound
from dingdan.shops.models import Shop

MAX_PAGE = 200


def case_in_shop(shop: Shop, case_id: int) -> Case:
    case = (Case.objects.filter(shop=shop, pk=case_id).select_related("order", "shop")
            .prefetch_related("lines", "events").first())
    if case is None:
        raise NotFound(_("No such after-sales case."))
    return case


def cases_of_shop(shop: Shop, *, status: str = "", type: str = "") -> QuerySet[Case]:
    """The shop's cases, the most urgent answer first, then the newest; filtered by status
    and type (unknown values refused by name)."""
    cases = Case.objects.filter(shop=shop)
    if status:
        if status not in CaseStatus.values:
            message = _("Unknown status: %(value)s") % {"value": status[:30]}
            raise InvalidInput(message, fields={"status": message})
        cases = cases.filter(status=status)
    if type:
        if type not in CaseType.values:
            message = _("Unknown type: %(value)s") % {"value": type[:30]}
            raise InvalidInput(message, fields={"type": message})
        cases = cases.filter(type=type)
    return (cases.select_related("order").prefetch_related("lines")
            .order_by("answer_due_at", "-created_at", "-id"))


def cases_of_order(order) -> QuerySet[Case]:
    return (Case.objects.filter(order=order, shop_id=order.shop_id)
            .prefetch_related("lines").order_by("id"))
