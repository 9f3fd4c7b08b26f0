from django.urls import path

from dingdan.fulfillment.views import order_shipments, papers, pickups

app_name = "fulfillment"

# Included at the site's root: each topic of fulfilment keeps its own prefix here.
urlpatterns = [
    path("papers/packing-slips/", papers.packing_slips, name="packing_slips"),
    path("papers/labels/", papers.labels, name="labels"),
    path("papers/pick-list/", papers.pick_list, name="pick_list"),
    path("pickups/redeem/", pickups.redeem, name="redeem_pickup"),
    path("shipments/orders/<int:order_id>/ship/", order_shipments.ship, name="ship"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/cancel/", order_shipments.cancel,
         name="shipment_cancel"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/step/", order_shipments.add_step,
         name="shipment_step"),
    path("shipments/orders/<int:order_id>/<int:shipment_id>/intercept/",
         order_shipments.intercept, name="shipment_intercept"),
    path("shipments/orders/<int:order_id>/interceptions/<int:interception_id>/",
         order_shipments.settle, name="interception_settle"),
]
