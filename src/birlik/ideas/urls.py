"""The Platform of creative solutions in the workspace, mounted at /<lang>/workspace/ideas/.

Each part of the app declares its routes next to its views; this joins them."""

from . import merge_views, staff_views

app_name = "ideas"
urlpatterns = [
    *staff_views.urlpatterns,
    *merge_views.urlpatterns,
]
