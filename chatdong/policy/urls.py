from django.urls import path

from chatdong.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.threshold_list, name="list"),
    path("<str:key>/", views.threshold_history, name="history"),
]
