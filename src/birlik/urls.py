"""Project wiring: the public portal, accounts, the staff workspace and the admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from birlik.core.views import health

urlpatterns: list[URLPattern | URLResolver] = [path("health/", health, name="health")]
urlpatterns += i18n_patterns(
    path("", include("birlik.portal.urls")),
    path("account/", include("birlik.access.urls")),
    path("workspace/events/", include("birlik.events.urls")),
    path("workspace/appeals/", include("birlik.appeals.urls")),
    path("workspace/", include("birlik.workspace.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "birlik.core.views.forbidden"
handler404 = "birlik.core.views.not_found"
handler500 = "birlik.core.views.server_error"
