from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "birlik.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
