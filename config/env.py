"""Reading production settings from the environment, with one clear line when one is missing.

`manage.py`, `wsgi.py` and `asgi.py` catch `MissingEnvironment` and print its message alone
(no traceback), so a system administrator sees which variable to set and why.
"""

import os
import sys
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured


class MissingEnvironment(ImproperlyConfigured):
    """A production setting is missing or unusable; the message names the variable."""


def require(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingEnvironment(f"{name} is not set: {why}. See deploy/README.md.")
    return value


def refuse(error: MissingEnvironment) -> NoReturn:
    """Print the one line and stop, with the exit code gunicorn treats as "app failed to
    load" (so its master stops instead of restarting workers forever)."""
    sys.stderr.write(f"Configuration error: {error}\n")
    sys.stderr.flush()
    raise SystemExit(4)
