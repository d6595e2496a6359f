"""Start the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from config.demo.users import DEMO_LOGINS


class Command(BaseCommand):
    help = "Run web + Celery worker + Celery beat for local use (make run)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("ORDERCRAFT_ADDR", "127.0.0.1:8000"))

    def handle(self, *args, addr: str, **options):
        self._prepare_embedded_broker()
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            # Two processes are plenty on a laptop; production sizes this in compose.
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [
                *celery,
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self._print_welcome(addr)
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                dead = [name for name, child in children.items() if child.poll() is not None]
                if dead:
                    self.stderr.write(f"{', '.join(dead)} stopped; stopping the others.")
                    break
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Ordercraft stopped.")

    def _prepare_embedded_broker(self) -> None:
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if key in options:
                os.makedirs(options[key], exist_ok=True)
        os.makedirs(settings.EMAIL_FILE_PATH, exist_ok=True)
        os.makedirs(os.path.dirname(settings.CELERY_BEAT_SCHEDULE_FILENAME), exist_ok=True)

    def _print_welcome(self, addr: str) -> None:
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split(":", 1)[0]
        lines = [
            "",
            f"Ordercraft is running at http://{addr}/  (database: {database}, broker: {broker})",
            f"Mail sent by Ordercraft is written to {settings.EMAIL_FILE_PATH}/",
            "",
            "Demo logins (username / password):",
            *(f"  {user:<12} / {password:<12} {role}" for user, password, role in DEMO_LOGINS),
            "",
            "Press Ctrl-C to stop the web server, the worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))
