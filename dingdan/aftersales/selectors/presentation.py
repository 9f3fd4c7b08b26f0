"""After-sales steps on the order's timeline, put into words in the language active when
called (the `orders.event_sentence` hook)."""

from django.utils.translation import gettext as _

from dingdan.aftersales import events
from dingdan.aftersales.models import CaseStatus, CaseType
from dingdan.orders.models import OrderEvent
from dingdan.orders.selectors.presentation import actor_name, choice_label


def event_sentence(*, event: OrderEvent) -> str | None:
    if event.kind not in events.KINDS:
        return None
    data = event.data or {}
    words = {"actor": actor_name(event), "number": data.get("number", ""),
             "type": choice_label(CaseType, data.get("type", "")),
             "before": choice_label(CaseStatus, data.get("from", "")),
             "after": choice_label(CaseStatus, data.get("status", "")),
             "units": ", ".join(f"{sku} × {n}" for sku, n in (data.get("units") or {}).items())}
    if event.kind == events.OPENED:
        return _("%(actor)s opened after-sales case %(number)s (%(type)s) for %(units)s") % words
    return _("%(actor)s moved after-sales case %(number)s from %(before)s to %(after)s") % words
