"""`dingdan worker`: run background tasks from the database queue until stopped.

Starting, it first lets the apps catch up on timed work whose moment passed while no worker
ran (the `worker.starting` hook: a campaign whose cut-off went by closes now)."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand

from dingdan import hooks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, **options):
        try:
            hooks.announce("worker.starting")
        except Exception:
            # Missed work waits for the next start; the queue must run regardless.
            logger.exception("catching up at worker start failed")
        extra = ["--batch"] if options["batch"] else []
        if options["max_tasks"]:
            extra += ["--max-tasks", str(options["max_tasks"])]
        call_command(
            "db_worker",
            "--interval",
            str(options["interval"]),
            "--no-startup-delay",
            *extra,
        )
