from django.core.management.base import BaseCommand

from outreach.schedules import seed_schedules


class Command(BaseCommand):
    help = "Create the outreach beat schedules that are missing (existing ones, and admin edits, are kept)."

    def handle(self, *args, **options):
        created = seed_schedules()
        for name in created:
            self.stdout.write(f"created: {name}")
        if not created:
            self.stdout.write("all schedules already exist; nothing changed")
