"""`dingdan worker`: run background tasks from the database queue until stopped."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, **options):
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
