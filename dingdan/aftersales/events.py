"""A case's steps: each appended to the case's own history and to the order's timeline, in
the step's transaction (sentences in selectors/presentation.py)."""

from dingdan.aftersales.models import Case, CaseEvent
from dingdan.orders import events
from dingdan.shops.actors import Actor

OPENED = "aftersale_opened"
MOVED = "aftersale_moved"
KINDS = (OPENED, MOVED)


def _case_data(case: Case) -> dict:
    return {"case": case.pk, "number": case.number, "type": case.type,
            "status": case.status}


def _record(case: Case, *, actor: Actor, kind: str, before: str, data: dict,
            note: str) -> CaseEvent:
    return CaseEvent.objects.create(
        shop_id=case.shop_id, case=case, kind=kind, before=before, after=case.status,
        actor_kind=actor.kind, actor_label=actor.label[:150], user=actor.user,
        data=data, note=note[:500])


def opened(case: Case, *, actor: Actor, units: dict[str, int]) -> CaseEvent:
    """`units`: SKU → units the case names."""
    data = {**_case_data(case), "reason": case.reason, "units": units,
            "requested_cents": case.requested_cents}
    events.append(case.order, actor=actor, kind=OPENED, data=data, note=case.description)
    return _record(case, actor=actor, kind=OPENED, before="", data=data,
                   note=case.description)


def moved(case: Case, *, actor: Actor, before: str, step: str, note: str = "",
          data: dict | None = None) -> CaseEvent:
    """The case went from `before` to its status by `step` (approve, reject, …)."""
    data = {**_case_data(case), "from": before, "step": step, **(data or {})}
    events.append(case.order, actor=actor, kind=MOVED, data=data, note=note)
    return _record(case, actor=actor, kind=MOVED, before=before, data=data, note=note)
