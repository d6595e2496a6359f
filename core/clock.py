"""The one clock Ordercraft reads.

Every service, plan run, scan, message and figure asks this module what time it is, never the
system clock directly. In production and in `make run` it is the system clock (Django's
``timezone.now``, so tests that pin time with time-machine pin it too). The plant simulator
runs the whole system on a simulated clock by installing its own source for the length of a
run (``clock.use(source)``); nothing is patched.

Bookkeeping timestamps that Django writes itself (``auto_now`` fields, sessions, last login)
stay on the system clock; nothing Ordercraft decides or measures reads them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

_source: Callable[[], datetime] | None = None


def now() -> datetime:
    """The current time, aware, in UTC."""
    return _source() if _source is not None else timezone.now()


def today() -> date:
    """Today's date on the plant's clock (the site's time zone)."""
    return timezone.localdate(now())


def localtime() -> datetime:
    """The current time in the plant's time zone."""
    return timezone.localtime(now())


@contextmanager
def use(source: Callable[[], datetime]) -> Iterator[None]:
    """Read the time from ``source`` inside the block (the plant simulator's clock)."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
