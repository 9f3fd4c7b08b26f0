from django.urls import path

from dingdan.fulfillment.views import (
    deliveries,
    order_shipments,
    order_substitutes,
    papers,
    pickups,
)

app_name = "fulfillment"

# Included at the site's root: each topic of fulfilment keeps its own prefix here.
urlpatterns = [
    path("papers/packing-slips/", papers.packing_slips, name="packing_slips"),
    path("papers/labels/", papers.labels, name="labels"),
    path("papers/pick-list/", papers.pick_list, name="pick_list"),
    path("pickups/redeem/", pickups.redeem, name="redeem_pickup"),
    path("shipments/orders/<int:order_id>/ship/", order_shipments.ship, name="ship"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/tracking/",
         order_shipments.set_tracking, name="shipment_tracking"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/courier/",
         order_shipments.courier, name="shipment_courier"),
    path("deliveries/", deliveries.day, name="deliveries"),
    path("deliveries/<int:shipment_id>/delivered/", deliveries.delivered, name="delivered"),
    path("deliveries/<int:shipment_id>/failed/", deliveries.failed, name="delivery_failed"),
    path("shipments/orders/<int:order_id>/drop/", order_shipments.drop, name="drop_units"),
    path("shipments/orders/<int:order_id>/substitutes/<int:line_id>/",
         order_substitutes.offer, name="offer_substitute"),
    path("shipments/orders/<int:order_id>/substitutes/<int:offer_id>/withdraw/",
         order_substitutes.withdraw, name="withdraw_substitute"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/cancel/", order_shipments.cancel,
         name="shipment_cancel"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/step/", order_shipments.add_step,
         name="shipment_step"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/intercept/",
         order_shipments.intercept, name="shipment_intercept"),
    path("shipments/orders/<int:order_id>/interceptions/<int:interception_id>/",
         order_shipments.settle, name="interception_settle"),
]
