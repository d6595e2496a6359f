"""Demo data for `manage.py seed_demo`: a believable precision-metal job shop.

Modules import Django models lazily where they can, so that ``config.demo.users.DEMO_LOGINS``
stays importable by tooling (``make run``) before Django is set up.
"""
