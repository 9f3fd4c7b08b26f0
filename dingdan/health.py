"""Is dingdan well? The database answers, and the task worker has run a task lately.

The worker proves itself by running a small heartbeat task; asking for health enqueues one
when none is waiting, so a worker that stops shows up as not alive within minutes."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

HEARTBEAT_PATH = "dingdan.health.heartbeat"
ALIVE_WITHIN = timedelta(minutes=2)
REFRESH_AFTER = timedelta(seconds=20)


@task()
def heartbeat() -> str:
    return timezone.now().isoformat()


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def worker_status() -> dict:
    now = timezone.now()
    heartbeats = DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH)
    last = heartbeats.successful().order_by("-finished_at").values_list("finished_at", flat=True)
    last_seen = last.first()
    waiting = heartbeats.filter(status="READY").exists()
    if not waiting and (last_seen is None or now - last_seen > REFRESH_AFTER):
        heartbeat.enqueue()
    return {
        "alive": last_seen is not None and now - last_seen <= ALIVE_WITHIN,
        "last_seen": last_seen,
    }
