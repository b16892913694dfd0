from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "birlik.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from . import policies, programme_policies  # noqa: F401 - registers permissions and scopes
