"""Rollups of paid claims: additive counters kept current by `rollup.add_to_rollup`, so that a report
reads a few hundred rows whatever the length of the history.

Three grains, all maintained by the same function in the same transaction as the payment:
- PaidDaily: every dimension a branch dashboard filters on, one row per day (trends, channel, reason,
  waiting time);
- PaidCell: branch × area × program per day ("D") and per month ("M"): the branch report reads whole
  months plus the days at the edges of the period;
- PaidOffice: regional office × program per day and per month: the national report.
"""

from __future__ import annotations

from django.db import models

from lapakasik.claims.models import Channel, Program, Reason

# Waiting-time bands (days from submission to payment); the first is the five-working-day promise.
WAIT_BANDS = (
    ("wait_0_5", 0, 5),
    ("wait_6_10", 6, 10),
    ("wait_11_20", 11, 20),
    ("wait_21_30", 21, 30),
    ("wait_31_up", 31, None),
)


class Grain(models.TextChoices):
    DAY = "D", "day"
    MONTH = "M", "month"


class PaidDaily(models.Model):
    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("registry.ServiceArea", on_delete=models.CASCADE, related_name="+")
    program = models.CharField(max_length=3, choices=Program.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    reason = models.CharField(max_length=30, choices=Reason.choices)
    paid_on = models.DateField()
    cases = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)  # whole rupiah
    # Claims with a known submission date, the sum of their waiting days, and their count per band.
    wait_cases = models.BigIntegerField(default=0)
    wait_days = models.BigIntegerField(default=0)
    wait_0_5 = models.BigIntegerField(default=0)
    wait_6_10 = models.BigIntegerField(default=0)
    wait_11_20 = models.BigIntegerField(default=0)
    wait_21_30 = models.BigIntegerField(default=0)
    wait_31_up = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "paid_on", "area", "program", "channel", "reason"], name="paid_daily_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.paid_on} {self.program} {self.cases}"


class PaidCell(models.Model):
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    branch = models.ForeignKey("registry.Branch", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("registry.ServiceArea", on_delete=models.CASCADE, related_name="+")
    program = models.CharField(max_length=3, choices=Program.choices)
    cases = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "grain", "period_start", "area", "program"], name="paid_cell_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.grain}{self.period_start} {self.program} {self.cases}"


class PaidOffice(models.Model):
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period_start = models.DateField()
    regional_office = models.CharField(max_length=100)
    program = models.CharField(max_length=3, choices=Program.choices)
    cases = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period_start", "regional_office", "program"], name="paid_office_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regional_office} {self.grain}{self.period_start} {self.program} {self.cases}"
