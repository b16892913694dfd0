"""Project wiring: the public portal, accounts, the staff workspace and the admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from birlik.core.views import health

urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", health, name="health"),
    path("api/", include("birlik.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("birlik.portal.urls")),
    path("mediation/", include("birlik.mediation.portal_urls")),
    path("charity/", include("birlik.charity.portal_urls")),
    path("figures/trust-index/", include("birlik.surveys.figures_urls")),
    path("figures/", include("birlik.reports.portal_urls")),
    path("surveys/", include("birlik.surveys.portal_urls")),
    path("ideas/", include("birlik.ideas.portal_urls")),
    path("youth/", include("birlik.youth.portal_urls")),
    path("volunteers/", include("birlik.volunteers.portal_urls")),
    path("learning/", include("birlik.learning.portal_urls")),
    path("diplomacy/", include("birlik.diplomacy.portal_urls")),
    path("deputies/", include("birlik.deputies.portal_urls")),
    path("programmes/", include("birlik.events.programme_portal_urls")),
    path("open-data/", include("birlik.reports.documents.portal_urls")),
    path("media/", include("birlik.monitoring.portal_urls")),
    path("account/", include("birlik.access.urls")),
    path("workspace/events/", include("birlik.events.urls")),
    path("workspace/appeals/", include("birlik.appeals.urls")),
    path("workspace/mediation/", include("birlik.mediation.urls")),
    path("workspace/charity/", include("birlik.charity.urls")),
    path("workspace/monitoring/", include("birlik.monitoring.urls")),
    path("workspace/surveys/", include("birlik.surveys.urls")),
    path("workspace/ideas/", include("birlik.ideas.urls")),
    path("workspace/youth/", include("birlik.youth.urls")),
    path("workspace/volunteers/", include("birlik.volunteers.urls")),
    path("workspace/learning/", include("birlik.learning.urls")),
    path("workspace/diplomacy/", include("birlik.diplomacy.urls")),
    path("workspace/deputies/", include("birlik.deputies.urls")),
    path("workspace/reports/documents/", include("birlik.reports.documents.urls")),
    path("workspace/reports/", include("birlik.reports.urls")),
    path("workspace/integrations/", include("birlik.api.workspace_urls")),
    path("workspace/", include("birlik.workspace.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "birlik.core.views.forbidden"
handler404 = "birlik.core.views.not_found"
handler500 = "birlik.core.views.server_error"
