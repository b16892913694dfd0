"""The public Platform of creative solutions, mounted at /<lang>/ideas/."""

from . import follow_views, portal_views, similar_views

app_name = "ideas_portal"
urlpatterns = [
    *portal_views.urlpatterns,
    *follow_views.urlpatterns,
    *similar_views.urlpatterns,
]
