"""Where the list's background stages were queued from before they moved into collective/actions.py.

Jobs already queued name their task by its old path (``lapakasik.collective.tasks.…``); these names
let a worker still find them. New jobs are queued under collective.actions.
"""

from __future__ import annotations

from .actions import prepare_list_task, submit_list_task

__all__ = ["prepare_list_task", "submit_list_task"]
