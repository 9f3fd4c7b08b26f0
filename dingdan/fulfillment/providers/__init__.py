"""Tracking providers: the outside services that watch a shipment and push its journey.

Plain data in, plain data out: nothing here touches a model, so the fulfillment app decides
what is recorded and a provider only talks to the outside world.

- `base.py` — what the fulfillment app calls (`TrackingProvider`) and what it gets back
  (`TrackingPush`, `TrackingEvent`, `PushReply`), the shipment statuses, the errors.
- `kuaidi100.py` — 快递100's subscription and push (docs/fulfillment-tracking.md).
"""
