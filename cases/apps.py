from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "가구·방문·사례관리"
