"""WSGI entry point for gunicorn (``birlik serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
application = get_wsgi_application()
