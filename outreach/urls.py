from django.urls import path
from django.views.generic import RedirectView

from outreach.views import pages

app_name = "outreach"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="outreach:campaign_list"), name="index"),
    path("campaigns/", pages.campaign_list, name="campaign_list"),
    path("campaigns/new/", pages.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", pages.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/run/", pages.campaign_run, name="campaign_run"),
    path("campaigns/<int:pk>/toggle/", pages.campaign_toggle, name="campaign_toggle"),
    path("tasks/", pages.task_list, name="task_list"),
    path("tasks/reassign/", pages.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/", pages.task_detail, name="task_detail"),
    path("big-data/", pages.round_list, name="round_list"),
    path("big-data/<int:pk>/", pages.round_detail, name="round_detail"),
    path("big-data/<int:pk>/rows/<int:row_id>/", pages.row_decide, name="row_decide"),
]
