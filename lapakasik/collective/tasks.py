"""Background stages of a list (Django tasks API; `python -m lapakasik db_worker` runs them).

Each task only takes the list's id and does what is not done yet, so running one twice, or again
after a worker was killed, is safe: that is how an import resumes.
"""

from __future__ import annotations

from django_tasks import task


@task()
def prepare_list_task(list_id: int) -> None:
    from .actions import prepare_list

    prepare_list(list_id)


@task()
def submit_list_task(list_id: int) -> None:
    from .actions import run_submission

    run_submission(list_id)
