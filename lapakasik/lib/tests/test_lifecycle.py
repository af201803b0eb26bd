"""The shared lifecycle machinery: the table answers, the guarded UPDATE refuses a stale caller whole."""

from __future__ import annotations

import pytest
from django.db import models

from lapakasik.lib.errors import DomainError
from lapakasik.lib.lifecycle import CHANGED_MEANWHILE, Lifecycle, Move, guarded_update


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    BROKEN = "broken", "Broken"


LIGHT = Lifecycle(
    model="Light",
    statuses=Light,
    moves=(
        Move("go", frozenset({Light.RED}), Light.GREEN, frozenset({"system"})),
        Move("stop", frozenset({Light.GREEN}), Light.RED, frozenset({"system"}), when="after 30 s"),
        Move("break", frozenset({Light.RED, Light.GREEN}), Light.BROKEN, frozenset({"cso"}), reason=True),
    ),
)


def test_the_table_says_where_each_status_can_go():
    assert LIGHT.targets(Light.RED) == {Light.GREEN, Light.BROKEN}
    assert LIGHT.targets(Light.BROKEN) == frozenset()
    assert LIGHT.open_statuses() == (Light.RED, Light.GREEN)
    assert LIGHT.can("stop", Light.GREEN) and not LIGHT.can("stop", Light.RED)


def test_the_table_renders_as_a_markdown_table_with_every_rule():
    text = LIGHT.as_markdown()
    assert "| break | green, red | broken | cso | own branch | — | — | yes | — |" in text
    assert "after 30 s" in text


@pytest.mark.django_db
def test_a_guarded_update_refuses_the_whole_set_when_one_row_changed_meanwhile():
    from lapakasik.claims.models import Claim

    first, second = Claim.objects.filter(status="paid").order_by("pk")[:2]
    with pytest.raises(DomainError) as refused:
        guarded_update(Claim, [(first.pk, "paid"), (second.pk, "approved")], "cancelled")
    assert refused.value.code == CHANGED_MEANWHILE and refused.value.status == 409
