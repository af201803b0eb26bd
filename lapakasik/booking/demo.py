"""The demo's service calendar: opening hours and session templates at Madiun (WIB) and Makassar (WITA).

Idempotent and date-free: sessions for the coming days come from the same periodic command that
production runs (`python -m lapakasik booking generate-sessions`, run by `make setup`).
"""

from __future__ import annotations

import datetime as dt

from lapakasik.accounts.models import User
from lapakasik.registry.models import Branch

from .models import BranchCalendar, OpeningHours, SessionTemplate

# branch, officer, [(channel, start, minutes, seats)] served Monday–Friday
DEMO_TEMPLATES = {
    "madiun": ("cso", [("offline", dt.time(9), 45, 4), ("offline", dt.time(10), 45, 6), ("online", dt.time(13), 20, 1),
                       ("online", dt.time(13, 30), 20, 1)]),
    "makassar": ("cso.makassar", [("offline", dt.time(9), 45, 5), ("online", dt.time(14), 20, 1)]),
}  # fmt: skip


def ensure_demo_calendar() -> None:
    for code, (username, slots) in DEMO_TEMPLATES.items():
        branch = Branch.objects.filter(code=code).first()
        officer = User.objects.filter(username=username).first()
        if branch is None or officer is None:
            continue
        BranchCalendar.objects.get_or_create(branch=branch)
        for weekday in range(5):
            OpeningHours.objects.get_or_create(
                branch=branch, weekday=weekday, defaults={"opens": dt.time(8), "closes": dt.time(15)}
            )
            for channel, start, minutes, seats in slots:
                SessionTemplate.objects.get_or_create(
                    branch=branch,
                    weekday=weekday,
                    start=start,
                    channel=channel,
                    defaults={"officer": officer, "duration_minutes": minutes, "seats": seats},
                )
