"""Early warning in the workspace, mounted at /<lang>/workspace/monitoring/.

Each part of the app declares its own routes next to its views; this joins them."""

from . import alert_views, club_views, learning_views, media_views, source_views

app_name = "monitoring"
urlpatterns = [
    *media_views.urlpatterns,
    *source_views.urlpatterns,
    *learning_views.urlpatterns,
    *alert_views.urlpatterns,
    *club_views.urlpatterns,
]
