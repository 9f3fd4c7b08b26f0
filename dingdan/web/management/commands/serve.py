"""`dingdan serve`: migrate, open the demo shop if asked, then run the web server (gunicorn)
and the task worker together until Ctrl-C or SIGTERM stops both."""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dingdan import demo


def _wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Command(BaseCommand):
    help = "Serve the merchant UI, the API and the background worker together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("DINGDAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--demo", action="store_true", help="create the demo shop on first run")
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(
                os.environ.get("DINGDAN_WEB_WORKERS", str(min(4, (os.cpu_count() or 1) * 2)))
            ),
            help="web server processes",
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("DINGDAN_WEB_THREADS", "4"))
        )

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        call_command("migrate", interactive=False, verbosity=0)
        if options["demo"]:
            demo.ensure_demo_shop()

        env = {**os.environ, "DINGDAN_VAR_DIR": str(settings.VAR_DIR)}
        env.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
        children: list[subprocess.Popen] = []
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dingdan.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--worker-class",
                "gthread",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        children.append(web)
        if not options["no_worker"]:
            children.append(
                subprocess.Popen([sys.executable, "-m", "dingdan.cli", "worker"], env=env)
            )

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        connect_host = "127.0.0.1" if host in ("0.0.0.0", "") else host.strip("[]")
        if not _wait_for_port(connect_host, port, web):
            self._stop(children)
            raise CommandError(f"the web server did not start on {host}:{port}")
        url = f"http://{host}:{port}/"
        self.stdout.write(f"dingdan is serving on {url}  (API: {url}api/v1/, docs: {url}api/docs)")
        if options["demo"]:
            login = f"{demo.DEMO_USERNAME} / {demo.DEMO_PASSWORD}"
            self.stdout.write(f"Demo shop '{demo.DEMO_SLUG}': log in as {login}")
        self.stdout.write("Press Ctrl-C to stop.")
        self.stdout.flush()

        exit_code = 0
        while not stopping:
            if any(child.poll() is not None for child in children):
                self.stderr.write("a server process stopped; stopping the others")
                exit_code = 1
                break
            time.sleep(0.2)
        self._stop(children)
        self.stdout.write("dingdan stopped.")
        if exit_code:
            sys.exit(exit_code)

    @staticmethod
    def _stop(children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
