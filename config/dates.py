"""Dates as Ordercraft writes them in messages and explanations: always with the weekday."""

from datetime import date

from django.utils import dateformat


def weekday_date(value: date, *, year: bool = False) -> str:
    """``Tue 15 Dec`` (``Tue 15 Dec 2026`` with the year), in the site's language."""
    return dateformat.format(value, "D j M Y" if year else "D j M")
