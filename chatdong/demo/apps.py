from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "chatdong.demo"
    label = "demo"
    verbose_name = "시연·규모 시험 데이터"
