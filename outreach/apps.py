from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_schedules(sender, **kwargs):
    """After every migrate (and test flush): create the beat schedules that are missing.
    Existing ones are never touched, so admin edits survive deploys."""
    from outreach.schedules import seed_schedules

    seed_schedules()


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "찾아가는 방문 캠페인"

    def ready(self):
        from cases.services.contacts import contact_hook
        from outreach import worklist
        from outreach.services.visits import tasks_close_for_contact

        worklist.register()
        # A contact logged on a household ends its matching open visit tasks at once.
        contact_hook(tasks_close_for_contact)
        post_migrate.connect(_seed_schedules, sender=self, dispatch_uid="outreach.seed_schedules")
