from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **_kwargs: Any) -> None:
    """The shared cache's table (``DatabaseCache``, the embedded default) is made wherever the
    migrations run: ``birlik migrate``, ``birlik demo``, ``birlik serve --migrate``, tests."""
    from django.conf import settings
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command
    from django.utils.module_loading import import_string

    if any(
        issubclass(import_string(cache["BACKEND"]), DatabaseCache)
        for cache in settings.CACHES.values()
    ):
        call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "birlik.core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 - registers Birlik's system checks
        from .collation import register_sqlite
        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="birlik-session-started")
        # Kazakh/Russian alphabetical order in SQL (PostgreSQL has it from core migration 0005).
        connection_created.connect(register_sqlite, dispatch_uid="birlik-kk-collation")

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="birlik-cache-table")
