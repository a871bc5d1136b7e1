from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def ensure_policy_seeds(sender, apps=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """Re-add any missing shipped threshold or median-income row after `migrate` — and after
    a test flush, which empties tables but then emits post_migrate like Django's own
    permissions and content types do. Only missing rows are added; nothing stored is changed."""
    from chatdong.policy.seeds import load_median_income, seed_thresholds

    if using != DEFAULT_DB_ALIAS:
        return
    if apps is None:
        from django.apps import apps
    try:
        threshold = apps.get_model("policy", "PolicyThreshold")
        median = apps.get_model("policy", "MedianIncome")
    except LookupError:  # policy not migrated on this database (yet)
        return
    seed_thresholds(threshold)
    load_median_income(median)


class PolicyConfig(AppConfig):
    name = "chatdong.policy"
    label = "policy"
    verbose_name = "정책 기준값"

    def ready(self):
        post_migrate.connect(ensure_policy_seeds, sender=self, dispatch_uid="chatdong.policy.seeds")
