"""The public side of surveys, mounted at /<lang>/surveys/: a survey's public link and a panel
invitation (collect), and the trust index's method page (stats)."""

from . import portal_views

app_name = "surveys_portal"
urlpatterns = [*portal_views.urlpatterns]
