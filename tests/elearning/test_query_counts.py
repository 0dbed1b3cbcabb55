"""E-learning pages run a fixed number of SQL queries whatever the number of
modules and completions: each is measured with a few, then with many."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elearning.models import Completion

from .factories import ModuleFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add(user, modules, count):
    Completion.objects.bulk_create([
        Completion(user=user, module=modules[n % len(modules)], completed_on=dt.date(2020, 1, 1) + dt.timedelta(n),
                   source="imported", agency=user.agency)
        for n in range(count)
    ])


@pytest.mark.parametrize("name", ["elearning:catalogue", "elearning:training_record"])
def test_the_catalogue_and_training_record_do_not_grow_with_their_rows(client, delegate, name):
    client.force_login(delegate)
    _add(delegate, [ModuleFactory(renewal_months=36)], 2)
    few = _queries(client, reverse(name))

    _add(delegate, [ModuleFactory(renewal_months=12) for _ in range(20)], 300)

    assert _queries(client, reverse(name)) == few
