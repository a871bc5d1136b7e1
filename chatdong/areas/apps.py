from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "chatdong.areas"
    label = "areas"
    verbose_name = "행정구역"
