from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiplomacyConfig(AppConfig):
    name = "birlik.diplomacy"
    label = "diplomacy"
    verbose_name = _("People's diplomacy")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
