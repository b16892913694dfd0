from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "birlik.learning"
    label = "learning"
    verbose_name = _("Training")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
