"""Alerts reach each member of staff by the channels they chose — e-mail, SMS, Telegram — in
their language; a chosen channel without its address falls back to e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from freezegun import freeze_time

from birlik.access.models import User
from birlik.monitoring import services
from birlik.monitoring.models import Alert
from birlik.notify.models import Notice
from birlik.notify.services import notice_deliver

from ..factories import region
from .alerts_fixtures import raise_alert, world_fixture  # noqa: F401 - fixture

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """The embedded gateways write SMS and Telegram messages under the data directory."""
    settings.DATA_DIR = tmp_path
    settings.SMS_GATEWAY = "birlik.notify.channels.FileSmsGateway"
    settings.TELEGRAM_GATEWAY = "birlik.notify.channels.FileTelegramGateway"


def choose(user: User, channels: list[str], *, phone: str = "", chat: str = "", email=None):
    user.alert_channels, user.phone, user.telegram_chat_id = channels, phone, chat
    if email is not None:
        user.email = email
    user.save(update_fields=["alert_channels", "phone", "telegram_chat_id", "email"])


def notices_of(alert: Alert, user: User) -> dict[str, Notice]:
    """The user's notices of the alert by channel, checking each key names its channel."""
    found = {}
    for notice in Notice.objects.filter(idempotency_key__startswith=f"alert:{alert.pk}:"):
        *_, user_pk, channel = notice.idempotency_key.split(":")
        if user_pk == str(user.pk):
            assert channel == notice.channel
            found[notice.channel] = notice
    return found


def short_text(alert: Alert, language: str, *, escalate: bool = False) -> str:
    """The SMS and Telegram text the recipient should read, computed in their language."""
    with translation.override(language):
        values = {
            "region": region("KZ-55").name,
            "title": alert.title,
            "url": services.alert_url(alert),
        }
        if escalate:
            return gettext("Alert not acknowledged in time, %(region)s: %(title)s %(url)s") % values
        return gettext("Early warning, %(region)s: %(title)s %(url)s") % values


def deliver(notice: Notice) -> Notice:
    notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    return notice


@freeze_time(NOW)
def test_staff_who_chose_sms_and_telegram_get_a_short_notice_on_each_and_no_e_mail(world):
    house = world.users["staff_pavlodar_house"]  # reads Russian
    choose(house, ["sms", "telegram"], phone="+77012345678", chat="123456789")

    alert = raise_alert(world, title="Драка на рынке")

    told = notices_of(alert, house)
    assert set(told) == {"sms", "telegram"}
    assert told["sms"].idempotency_key == f"alert:{alert.pk}:{house.pk}:sms"
    assert told["telegram"].idempotency_key == f"alert:{alert.pk}:{house.pk}:telegram"
    assert (told["sms"].recipient, told["telegram"].recipient) == ("+77012345678", "123456789")
    expected = short_text(alert, "ru")
    for notice in told.values():
        assert notice.language == "ru"
        assert notice.body == expected
        assert "Драка на рынке" in notice.body
        assert f"/ru/workspace/monitoring/alerts/{alert.pk}/" in notice.body
        assert "0.9" not in notice.body and "0,9" not in notice.body  # never the score
    with translation.override("ru"):
        assert region("KZ-55").name in expected
    # the coordinator kept the default: e-mail only, the full text
    coordinator = notices_of(alert, world.users["coordinator_pavlodar"])
    assert set(coordinator) == {"email"}
    assert coordinator["email"].recipient == "coordinator_pavlodar@birlik.test"
    assert coordinator["email"].body != short_text(alert, "kk")


@freeze_time(NOW)
def test_each_recipient_reads_the_short_text_in_their_own_language(world):
    coordinator = world.users["coordinator_pavlodar"]  # reads Kazakh
    house = world.users["staff_pavlodar_house"]  # reads Russian
    choose(coordinator, ["telegram"], chat="5550001")
    choose(house, ["telegram"], chat="5550002")

    alert = raise_alert(world)

    kazakh = notices_of(alert, coordinator)["telegram"]
    russian = notices_of(alert, house)["telegram"]
    assert (kazakh.language, russian.language) == ("kk", "ru")
    assert kazakh.body == short_text(alert, "kk")
    assert russian.body == short_text(alert, "ru")
    assert f"/kk/workspace/monitoring/alerts/{alert.pk}/" in kazakh.body
    assert f"/ru/workspace/monitoring/alerts/{alert.pk}/" in russian.body


@freeze_time(NOW)
def test_a_chosen_channel_without_its_address_falls_back_to_e_mail_once(world):
    house = world.users["staff_pavlodar_house"]
    coordinator = world.users["coordinator_pavlodar"]
    choose(house, ["sms", "telegram"])  # neither a phone nor a chat id
    choose(coordinator, ["email", "sms"])  # no phone: the e-mail it asked for anyway

    alert = raise_alert(world)

    for user in (house, coordinator):
        told = notices_of(alert, user)
        assert set(told) == {"email"}
        assert told["email"].idempotency_key == f"alert:{alert.pk}:{user.pk}:email"
        assert told["email"].recipient == f"{user.username}@birlik.test"
        assert told["email"].subject  # the full e-mail, not the short text


@freeze_time(NOW)
def test_a_person_with_no_address_at_all_is_skipped_and_the_others_still_told(world):
    house = world.users["staff_pavlodar_house"]
    choose(house, ["telegram"], email="")

    alert = raise_alert(world)

    assert notices_of(alert, house) == {}
    assert set(notices_of(alert, world.users["coordinator_pavlodar"])) == {"email"}


@freeze_time(NOW)
def test_a_long_title_is_cut_in_the_sms_and_kept_whole_in_the_e_mail(world):
    house = world.users["staff_pavlodar_house"]
    choose(house, ["email", "sms"], phone="+77012345678")
    title = "Жанжал " * 40

    alert = raise_alert(world, title=title)

    told = notices_of(alert, house)
    assert alert.title.strip() in told["email"].body
    assert alert.title.strip() not in told["sms"].body
    cut = alert.title[: services.ALERT_SHORT_TITLE - 1].rstrip() + "…"
    assert cut in told["sms"].body
    assert len(told["sms"].body) < len(told["email"].body)


def test_an_unacknowledged_alert_reaches_the_national_admin_by_telegram(world):
    admin = world.users["admin"]  # reads English
    choose(admin, ["telegram"], chat="-1001234567890")
    with freeze_time(NOW):
        alert = raise_alert(world)
    later = NOW + datetime.timedelta(hours=2, minutes=1)
    with freeze_time(later):
        assert services.alerts_escalate(now=later) == 1

    (notice,) = Notice.objects.filter(idempotency_key__contains=":escalate:")
    assert notice.idempotency_key == f"alert:{alert.pk}:escalate:{admin.pk}:telegram"
    assert (notice.channel, notice.recipient, notice.language) == (
        "telegram",
        "-1001234567890",
        "en",
    )
    assert notice.body == short_text(alert, "en", escalate=True)
    assert notice.body.startswith("Alert not acknowledged in time, ")


@freeze_time(NOW)
def test_the_sms_and_telegram_notices_are_delivered_through_their_gateways(world, tmp_path):
    house = world.users["staff_pavlodar_house"]
    choose(house, ["sms", "telegram"], phone="+77012345678", chat="123456789")
    alert = raise_alert(world)
    told = notices_of(alert, house)

    assert deliver(told["sms"]).status == Notice.Status.SENT
    assert deliver(told["telegram"]).status == Notice.Status.SENT

    sms_log = (tmp_path / "sms.log").read_text(encoding="utf-8")
    telegram_log = (tmp_path / "telegram.log").read_text(encoding="utf-8")
    assert f"\talert:{alert.pk}:{house.pk}:sms\t+77012345678\t{told['sms'].body}\n" in sms_log
    assert (
        f"\talert:{alert.pk}:{house.pk}:telegram\t123456789\t{told['telegram'].body}\n"
        in telegram_log
    )


@freeze_time(NOW)
def test_raising_the_same_alert_again_sends_no_second_sms(world):
    house = world.users["staff_pavlodar_house"]
    choose(house, ["sms"], phone="+77012345678")
    alert = raise_alert(world)
    again = services.alert_raise(
        rule=alert.rule,
        story=alert.story,
        item=alert.item,
        region=alert.region,
        district=None,
        now=timezone.now(),
    )

    assert again is None
    assert Notice.objects.filter(channel="sms", recipient="+77012345678").count() == 1
