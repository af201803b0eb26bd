"""The data migration moves employments stored with the former retirement code to the vocabulary's."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from lapakasik.registry.models import Employment

migration = importlib.import_module("lapakasik.registry.migrations.0004_end_reason_vocabulary")


@pytest.mark.django_db
def test_a_stored_retirement_code_becomes_retirement_age_and_back(participant_with_employment):
    job = participant_with_employment
    Employment.objects.filter(pk=job.pk).update(end_reason="retirement")  # as stored before the change
    migration.to_current_codes(apps, None)
    assert Employment.objects.get(pk=job.pk).end_reason == "retirement_age"
    migration.to_former_codes(apps, None)
    assert Employment.objects.get(pk=job.pk).end_reason == "retirement"


@pytest.fixture
def participant_with_employment(db):
    job = Employment.objects.filter(end__isnull=False).first()  # the demo registry loaded for every test
    assert job is not None
    return job
