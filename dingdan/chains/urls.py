from django.urls import path

from dingdan.chains.views import campaigns as views
from dingdan.chains.views import imports as import_views
from dingdan.chains.views import join_page as join_views
from dingdan.chains.views import pickup_lists as pickup_views
from dingdan.chains.views import summaries as summary_views

app_name = "chains"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("pickup-points/", views.pickup_points, name="points"),
    path("pickup-points/<int:point_id>/pickup-list/", pickup_views.point_pickup_list,
         name="pickup_list"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<int:campaign_id>/join-link/", join_views.rotate_join_link, name="rotate_join_link"),
    path("<int:campaign_id>/import/", import_views.import_paste, name="paste"),
    path("<int:campaign_id>/imports/<int:import_id>/", import_views.import_detail,
         name="import"),
    path("<int:campaign_id>/imports/<int:import_id>/entries/<int:index>/",
         import_views.import_fix, name="fix_entry"),
    path("<int:campaign_id>/imports/<int:import_id>/confirm/", import_views.import_confirm,
         name="confirm"),
    path("<int:campaign_id>/summary/", summary_views.campaign_summary_page, name="summary"),
    path("<int:campaign_id>/print/", summary_views.campaign_print, name="print"),
    path("<int:campaign_id>/export/<slug:kind>.<slug:fmt>", summary_views.campaign_export,
         name="export"),
    path("<int:campaign_id>/batch-confirm/", summary_views.campaign_batch_confirm,
         name="batch_confirm"),
]
