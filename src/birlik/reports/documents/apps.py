from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportDocumentsConfig(AppConfig):
    name = "birlik.reports.documents"
    label = "report_documents"
    verbose_name = _("Report documents")

    def ready(self) -> None:
        from . import policies  # noqa: F401 - registers the permissions and scope rules
