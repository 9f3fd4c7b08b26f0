"""Background work of shipments: asking the tracking service to watch a shipment's number.

`tracking_push.watch_shipment` schedules `subscribe_to_tracking` once the shipment is
committed; the service re-reads the subscription, so running it twice or late is harmless,
and schedules it again itself when 快递100 could not be reached or gave up."""

from django_tasks import task

from dingdan.fulfillment.services import tracking_push


@task()
def subscribe_to_tracking(shop_id: int, subscription_id: int) -> str:
    return tracking_push.subscribe_shipment(shop_id=shop_id, subscription_id=subscription_id)
