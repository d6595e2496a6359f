"""The one upward notification (DESIGN.md): projected dates of demands changed.

Sent explicitly by scheduling services after a plan run is switched in, with
``plan_run_id`` and ``references`` (the demand references whose projection changed).
"""

from django.dispatch import Signal

plan_changed = Signal()
