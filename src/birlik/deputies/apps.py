from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "birlik.deputies"
    label = "deputies"
    verbose_name = _("Deputy group initiatives")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
