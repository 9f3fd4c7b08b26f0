from django.urls import path

from dingdan.fulfillment.views import papers, pickups

app_name = "fulfillment"

# Included at the site's root: each topic of fulfilment keeps its own prefix here.
urlpatterns = [
    path("papers/packing-slips/", papers.packing_slips, name="packing_slips"),
    path("papers/labels/", papers.labels, name="labels"),
    path("papers/pick-list/", papers.pick_list, name="pick_list"),
    path("pickups/redeem/", pickups.redeem, name="redeem_pickup"),
]
