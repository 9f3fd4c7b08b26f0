"""The campaign's public join page, outside the staff pages (see views/join_page.py)."""

from django.urls import path

from dingdan.chains.views import join_page

app_name = "join"

urlpatterns = [
    path("<str:token>/", join_page.join_page, name="page"),
]
