"""My account: name, language, password."""

from __future__ import annotations

from birlik.access.models import AuditEntry

from ..conftest import PASSWORD
from .conftest import url


def test_saving_another_language_opens_the_page_in_that_language(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    response = client.post(url("access:profile"), {"full_name": "Ерлан Сейітов", "language": "ru"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/account/profile/"
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ерлан Сейітов", "ru")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(user.pk)
    ).exists()


def test_an_unknown_language_is_refused_with_a_message(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    response = client.post(url("access:profile"), {"full_name": "X", "language": "fr"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.language == "kk"


def test_profile_links_to_the_security_page(login, network):
    text = login(network.users["analyst"]).get(url("access:profile")).content.decode()
    assert url("access:totp") in text


def test_password_change_needs_the_current_password(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    response = client.post(
        url("access:password"),
        {
            "old_password": "wrong",
            "new_password1": "Irtysh-river-2026",
            "new_password2": "Irtysh-river-2026",
        },
    )
    assert response.status_code == 200
    assert "The current password is not right." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_keeps_the_user_signed_in(login, network):
    user = network.users["staff_pavlodar_house"]
    client = login(user)
    response = client.post(
        url("access:password"),
        {
            "old_password": PASSWORD,
            "new_password1": "Irtysh-river-2026",
            "new_password2": "Irtysh-river-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Irtysh-river-2026")
    assert client.get(url("access:profile")).status_code == 200


def test_a_blank_full_name_is_refused_and_the_name_kept(login, network):
    """Colleagues and applicants see staff by their full name, never by their login."""
    user = network.users["staff_pavlodar_house"]
    before = user.full_name
    client = login(user)
    response = client.post(url("access:profile"), {"full_name": "   ", "language": "kk"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.full_name == before
