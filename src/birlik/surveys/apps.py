from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "birlik.surveys"
    label = "surveys"
    verbose_name = _("Surveys and the expert council")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
