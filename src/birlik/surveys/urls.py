"""Surveys and the expert council in the workspace, mounted at /<lang>/workspace/surveys/.

Each part of the app declares its own routes next to its views; this joins them."""

from . import builder_views, collect_views, council_views, interview_views, results_views

app_name = "surveys"
urlpatterns = [
    *builder_views.urlpatterns,
    *collect_views.urlpatterns,
    *interview_views.urlpatterns,
    *results_views.urlpatterns,
    *council_views.urlpatterns,
]
