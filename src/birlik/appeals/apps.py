from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "birlik.appeals"
    verbose_name = _("Appeals and proposals")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
