from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "birlik.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions
