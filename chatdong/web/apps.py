from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "chatdong.web"
    label = "web"
    verbose_name = "화면"
