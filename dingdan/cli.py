"""The `dingdan` command: every Django management command, plus dingdan's own
(`serve`, `worker`, `shop`, `token` …), all honouring DATABASE_URL."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dingdan", *sys.argv[1:]])


if __name__ == "__main__":
    main()
