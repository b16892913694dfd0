from typing import Any

from django.core.management.base import BaseCommand

from birlik.appeals.services import appeals_escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue appeals to the parent body (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = appeals_escalate_overdue()
        self.stdout.write(f"{count} overdue appeals escalated.")
