import os

from django.core.wsgi import get_wsgi_application

from config.env import MissingEnvironment, refuse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_wsgi_application()
except MissingEnvironment as error:
    refuse(error)
