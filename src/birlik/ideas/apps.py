from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "birlik.ideas"
    label = "ideas"
    verbose_name = _("Platform of creative solutions")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
