"""The demo generator on a database without the demo: what seeding adds to an empty or a foreign
registry, and the command's refusals. (The other demo modules read one demo seeded per module.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import translation

from birlik.core import kpi
from birlik.demo.services import DEMO_PASSWORD, DemoError, demo_seed
from birlik.events.models import Event, EventReport, Registration
from birlik.registry.models import Organisation
from birlik.volunteers.models import Call as VolunteerCall
from birlik.volunteers.models import SignUp

SCALE = 0.05


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_registry_that_is_not_the_demo_gets_no_demo_events(network):
    assert demo_seed(scale=SCALE) is False
    assert not Event.objects.exists()


def test_seeding_invalidates_the_cached_figures_on_commit(
    db, fast_passwords, django_capture_on_commit_callbacks
):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demo_seed(scale=SCALE)
    assert kpi.invalidate in callbacks


def test_a_scale_out_of_range_is_refused_with_a_clear_message(db):
    with translation.override("en"), pytest.raises(DemoError, match="greater than 0"):
        demo_seed(scale=0)
    assert not Organisation.objects.exists()


def test_seed_demo_command_reports_what_it_did(db, fast_passwords, capsys):
    call_command("seed_demo", "--scale", str(SCALE), "--no-progress")
    out = capsys.readouterr().out
    assert "Created the demo network" in out
    assert "staff_elders" in out and DEMO_PASSWORD in out
    call_command("seed_demo", "--scale", str(SCALE), "--no-progress")
    assert "nothing was created" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["abc", "0", "-1", "11"])
def test_seed_demo_command_refuses_a_bad_scale(db, value):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", value, "--no-progress")
    assert not Organisation.objects.exists()


# Last: it seeds the module's demo, which the tests above must not see.
def test_a_demo_network_seeded_before_events_gets_its_activity_once(seeded):
    # Volunteers' calls hold on to their events: a network without events has none.
    SignUp.objects.all().delete()
    VolunteerCall.objects.all().delete()
    Registration.objects.all().delete()
    EventReport.objects.all().delete()
    Event.objects.all().delete()
    assert demo_seed(scale=SCALE) is True
    assert Event.objects.count() > 1000
    count = Event.objects.count()
    assert demo_seed(scale=SCALE) is False
    assert Event.objects.count() == count
