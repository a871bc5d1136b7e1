from django.urls import path

from chatdong.audit import views

app_name = "audit"
urlpatterns = [path("", views.access_log_list, name="list")]
