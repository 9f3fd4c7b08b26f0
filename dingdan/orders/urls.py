from django.urls import path

from dingdan.orders.views import changes as change_views
from dingdan.orders.views import editing as edit_views
from dingdan.orders.views import orders as views
from dingdan.orders.views import presets as template_views
from dingdan.orders.views import review as review_views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("bulk/", views.order_bulk, name="bulk"),
    path("new/", views.order_new, name="new"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:template_id>/delete/", template_views.template_delete,
         name="template_delete"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/edit/", edit_views.order_edit, name="edit"),
    path("<int:order_id>/reprice/", edit_views.order_reprice, name="reprice"),
    path("<int:order_id>/flags/<slug:code>/resolve/", review_views.resolve_flag,
         name="resolve_flag"),
    path("<int:order_id>/follow-ups/", review_views.add_follow_up, name="add_follow_up"),
    path("<int:order_id>/follow-ups/<int:follow_up_id>/done/", review_views.complete_follow_up,
         name="complete_follow_up"),
    path("<int:order_id>/change-requests/<int:request_id>/", change_views.decide_change,
         name="decide_change"),
    path("<int:order_id>/save-template/", template_views.save_order_as_template,
         name="save_template"),
]
