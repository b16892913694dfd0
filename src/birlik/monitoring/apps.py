from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "birlik.monitoring"
    label = "monitoring"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
