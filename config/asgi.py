import os

from django.core.asgi import get_asgi_application

from config.env import MissingEnvironment, refuse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    application = get_asgi_application()
except MissingEnvironment as error:
    refuse(error)
