from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "birlik.charity"
    label = "charity"
    verbose_name = _("Charity")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
