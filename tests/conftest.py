import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from time_machine import escape_hatch

from config.roles import sync_role_groups
from tests.factories.orders import ContactFactory, CustomerFactory
from tests.factories.users import UserFactory

ROLES = ["sales", "credit", "planner", "buyer", "production", "quality", "shipping", "manager"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium; Playwright cannot download a browser on this network.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API runs an event loop for the whole session; the ORM refuses to run
    # beside one unless told it is safe, which it is in these single-threaded tests.
    if any(item.get_closest_marker("browser") for item in items):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


# Fixtures that start or talk to another process: a worker, a browser against a live server.
OTHER_PROCESS_FIXTURES = frozenset({"celery_worker_process", "live_server"})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    # A clock pinned in this process only is a test that breaks as the calendar moves: the
    # worker or the browser runs on the real clock. Pin every process or none.
    if escape_hatch.is_travelling() and OTHER_PROCESS_FIXTURES & set(item.fixturenames):
        pytest.fail(
            "This test pins the clock with time-machine and also starts another process "
            "(a worker or a browser) that runs on the real clock. Use dates relative to the "
            "real today instead.",
            pytrace=False,
        )


@pytest.fixture
def role_groups(db):
    """The role groups of the data migration; a transactional test's flush removes them."""
    if not Group.objects.filter(name="customer").exists():
        sync_role_groups(django_apps)


@pytest.fixture
def make_user(role_groups):
    """``make_user("sales")``: a user in that role's group (or a superuser for "admin")."""

    def make(role: str | None = None, **kwargs):
        if role == "admin":
            return UserFactory(
                username=kwargs.pop("username", "admin"), is_superuser=True, is_staff=True, **kwargs
            )
        if role == "customer":
            contact = kwargs.pop("contact", None) or ContactFactory(
                customer=kwargs.pop("customer", None) or CustomerFactory()
            )
            user = UserFactory(role="customer", **kwargs)
            contact.user = user
            contact.save(update_fields=["user"])
            return user
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user):
    """One user per role, named after it."""
    return {role: make_user(role, username=role) for role in [*ROLES, "customer", "admin"]}


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker on the Redis broker, working on the test database.

    Tests that use it commit their data (``django_db(transaction=True)``) so the worker sees
    it. Each test gets a fresh worker on a queue of its own, with nothing left over from
    earlier tests' tasks.
    """
    from django.conf import settings
    from django.db import connection

    from config.celery import app

    db = connection.settings_dict
    queue = f"ordercraft-test-{os.getpid()}-{time.monotonic_ns()}"
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    app.control.purge()
    worker = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--queues",
            queue,
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            break
        if worker.poll() is not None:
            raise RuntimeError("The Celery worker stopped while starting.")
    else:
        worker.kill()
        raise RuntimeError("The Celery worker did not answer within 30 s.")
    yield worker
    app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy (work done by another process); fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise AssertionError(f"Gave up waiting after {timeout} s")
