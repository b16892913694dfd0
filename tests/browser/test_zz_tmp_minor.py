import pytest
from django.urls import reverse
from django.utils import translation
from tests.browser.test_accessibility import public_url


@pytest.mark.parametrize("name", ["home", "directory", "body", "login"])
def test_minor(page, axe_check, browser_network, name):
    with translation.override("ru"):
        page.goto(public_url(name, browser_network))
    mild = axe_check(page)
    print(
        "\nMILD",
        name,
        [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in mild],
    )


def test_minor_ws(page, axe_check, browser_network, sign_in):
    sign_in("coordinator_pavlodar")
    for n in ["home", "bodies", "people"]:
        page.goto(reverse(f"workspace:{n}"))
        mild = axe_check(page)
        print(
            "\nMILD ws",
            n,
            [(v["id"], v["impact"], [x["target"] for x in v["nodes"]][:3]) for v in mild],
        )
