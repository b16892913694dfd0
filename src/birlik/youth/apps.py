from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "birlik.youth"
    label = "youth"
    verbose_name = _("Youth projects")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
