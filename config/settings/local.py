"""Developer laptop and `make run`: debug on, a fixed throwaway key when none is given."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only for local runs; production.py refuses to start without a real key.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production")
