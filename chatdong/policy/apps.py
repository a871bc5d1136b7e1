from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "chatdong.policy"
    label = "policy"
    verbose_name = "정책 기준값"
