"""Every URL of the project × every demo role × an in-scope, an out-of-scope and (for
confidential records) a not-named object.

The patterns come from the URL configuration itself: a pattern without an entry in ``SPECS``
fails ``test_every_pattern_has_a_spec``, so a new view is covered the day it is added. Each
(pattern, role, object) is a test of its own that checks the status (200, 302 to the sign-in
page, 403, 404, 405) and that the page shows no marker of a confidential record the role is not
named on — the superuser national administrator included. POST views are also sent a POST
without a CSRF token (403), and a few a valid POST from an out-of-scope user (403/404, nothing
changed). Run alone with ``-k matrix``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ROLES, World

pytestmark = pytest.mark.matrix

ANON = "anonymous"
LOGIN = "login"  # 302 to the sign-in page
DENY = frozenset({403, 404})
OK = frozenset({200})
NOT_FOUND = frozenset({404})
NOT_ALLOWED = frozenset({405})

# The body each role holds its grant on (see world.py).
GRANT_BODY = {
    "admin": "root",
    "analyst": "root",
    "auditor": "root",
    "coordinator_pavlodar": "pav",
    "coordinator_almaty": "alm",
    "staff_house": "pav_house",
    "staff_elders": "pav_elders",
    "mediator": "pav_mediation",
    "centre_head": "pav_mediation",
    "caseworker": "pav_charity",
    "charity_head": "pav_charity",
}
SIGNED_IN = frozenset(GRANT_BODY)
MANAGERS = frozenset({"admin", "coordinator_pavlodar", "coordinator_almaty"})
STAFF = SIGNED_IN - {"analyst", "auditor"}
AUDITORS = MANAGERS | {"auditor"}
REGISTER = STAFF | {"auditor"}  # staff of every kind and auditors: registers of records
HEADS = frozenset({"centre_head", "charity_head"})

# The body a record of each kind belongs to, per variant.
HOME: dict[str, dict[str, str]] = {
    "event": {"pav": "pav_house", "alm": "alm_house"},
    "appeal": {"pav": "pav_house", "pav_other": "pav_house", "alm": "alm_house"},
    "proposal": {"pav": "pav_house", "alm": "alm_house"},
    "mediation_case": {
        "pav": "pav_mediation",
        "pav_other": "pav_mediation",
        "alm": "alm_mediation",
    },
    "mediator": {"pav": "pav_mediation", "alm": "alm_mediation"},
    "centre": {"pav": "pav_mediation", "alm": "alm_mediation"},
    "help_request": {"pav": "pav_charity", "pav_other": "pav_charity", "alm": "alm_charity"},
    "charity": {"pav": "pav_charity", "alm": "alm_charity"},
    "registry": {"pav": "pav_elders", "alm": "alm_house"},
    "house": {"pav": "pav_house", "alm": "alm_house"},
    "report_run": {"national": "root", "pav": "pav", "alm": "alm"},
}


def covers(world: World, role: str, home: str) -> bool:
    grant = world.bodies[GRANT_BODY[role]].path
    return str(world.bodies[home].path).startswith(str(grant))


Expect = Callable[[World, str, str], Any]  # (world, role, variant) → statuses or LOGIN


def public(world: World, role: str, variant: str) -> Any:
    return OK


def status(code: int) -> Expect:
    return lambda world, role, variant: frozenset({code})


def signed(allowed: frozenset[str] = SIGNED_IN, other: frozenset[int] = DENY) -> Expect:
    """Sign-in required; ``allowed`` roles see the page, the others get ``other``."""

    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        return OK if role in allowed else other

    return expect


def scoped(kind: str, allowed: frozenset[str] = SIGNED_IN, ok: frozenset[int] = OK) -> Expect:
    """Allowed roles see records of their subtree; others of them are told "not found"."""

    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        if role not in allowed:
            return DENY
        return ok if covers(world, role, HOME[kind][variant]) else NOT_FOUND

    return expect


def named(kind: str) -> Expect:
    """Confidential: only the roles named on the record (see ``World.entitled``)."""

    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        return OK if role in entitled_on(world, kind, variant) else DENY

    return expect


def marker_of(kind: str, variant: str) -> str:
    from .world import APPLICANT, BENEFICIARY, MEDIATION_PARTY

    markers = {"mediation_case": MEDIATION_PARTY, "help_request": BENEFICIARY, "appeal": APPLICANT}
    return markers[kind][variant]


def entitled_on(world: World, kind: str, variant: str) -> frozenset[str]:
    return world.entitled[marker_of(kind, variant)]


def plan_page(world: World, role: str, variant: str) -> Any:
    """A draft is the national administrators' own; an approved plan opens for those with a
    national grant, and sends the others to their region's page."""
    if role == ANON:
        return LOGIN
    if variant == "draft":
        return OK if role == "admin" else NOT_FOUND
    return OK if GRANT_BODY[role] == "root" else frozenset({302})


def plan_region_page(world: World, role: str, variant: str) -> Any:
    """A region's progress (here Pavlodar's): not another region's coordinator."""
    if role == ANON:
        return LOGIN
    if variant == "draft" and role != "admin":
        return NOT_FOUND
    return NOT_FOUND if role == "coordinator_almaty" else OK


def post_only(world: World, role: str, variant: str) -> Any:
    return frozenset({302, 405}) if role == ANON else NOT_ALLOWED


def admin_site(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return frozenset({302})
    return OK if role == "admin" else frozenset({302, 403})


MEDIA_READERS = frozenset({"admin", "analyst", "coordinator_pavlodar", "coordinator_almaty"})
TRAINERS = frozenset({"admin", "analyst"})  # analysts and national administrators on the root
COORDINATOR_OF = {"pav": "coordinator_pavlodar", "alm": "coordinator_almaty"}


def media_scoped(world: World, role: str, variant: str) -> Any:
    """An item or story of a region: national readers, and that region's coordinator (the
    other region's coordinator is told "not found")."""
    if role == ANON:
        return LOGIN
    if role in TRAINERS or role == COORDINATOR_OF[variant]:
        return OK
    return NOT_FOUND if role in MEDIA_READERS else DENY


def alert_page(world: World, role: str, variant: str) -> Any:
    """An alert: national readers, the region's coordinator and the staff of the bodies it
    was routed to (the region's assembly and house of friendship)."""
    if role == ANON:
        return LOGIN
    routed = {"pav": {"staff_house"}, "alm": set()}[variant]
    return OK if role in TRAINERS | {COORDINATOR_OF[variant]} | routed else DENY


# Surveys: researchers (national admins and analysts on the root, a region's coordinator for
# its region's surveys); collectors (staff inside the network of the body conducting the
# survey: every Pavlodar role for the Pavlodar assembly's survey). The expert council: national
# readers, the region's coordinator (its expert group lies under the assembly), and for a
# recommendation also the staff of the body it is addressed to (the Pavlodar house).
PAV_STAFF = frozenset(
    {"staff_house", "staff_elders", "mediator", "centre_head", "caseworker", "charity_head"}
)
COUNCIL_KEEPERS = frozenset({"admin", "coordinator_pavlodar", "coordinator_almaty"})


def survey_research(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    return OK if role in TRAINERS or role == COORDINATOR_OF[variant] else DENY


def survey_collect(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    if role in TRAINERS or role == COORDINATOR_OF[variant]:
        return OK
    return OK if variant == "pav" and role in PAV_STAFF else DENY


def council_keep(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    return OK if role == "admin" or role == COORDINATOR_OF[variant] else DENY


def recommendation_page(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    readers = (
        TRAINERS | {COORDINATOR_OF[variant]} | ({"staff_house"} if variant == "pav" else set())
    )
    return OK if role in readers else DENY


def never_found(world: World, role: str, variant: str) -> Any:
    return LOGIN if role == ANON else DENY


Fill = Callable[[World, str], dict[str, Any]]
ACCOUNT_OF = {"pav": "staff_elders", "alm": "staff_alm_house"}


def obj(kind: str, kwarg: str = "pk", attr: str = "pk") -> Fill:
    return lambda world, variant: {kwarg: getattr(world.objects[kind][variant], attr)}


def body(kwarg: str = "pk", homes: dict[str, str] | None = None) -> Fill:
    homes = homes or HOME["registry"]
    return lambda world, variant: {kwarg: world.bodies[homes[variant]].pk}


def with_child(kind: str, child: str, child_kwarg: str, parent_kind: str | None = None) -> Fill:
    def fill(world: World, variant: str) -> dict[str, Any]:
        item = world.objects[child][variant]
        parent = world.objects[parent_kind or kind][variant]
        return {"pk": parent.pk, child_kwarg: item.pk}

    return fill


def constant(**kwargs: Any) -> Fill:
    return lambda world, variant: kwargs


@dataclass(frozen=True)
class Spec:
    expect: Expect
    fill: Fill = constant()
    variants: tuple[str, ...] = ("-",)
    post: bool = False  # accepts POST: checked without a CSRF token
    csrf_exempt: bool = False  # token-authenticated API: no CSRF, 401 without a token
    # An upload checked for size before CSRF (``csrf_exempt`` outside, ``csrf_protect`` inside
    # the sign-in check): an anonymous POST is sent to sign in, nothing is read.
    upload: bool = False
    download: bool = False  # a file: the body is not read for markers
    capability: bool = False  # a secret link (ticket, appeal status): its own record shows
    xfail: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, variant) → reason
    shows: str = ""  # confidential kind whose marker the roles named on it must read here


# --- expectations (accounts) ---------------------------------------------------------------


def join_page(world: World, role: str, variant: str) -> Any:
    """Anyone signed out may create an account; a signed-in person is sent to their own."""
    return OK if role == ANON else frozenset({302})


# --- expectations (ideas-citizen) ---------------------------------------------------------------
# Published ideas (and their images) are public; a pending one (variant "pending", of the
# Pavlodar assembly) only to its author and to readers whose grant covers the assembly: to
# everyone else it does not exist.


def idea_page(world: World, role: str, variant: str) -> Any:
    if variant != "pending":
        return OK
    if role == ANON:
        return NOT_FOUND
    return OK if covers(world, role, "pav") else NOT_FOUND


def idea_or_pending(kind: str) -> Fill:
    def fill(world: World, variant: str) -> dict[str, Any]:
        if kind == "idea_image":
            return {"pk": world.objects[kind][variant].pk}
        item = world.objects["idea_pending"]["pav"] if variant == "pending" else None
        return {"pk": (item or world.objects[kind][variant]).pk}

    return fill


# --- expectations (ideas-staff) ---------------------------------------------------------------
# Ideas and calls of the Pavlodar and Almaty assemblies: readers whose grant covers the assembly
# see them (the house's or a centre's staff do not: their grants lie below it); managers edit
# calls, staff act on ideas; in scope without the right → 403, out of scope → 404.
IDEA_ACTORS = STAFF


def idea_scoped(allowed: frozenset[str] = SIGNED_IN) -> Expect:
    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        if not covers(world, role, variant):
            return NOT_FOUND
        return OK if role in allowed else frozenset({403})

    return expect


# --- expectations (youth) ---------------------------------------------------------------
# Youth projects of the world are run by each region's house of friendship; the Pavlodar
# house's staff sit on the Pavlodar cohort's jury.
YOUTH_READERS = REGISTER  # staff of every kind and auditors, in the running body's subtree


def youth_juror(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    return OK if role == "staff_house" and variant == "pav" else DENY


# --- expectations (volunteers) ---------------------------------------------------------------


def volunteer_staff(world: World, role: str, variant: str) -> Any:
    """A call of a house of friendship and its volunteers: staff whose grant covers the house
    (analysts and auditors are refused; another region's staff are told "not found")."""
    if role == ANON:
        return LOGIN
    if role not in STAFF:
        return DENY
    return OK if covers(world, role, HOME["house"][variant]) else NOT_FOUND


def volunteer_signup(world: World, variant: str) -> dict[str, Any]:
    return {
        "pk": world.objects["volunteer_call"][variant].pk,
        "signup": world.objects["volunteer_signup"][variant].pk,
    }


# --- expectations (programmes) ---------------------------------------------------------------
PROGRAMME = constant(code="myn_bala")


def programme_child(kind: str, kwarg: str) -> Fill:
    return lambda world, variant: {"code": "myn_bala", kwarg: world.objects[kind][variant].pk}


# --- expectations (learning) ---------------------------------------------------------------
# Each region has an APK department (under its assembly) running a course; the region's house of
# friendship sends a trainee. Provider pages: staff and auditors whose grant covers the
# department; a trainee's record and certificate also the sending house's staff. A certificate
# is revoked by the provider's staff or a national administrator, not by a coordinator.
LEARNING_PROVIDER = {"pav": "learning_pav", "alm": "learning_alm"}
LEARNING_SENDER = {"pav": "pav_house", "alm": "alm_house"}


def learning_provider(allowed: frozenset[str] = REGISTER) -> Expect:
    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        if role not in allowed:
            return DENY
        return OK if covers(world, role, LEARNING_PROVIDER[variant]) else NOT_FOUND

    return expect


def learning_trainee(world: World, role: str, variant: str) -> Any:
    if role == ANON:
        return LOGIN
    if role not in REGISTER:
        return DENY
    homes = (LEARNING_PROVIDER[variant], LEARNING_SENDER[variant])
    return OK if any(covers(world, role, home) for home in homes) else NOT_FOUND


def learning_revoke(world: World, role: str, variant: str) -> Any:
    seen = learning_trainee(world, role, variant)
    if seen != OK:
        return seen
    return OK if role == "admin" else frozenset({403})


# --- expectations (diplomacy) ---------------------------------------------------------------
# Requests, visits and ambassadors kept in the registers of the Pavlodar and Almaty assemblies:
# staff and auditors whose grant covers the assembly read them (the house's and the centres'
# staff, whose grants lie below it, are told "not found"), staff change them, analysts are
# refused. The portal's form writes to the People's Diplomacy Centre of the world.
DIPLOMACY_READERS = REGISTER


def diplomacy_scoped(allowed: frozenset[str] = DIPLOMACY_READERS) -> Expect:
    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        if role not in allowed:
            return DENY
        return OK if covers(world, role, variant) else NOT_FOUND

    return expect


def diplomacy_activity(world: World, variant: str) -> dict[str, Any]:
    return {
        "pk": world.objects["diplomacy_ambassador"][variant].pk,
        "activity": world.objects["diplomacy_activity"][variant].pk,
    }


# --- expectations (deputies) ---------------------------------------------------------------
# Initiatives of a deputy group under each region's assembly (world.py ``_deputies``): staff and
# auditors whose grant covers the group read them, staff act on them; the others in the
# network are told "not found". The public page shows submitted initiatives, never a draft.
DEPUTIES_HOME = {"pav": "pav_deputies", "alm": "alm_deputies"}


def deputies_scoped(allowed: frozenset[str]) -> Expect:
    def expect(world: World, role: str, variant: str) -> Any:
        if role == ANON:
            return LOGIN
        if role not in allowed:
            return DENY
        return OK if covers(world, role, DEPUTIES_HOME[variant]) else NOT_FOUND

    return expect


def deputies_public(world: World, role: str, variant: str) -> Any:
    return OK if variant == "pav" else NOT_FOUND


PAV_ALM = ("pav", "alm")
ONE = ("pav",)  # POST-only views answer every role alike: one record is enough
THREE = ("pav", "pav_other", "alm")
# Token-authenticated writes: a GET is not allowed (405); a POST without a token is 401.
API_WRITE_PK = Spec(status(405), obj("event"), PAV_ALM, post=True, csrf_exempt=True)
API_APPEAL_WRITE = Spec(status(405), obj("appeal"), THREE, post=True, csrf_exempt=True)

SPECS: dict[str, Spec] = {
    # --- health and API ------------------------------------------------------------------
    "health": Spec(public),
    "api:v1:openapi-json": Spec(public),
    "api:v1:openapi-view": Spec(public),
    # Ninja's root view answers 404: the API's index is its docs and schema.
    "api:v1:api-root": Spec(status(404)),
    "api:v1:regions": Spec(public),
    "api:v1:districts": Spec(public, constant(iso="KZ-55")),
    "api:v1:kinds": Spec(public),
    "api:v1:programmes": Spec(public),
    "api:v1:bodies": Spec(public),
    "api:v1:body": Spec(public, body(), PAV_ALM),
    "api:v1:events": Spec(public),
    # The same path as the list: a GET lists, a POST without a token is 401.
    "api:v1:event_create": Spec(public, post=True, csrf_exempt=True),
    "api:v1:event": Spec(public, obj("event"), PAV_ALM),
    "api:v1:event_update": Spec(public, obj("event"), PAV_ALM),
    "api:v1:indicators": Spec(public),
    "api:v1:figures": Spec(public),
    "api:v1:indicator": Spec(public, constant(key="events.events")),
    "api:v1:event_publish": API_WRITE_PK,
    "api:v1:event_cancel": API_WRITE_PK,
    "api:v1:check_in": API_WRITE_PK,
    "api:v1:attendance": API_WRITE_PK,
    "api:v1:report": API_WRITE_PK,
    "api:v1:appeals": Spec(status(401)),
    "api:v1:appeal": Spec(status(401), obj("appeal"), THREE),
    "api:v1:appeal_take_on": API_APPEAL_WRITE,
    "api:v1:appeal_answer": API_APPEAL_WRITE,
    "api:v1:appeal_approve": API_APPEAL_WRITE,
    "api:v1:appeal_extend": API_APPEAL_WRITE,
    "api:v1:appeal_close": API_APPEAL_WRITE,
    "api/^": Spec(status(404)),
    # --- public portal -------------------------------------------------------------------
    "portal:home": Spec(public),
    "portal:directory": Spec(public),
    "portal:search": Spec(public),
    "portal:body": Spec(public, body(), PAV_ALM),
    "portal:events": Spec(public),
    "portal:events_ical": Spec(public, download=True),
    "portal:event": Spec(public, obj("event"), PAV_ALM, post=True),
    "portal:event_ical": Spec(public, obj("event"), PAV_ALM, download=True),
    # Photos become public once the event has taken place; the world's events are upcoming.
    "portal:event_photo": Spec(status(404), obj("event_attachment"), PAV_ALM, download=True),
    "portal:ticket": Spec(public, obj("registration", "code", "ticket_code"), PAV_ALM),
    "portal:ticket_cancel": Spec(
        public, obj("registration", "code", "ticket_code"), PAV_ALM, post=True
    ),
    "portal:appeal_new": Spec(public, post=True),
    "portal:appeal_receipt": Spec(public, obj("appeal", "token", "token"), THREE, capability=True),
    "portal:appeal_status": Spec(public, obj("appeal", "token", "token"), THREE, capability=True),
    # The receipt as a PDF: to whoever holds the private link, as the receipt page.
    "portal:appeal_receipt_pdf": Spec(
        public, obj("appeal", "token", "token"), THREE, capability=True, download=True
    ),
    # The applicant's rating of the answer: a POST from the status page only.
    "portal:appeal_rating": Spec(status(405), obj("appeal", "token", "token"), THREE, post=True),
    # "Find my appeal": the link is sent to the contact given, never shown on the page.
    "portal:appeal_find": Spec(public, post=True),
    "mediation_portal:index": Spec(public),
    # The form lives on the index page: a GET is sent there, as is "received" without a request.
    "mediation_portal:request": Spec(status(302), post=True),
    "mediation_portal:received": Spec(status(302)),
    "charity_portal:index": Spec(public),
    "charity_portal:ask": Spec(public, post=True),
    "charity_portal:request": Spec(
        public, obj("help_request", "public_id", "public_id"), THREE, post=True
    ),
    "charity_portal:stories": Spec(public),
    "reports_portal:dashboard": Spec(public),
    "reports_portal:all": Spec(public),
    "reports_portal:catalogue": Spec(public),
    "reports_documents_portal:index": Spec(public),
    "reports_documents_portal:dictionary": Spec(public),
    # No release has been published in the matrix's world: "not found" for everyone.
    "reports_documents_portal:file": Spec(status(404), constant(name="bodies.csv")),
    "reports_documents_portal:live": Spec(public, constant(code="regions"), download=True),
    # --- account -------------------------------------------------------------------------
    "access:login": Spec(public, post=True),
    "access:logout": Spec(post_only, post=True),
    "access:totp": Spec(signed(), post=True),
    "access:profile": Spec(signed(), post=True),
    "access:password": Spec(signed(), post=True),
    "access:grants": Spec(signed(MANAGERS)),
    "access:grant_new": Spec(signed(MANAGERS), post=True),
    "access:grant_revoke": Spec(scoped("registry", MANAGERS), obj("grant"), PAV_ALM, post=True),
    "access:audit": Spec(signed(AUDITORS)),
    # No account of the world has an authenticator yet: it is sent to set one up.
    "access:verify": Spec(signed(other=frozenset({302}), allowed=frozenset()), post=True),
    # A role waiting for a second person's approval (none in the world: "not found").
    "access:grant_decide": Spec(post_only, constant(pk=999_999), post=True),
    "access:second_factor_reset": Spec(
        signed(frozenset({"admin"})),
        lambda world, variant: {"pk": world.users[ACCOUNT_OF[variant]].pk},
        PAV_ALM,
        post=True,
    ),
    # --- events --------------------------------------------------------------------------
    "events:list": Spec(signed()),
    "events:create": Spec(scoped("house", STAFF), body("body", HOME["house"]), PAV_ALM, post=True),
    "events:detail": Spec(scoped("event"), obj("event"), PAV_ALM),
    "events:edit": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True),
    "events:publish": Spec(post_only, obj("event"), PAV_ALM, post=True),
    "events:cancel": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True),
    "events:register": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True),
    "events:registration_cancel": Spec(
        post_only, with_child("event", "registration", "registration"), PAV_ALM, post=True
    ),
    "events:check_in": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True),
    "events:report": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True),
    "events:sheet": Spec(scoped("event", STAFF), obj("event"), PAV_ALM, post=True, upload=True),
    # A GET goes back to the event's page, where the upload form is.
    "events:attachment_add": Spec(
        scoped("event", STAFF, ok=frozenset({302})), obj("event"), PAV_ALM, post=True, upload=True
    ),
    "events:attachment": Spec(
        scoped("event"),
        with_child("event", "event_attachment", "attachment"),
        PAV_ALM,
        download=True,
    ),
    # --- appeals -------------------------------------------------------------------------
    "appeals:inbox": Spec(signed(REGISTER)),
    # A chooser of the bodies one may register appeals for: empty for analysts and auditors.
    "appeals:register_choose": Spec(signed()),
    "appeals:register": Spec(
        scoped("house", STAFF), body("body", HOME["house"]), PAV_ALM, post=True
    ),
    "appeals:detail": Spec(scoped("appeal", REGISTER), obj("appeal"), THREE, shows="appeal"),
    "appeals:attachment": Spec(
        named("appeal"),
        with_child("appeal", "appeal_attachment", "attachment"),
        THREE,
        download=True,
    ),
    **{
        f"appeals:{name}": Spec(post_only, obj("appeal"), THREE, post=True)
        for name in ("take_on", "assign", "note", "draft", "approve", "extend", "redirect", "close")
    },
    "appeals:proposals": Spec(signed()),
    "appeals:proposal_choose": Spec(signed(STAFF)),
    "appeals:proposal_create": Spec(
        scoped("house", STAFF), body("body", HOME["house"]), PAV_ALM, post=True
    ),
    # Proposals to state bodies are not personal: analysts read them too.
    "appeals:proposal": Spec(scoped("proposal", REGISTER | {"analyst"}), obj("proposal"), PAV_ALM),
    **{
        f"appeals:proposal_{name}": Spec(post_only, obj("proposal"), PAV_ALM, post=True)
        for name in ("approve", "send", "answer")
    },
    # --- mediation -----------------------------------------------------------------------
    "mediation:cases": Spec(
        signed(frozenset({"mediator", "centre_head"}), NOT_FOUND),
    ),
    "mediation:case_new": Spec(signed(frozenset({"mediator", "centre_head"})), post=True),
    "mediation:export": Spec(
        signed(frozenset({"centre_head"})),
        download=True,
    ),
    "mediation:figures": Spec(signed()),
    # The register of mediators: staff of the network, not analysts and auditors.
    "mediation:mediators": Spec(signed(STAFF)),
    "mediation:mediator": Spec(scoped("mediator", STAFF), obj("mediator"), PAV_ALM),
    "mediation:centres": Spec(signed(STAFF)),
    "mediation:mediator_new": Spec(
        scoped("centre", frozenset({"centre_head"})),
        body("centre", HOME["centre"]),
        PAV_ALM,
        post=True,
    ),
    "mediation:case": Spec(
        named("mediation_case"), obj("mediation_case"), THREE, shows="mediation_case"
    ),
    **{
        f"mediation:{name}": Spec(post_only, obj("mediation_case"), THREE, post=True)
        for name in (
            "assign",
            "add_party",
            "session",
            "close",
            "agreement",
            "upload",
            "execution",
            "conflict",
        )
    },
    "mediation:document": Spec(
        named("mediation_case"),
        with_child("mediation_case", "mediation_document", "document"),
        THREE,
        download=True,
    ),
    # --- charity -------------------------------------------------------------------------
    "charity:requests": Spec(signed(REGISTER)),
    "charity:intake": Spec(signed(STAFF), post=True),
    "charity:request": Spec(
        scoped("help_request", REGISTER), obj("help_request"), THREE, shows="help_request"
    ),
    "charity:action": Spec(
        post_only,
        lambda world, variant: {
            "pk": world.objects["help_request"][variant].pk,
            "action": "deliver",
        },
        THREE,
        post=True,
    ),
    "charity:document": Spec(
        named("help_request"),
        with_child("help_request", "charity_document", "document"),
        THREE,
        download=True,
    ),
    "charity:export": Spec(signed(REGISTER), download=True),
    "charity:projects": Spec(signed(REGISTER | {"analyst"})),
    "charity:project_new": Spec(signed(STAFF), post=True),
    "charity:project": Spec(
        scoped("charity", REGISTER | {"analyst"}), obj("charity_project"), PAV_ALM
    ),
    "charity:donate": Spec(post_only, obj("charity_project"), PAV_ALM, post=True),
    "charity:ledger_xlsx": Spec(
        scoped("charity", REGISTER | {"analyst"}), obj("charity_project"), PAV_ALM, download=True
    ),
    "charity:receipt": Spec(named("help_request"), obj("donation"), PAV_ALM, download=True),
    "charity:donation_cancel": Spec(post_only, obj("donation"), PAV_ALM, post=True),
    "charity:distribution_cancel": Spec(
        post_only, with_child("help_request", "distribution", "distribution"), PAV_ALM, post=True
    ),
    # The list is scoped to pledges the user decides on: empty for analysts and auditors.
    "charity:pledges": Spec(signed()),
    "charity:pledge_decide": Spec(
        post_only,
        lambda world, variant: {"pk": world.objects["pledge"][variant].pk, "decision": "decline"},
        PAV_ALM,
        post=True,
    ),
    # --- reports -------------------------------------------------------------------------
    "reports_documents:runs": Spec(signed(MANAGERS | {"analyst"}), post=True),
    "reports_documents:status": Spec(signed(MANAGERS | {"analyst"})),
    "reports_documents:download": Spec(
        scoped("report_run", MANAGERS | {"analyst"}),
        lambda world, variant: {"pk": world.objects["report_run"][variant].pk, "fmt": "xlsx"},
        ("national", "pav", "alm"),
        download=True,
    ),
    "reports:dashboard": Spec(signed()),
    "reports:all": Spec(signed()),
    "reports:catalogue": Spec(public),
    "reports:plans": Spec(signed(), post=True),
    # A draft plan is the national administrators' own; an approved one is everyone's.
    "reports:plan": Spec(plan_page, obj("plan"), ("draft", "approved")),
    "reports:plan_region": Spec(
        plan_region_page,
        lambda world, variant: {"pk": world.objects["plan"][variant].pk, "iso": "KZ-55"},
        ("draft", "approved"),
    ),
    "reports:plan_edit": Spec(post_only, obj("plan"), ("draft",), post=True),
    "reports:plan_approve": Spec(post_only, obj("plan"), ("draft",), post=True),
    "reports:target_add": Spec(post_only, obj("plan"), ("draft",), post=True),
    "reports:target_delete": Spec(
        post_only,
        lambda world, variant: {
            "pk": world.objects["plan"]["draft"].pk,
            "target": world.objects["target"]["draft"].pk,
        },
        post=True,
    ),
    "reports:targets_import": Spec(post_only, obj("plan"), ("draft",), post=True),
    "reports:targets_export": Spec(
        signed(frozenset({"admin"})), obj("plan"), ("draft",), download=True
    ),
    # --- integrations --------------------------------------------------------------------
    "api_tokens:list": Spec(signed(MANAGERS)),
    "api_tokens:new": Spec(signed(MANAGERS), post=True),
    "api_tokens:revoke": Spec(scoped("house", MANAGERS), obj("api_token"), PAV_ALM, post=True),
    # --- workspace -----------------------------------------------------------------------
    "workspace:home": Spec(signed()),
    "workspace:bodies": Spec(signed()),
    "workspace:bodies_export": Spec(signed(), constant(fmt="csv"), download=True),
    "workspace:body": Spec(scoped("registry"), body(), PAV_ALM),
    "workspace:body_create": Spec(scoped("registry", STAFF), body(), PAV_ALM, post=True),
    "workspace:body_edit": Spec(scoped("registry", STAFF), body(), PAV_ALM, post=True),
    "workspace:body_close": Spec(scoped("registry", MANAGERS), body(), PAV_ALM, post=True),
    "workspace:person_create": Spec(scoped("registry", STAFF), body(), PAV_ALM, post=True),
    "workspace:membership_add": Spec(scoped("registry", STAFF), body(), PAV_ALM, post=True),
    "workspace:members_export": Spec(
        scoped("registry", STAFF),
        lambda world, variant: {"pk": world.bodies[HOME["registry"][variant]].pk, "fmt": "csv"},
        PAV_ALM,
        download=True,
    ),
    "workspace:import": Spec(scoped("registry", STAFF), body(), PAV_ALM, post=True, upload=True),
    "workspace:people": Spec(signed(REGISTER)),
    "workspace:person": Spec(scoped("registry", REGISTER), obj("person"), PAV_ALM),
    "workspace:person_edit": Spec(scoped("registry", STAFF), obj("person"), PAV_ALM, post=True),
    "workspace:membership_end": Spec(
        scoped("registry", STAFF), obj("membership"), PAV_ALM, post=True
    ),
    "workspace:import_template": Spec(signed(), constant(import_kind="bodies"), download=True),
    "workspace:import_review": Spec(
        signed(frozenset({"staff_house"}), NOT_FOUND),
        lambda world, variant: {"token": world.objects["import_token"]["own"]},
    ),
    "workspace:import_columns": Spec(
        signed(frozenset({"staff_house"}), NOT_FOUND),
        lambda world, variant: {"token": world.objects["import_token"]["uploaded"]},
        post=True,
    ),
    "workspace:import_rejected": Spec(
        signed(frozenset({"staff_house"}), NOT_FOUND),
        lambda world, variant: {"token": world.objects["import_token"]["done"]},
        download=True,
    ),
    "workspace:import_confirm": Spec(
        post_only, lambda world, variant: {"token": world.objects["import_token"]["own"]}, post=True
    ),
    "workspace:import_cancel": Spec(
        post_only, lambda world, variant: {"token": world.objects["import_token"]["own"]}, post=True
    ),
    # --- early warning -------------------------------------------------------------------
    "monitoring_portal:coverage": Spec(public),
    "monitoring:dashboard": Spec(signed(MEDIA_READERS)),
    "monitoring:items": Spec(signed(MEDIA_READERS)),
    "monitoring:stories": Spec(signed(MEDIA_READERS)),
    "monitoring:tension": Spec(signed(MEDIA_READERS)),
    "monitoring:item": Spec(media_scoped, obj("monitoring_item"), PAV_ALM),
    "monitoring:story": Spec(media_scoped, obj("monitoring_story"), PAV_ALM),
    "monitoring:sources": Spec(signed(MEDIA_READERS)),
    "monitoring:source_health": Spec(signed(MEDIA_READERS), obj("monitoring_source")),
    "monitoring:item_enter": Spec(signed(MEDIA_READERS), post=True),
    "monitoring:source_new": Spec(signed(TRAINERS), post=True),
    "monitoring:source_edit": Spec(signed(TRAINERS), obj("monitoring_source"), post=True),
    "monitoring:source_upload": Spec(signed(TRAINERS), obj("monitoring_upload_source"), post=True),
    "monitoring:source_fetch_now": Spec(post_only, obj("monitoring_source"), post=True),
    "monitoring:learn_queue": Spec(signed(TRAINERS)),
    "monitoring:learn_models": Spec(signed(TRAINERS)),
    "monitoring:learn_keywords": Spec(signed(TRAINERS)),
    "monitoring:learn_item": Spec(signed(TRAINERS), obj("monitoring_item"), PAV_ALM, post=True),
    "monitoring:learn_train": Spec(post_only, post=True),
    "monitoring:learn_model_activate": Spec(post_only, obj("monitoring_model"), post=True),
    "monitoring:learn_keyword_new": Spec(signed(TRAINERS), post=True),
    "monitoring:learn_keyword_edit": Spec(signed(TRAINERS), obj("monitoring_keyword"), post=True),
    "monitoring:learn_keyword_delete": Spec(post_only, obj("monitoring_keyword"), post=True),
    "monitoring:alerts": Spec(signed(SIGNED_IN - {"auditor"})),
    "monitoring:alert_figures": Spec(signed(SIGNED_IN - {"auditor"})),
    "monitoring:alert": Spec(alert_page, obj("monitoring_alert"), PAV_ALM),
    **{
        f"monitoring:alert_{step}": Spec(post_only, obj("monitoring_alert"), PAV_ALM, post=True)
        for step in ("acknowledge", "assess", "act", "close")
    },
    "monitoring:alert_rules": Spec(signed(TRAINERS)),
    "monitoring:alert_rule_new": Spec(signed(TRAINERS), post=True),
    "monitoring:alert_rule_edit": Spec(signed(TRAINERS), obj("monitoring_rule"), post=True),
    "monitoring:club": Spec(signed(TRAINERS)),
    "monitoring:club_new": Spec(signed(frozenset({"admin"})), post=True),
    "monitoring:club_import": Spec(signed(frozenset({"admin"})), post=True),
    "monitoring:club_edit": Spec(
        signed(frozenset({"admin"})), obj("club_publication"), PAV_ALM, post=True
    ),
    "monitoring:club_delete": Spec(post_only, obj("club_publication"), PAV_ALM, post=True),
    # --- surveys and the expert council ----------------------------------------------------
    "surveys:home": Spec(signed(SIGNED_IN - {"auditor"})),
    "surveys:questionnaires": Spec(signed(MEDIA_READERS)),
    "surveys:questionnaire_new": Spec(signed(MEDIA_READERS), post=True),
    "surveys:questionnaire_template": Spec(signed(MEDIA_READERS), post=True),
    "surveys:questionnaire": Spec(survey_research, obj("survey_questionnaire"), PAV_ALM),
    "surveys:version": Spec(survey_research, obj("survey_version"), PAV_ALM),
    "surveys:version_consent": Spec(survey_research, obj("survey_draft"), PAV_ALM, post=True),
    "surveys:version_launch": Spec(post_only, obj("survey_draft"), ONE, post=True),
    "surveys:version_new": Spec(post_only, obj("survey_version"), ONE, post=True),
    "surveys:question_new": Spec(survey_research, obj("survey_draft"), PAV_ALM, post=True),
    "surveys:question_edit": Spec(survey_research, obj("survey_question"), PAV_ALM, post=True),
    "surveys:question_delete": Spec(post_only, obj("survey_question"), ONE, post=True),
    "surveys:question_move": Spec(post_only, obj("survey_question"), ONE, post=True),
    "surveys:survey_new": Spec(signed(MEDIA_READERS), post=True),
    "surveys:survey": Spec(survey_collect, obj("survey"), PAV_ALM),
    "surveys:survey_edit": Spec(survey_research, obj("survey"), PAV_ALM, post=True),
    "surveys:survey_status": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys:invitations": Spec(survey_research, obj("survey"), PAV_ALM, post=True),
    "surveys:paper": Spec(survey_collect, obj("survey"), PAV_ALM, post=True),
    "surveys:responses": Spec(survey_research, obj("survey"), PAV_ALM),
    "surveys:response": Spec(survey_research, obj("survey_response"), PAV_ALM),
    "surveys:response_exclude": Spec(post_only, obj("survey_response"), ONE, post=True),
    "surveys:response_include": Spec(post_only, obj("survey_response"), ONE, post=True),
    "surveys:results": Spec(survey_research, obj("survey"), PAV_ALM),
    "surveys:runs": Spec(survey_research, obj("survey"), PAV_ALM),
    "surveys:weigh": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys:publish": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys:unpublish": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys:export_csv": Spec(survey_research, obj("survey"), PAV_ALM, download=True),
    "surveys:export_sav": Spec(survey_research, obj("survey"), PAV_ALM, download=True),
    "surveys:codebook": Spec(survey_research, obj("survey"), PAV_ALM, download=True),
    "surveys:margins": Spec(signed(MEDIA_READERS)),
    "surveys:margins_new": Spec(post_only, post=True),
    "surveys:margins_blank": Spec(signed(MEDIA_READERS), download=True),
    "surveys:margin": Spec(survey_research, obj("survey_margins"), PAV_ALM),
    "surveys:margins_upload": Spec(post_only, obj("survey_margins"), ONE, post=True),
    "surveys:interview": Spec(survey_collect, obj("survey"), PAV_ALM),
    "surveys:interview_form": Spec(
        survey_collect,
        lambda world, variant: {
            "pk": world.objects["survey"][variant].pk,
            "version": world.objects["survey"][variant].version_id,
        },
        PAV_ALM,
    ),
    "surveys:interview_sw": Spec(signed(SIGNED_IN - {"auditor"})),
    "surveys:interview_sync": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys:import": Spec(survey_collect, obj("survey"), PAV_ALM, post=True),
    "surveys:import_apply": Spec(post_only, obj("survey"), ONE, post=True),
    "surveys_portal:survey": Spec(public, obj("survey", "slug", "slug"), PAV_ALM, post=True),
    "surveys_portal:thanks": Spec(public, obj("survey", "slug", "slug"), PAV_ALM),
    "surveys_portal:panel": Spec(
        public,
        lambda world, variant: {"slug": world.objects["survey"][variant].slug, "token": "x" * 32},
        PAV_ALM,
        post=True,
    ),
    "surveys_figures:index": Spec(public),
    "surveys_figures:wave": Spec(public, obj("survey", "slug", "slug"), PAV_ALM),
    "surveys:council": Spec(signed(MEDIA_READERS)),
    "surveys:recommendations": Spec(signed(SIGNED_IN - {"auditor"})),
    "surveys:plan_new": Spec(signed(COUNCIL_KEEPERS), post=True),
    "surveys:plan": Spec(survey_research, obj("research_plan"), PAV_ALM),
    "surveys:study_new": Spec(council_keep, obj("research_plan"), PAV_ALM, post=True),
    "surveys:study": Spec(survey_research, obj("study"), PAV_ALM),
    "surveys:study_edit": Spec(council_keep, obj("study"), PAV_ALM, post=True),
    "surveys:study_status": Spec(post_only, obj("study"), ONE, post=True),
    "surveys:study_team": Spec(post_only, obj("study"), ONE, post=True),
    "surveys:study_report": Spec(post_only, obj("study"), ONE, post=True),
    "surveys:study_report_file": Spec(never_found, obj("study"), PAV_ALM, download=True),
    "surveys:recommendation_new": Spec(signed(COUNCIL_KEEPERS), post=True),
    "surveys:recommendation": Spec(recommendation_page, obj("recommendation"), PAV_ALM),
    **{
        f"surveys:recommendation_{step}": Spec(post_only, obj("recommendation"), ONE, post=True)
        for step in ("send", "answer", "decide")
    },
    # --- participant accounts (accounts) ---
    "access:join": Spec(join_page, post=True),
    # Every account of the world has an e-mail to confirm.
    "access:verify_contact": Spec(signed(), post=True),
    "access:password_reset": Spec(public, post=True),
    # Without a contact asked for in this session: back to the first step.
    "access:password_reset_code": Spec(status(302), post=True),
    # --- ideas, the citizen's side (ideas-citizen) ---
    "ideas_portal:list": Spec(public),
    # Anyone reads the form's page (it explains how to sign in or verify); an upload.
    "ideas_portal:submit": Spec(public, post=True, upload=True),
    "ideas_portal:mine": Spec(signed()),
    "ideas_portal:idea": Spec(idea_page, idea_or_pending("idea"), ("pav", "alm", "pending")),
    "ideas_portal:image": Spec(
        idea_page, idea_or_pending("idea_image"), ("pav", "pending"), download=True
    ),
    "ideas_portal:support": Spec(post_only, obj("idea"), ONE, post=True),
    "ideas_portal:unsupport": Spec(post_only, obj("idea"), ONE, post=True),
    "ideas_portal:withdraw": Spec(post_only, obj("idea"), ONE, post=True),
    "ideas:merge": Spec(idea_scoped(IDEA_ACTORS), obj("idea"), PAV_ALM, post=True),
    "ideas_portal:similar": Spec(public),  # (ideas-similar) JSON while typing; GET, anyone
    # --- ideas, the staff's side (ideas-staff) ---
    "ideas:home": Spec(signed()),
    "ideas:calls": Spec(signed()),
    "ideas:call_new": Spec(signed(MANAGERS), post=True),
    "ideas:call": Spec(idea_scoped(), obj("idea_staff_call"), PAV_ALM),
    "ideas:call_edit": Spec(idea_scoped(MANAGERS), obj("idea_staff_call"), PAV_ALM, post=True),
    "ideas:call_publish": Spec(post_only, obj("idea_staff_call"), ONE, post=True),
    "ideas:call_cancel": Spec(post_only, obj("idea_staff_call"), ONE, post=True),
    "ideas:moderation": Spec(signed(IDEA_ACTORS)),
    "ideas:answers": Spec(signed(IDEA_ACTORS)),
    "ideas:idea": Spec(idea_scoped(), obj("idea_staff"), PAV_ALM),
    **{
        f"ideas:{name}": Spec(post_only, obj("idea_staff"), ONE, post=True)
        for name in ("idea_publish", "idea_reject", "answer", "follow_up", "milestone_new")
    },
    "ideas:milestone_edit": Spec(
        idea_scoped(IDEA_ACTORS),
        with_child("idea_staff", "idea_milestone", "milestone"),
        PAV_ALM,
        post=True,
    ),
    "ideas:milestone_done": Spec(
        post_only, with_child("idea_staff", "idea_milestone", "milestone"), ONE, post=True
    ),
    "ideas:comment_publish": Spec(post_only, obj("idea_comment"), ONE, post=True),
    "ideas:comment_hide": Spec(post_only, obj("idea_comment"), ONE, post=True),
    "ideas_portal:calls": Spec(public),
    "ideas_portal:call": Spec(public, obj("idea_staff_call"), PAV_ALM),
    "ideas_portal:comment_add": Spec(post_only, obj("idea_staff"), ONE, post=True),
    # --- youth projects (youth) ---
    "youth:projects": Spec(signed(YOUTH_READERS)),
    "youth:project_new": Spec(signed(STAFF), post=True),
    "youth:project": Spec(scoped("house", YOUTH_READERS), obj("youth_project"), PAV_ALM),
    "youth:project_edit": Spec(scoped("house", STAFF), obj("youth_project"), PAV_ALM, post=True),
    "youth:question_new": Spec(scoped("house", STAFF), obj("youth_project"), PAV_ALM, post=True),
    "youth:question_delete": Spec(post_only, obj("youth_question"), ONE, post=True),
    "youth:criterion_new": Spec(scoped("house", STAFF), obj("youth_project"), PAV_ALM, post=True),
    "youth:criterion_delete": Spec(post_only, obj("youth_criterion"), ONE, post=True),
    "youth:cohort_new": Spec(scoped("house", STAFF), obj("youth_project"), PAV_ALM, post=True),
    "youth:cohort": Spec(scoped("house", YOUTH_READERS), obj("youth_cohort"), PAV_ALM),
    "youth:cohort_edit": Spec(scoped("house", STAFF), obj("youth_cohort"), PAV_ALM, post=True),
    "youth:cohort_status": Spec(post_only, obj("youth_cohort"), ONE, post=True),
    "youth:jury": Spec(youth_juror, obj("youth_cohort"), PAV_ALM, post=True),
    "youth:jury_submit": Spec(post_only, obj("youth_cohort"), ONE, post=True),
    "youth:ranking": Spec(scoped("house", STAFF), obj("youth_cohort"), PAV_ALM, post=True),
    "youth:sessions": Spec(scoped("house", YOUTH_READERS), obj("youth_cohort"), PAV_ALM, post=True),
    "youth:graduation": Spec(scoped("house", STAFF), obj("youth_cohort"), PAV_ALM, post=True),
    "youth:attendance": Spec(scoped("house", STAFF), obj("youth_session"), PAV_ALM, post=True),
    "youth:application": Spec(scoped("house", YOUTH_READERS), obj("youth_application"), PAV_ALM),
    "youth_portal:projects": Spec(public),
    "youth_portal:project": Spec(public, obj("youth_project"), PAV_ALM),
    "youth_portal:apply": Spec(public, obj("youth_open_cohort"), PAV_ALM, post=True),
    "youth_portal:mine": Spec(signed()),
    "youth_portal:withdraw": Spec(post_only, obj("youth_application"), ONE, post=True),
    # --- volunteers (volunteers) ---
    "volunteers:calls": Spec(signed(STAFF)),
    "volunteers:call_new": Spec(signed(STAFF), post=True),
    "volunteers:call": Spec(volunteer_staff, obj("volunteer_call"), PAV_ALM),
    "volunteers:call_edit": Spec(volunteer_staff, obj("volunteer_call"), PAV_ALM, post=True),
    "volunteers:call_status": Spec(post_only, obj("volunteer_call"), ONE, post=True),
    "volunteers:attendance": Spec(volunteer_staff, obj("volunteer_call"), PAV_ALM, post=True),
    "volunteers:hours": Spec(volunteer_staff, volunteer_signup, PAV_ALM, post=True),
    "volunteers:profile": Spec(volunteer_staff, obj("volunteer_profile"), PAV_ALM),
    "volunteers_portal:calls": Spec(public),
    "volunteers_portal:call": Spec(public, obj("volunteer_call"), PAV_ALM),
    "volunteers_portal:sign_up": Spec(post_only, obj("volunteer_call"), ONE, post=True),
    "volunteers_portal:cancel": Spec(post_only, obj("volunteer_call"), ONE, post=True),
    "volunteers_portal:profile": Spec(signed(), post=True),
    "volunteers_portal:mine": Spec(signed()),
    # The matrix's roles have no volunteer profile: no record of theirs exists.
    "volunteers_portal:record": Spec(signed(frozenset()), constant(year=2025), download=True),
    "volunteers_portal:verify": Spec(public, obj("volunteer_record", "code", "code"), ONE),
    # --- programmes (programmes) ---
    "programmes:list": Spec(public),
    "programmes:detail": Spec(public, PROGRAMME),
    "events:programme_list": Spec(signed()),
    "events:programme_detail": Spec(signed(), PROGRAMME),
    "events:programme_join": Spec(post_only, PROGRAMME, post=True),
    "events:programme_leave": Spec(
        post_only, programme_child("programme_membership", "membership"), ONE, post=True
    ),
    "events:programme_partners": Spec(signed(frozenset({"admin"})), PROGRAMME, post=True),
    "events:programme_partner_remove": Spec(
        post_only, programme_child("programme_partner", "partner"), ONE, post=True
    ),
    # --- learning (learning) ---
    "learning:home": Spec(signed()),
    "learning:courses": Spec(signed(REGISTER)),
    "learning:course_new": Spec(signed(STAFF), post=True),
    "learning:course": Spec(learning_provider(), obj("learning_course"), PAV_ALM),
    "learning:course_edit": Spec(
        learning_provider(STAFF), obj("learning_course"), PAV_ALM, post=True
    ),
    "learning:module_new": Spec(
        learning_provider(STAFF), obj("learning_course"), PAV_ALM, post=True
    ),
    "learning:module_edit": Spec(
        learning_provider(STAFF), obj("learning_module"), PAV_ALM, post=True
    ),
    "learning:module_delete": Spec(post_only, obj("learning_module"), ONE, post=True),
    "learning:cohort_new": Spec(
        learning_provider(STAFF), obj("learning_course"), PAV_ALM, post=True
    ),
    "learning:cohort": Spec(learning_provider(), obj("learning_cohort"), PAV_ALM),
    "learning:cohort_edit": Spec(
        learning_provider(STAFF), obj("learning_cohort"), PAV_ALM, post=True
    ),
    "learning:cohort_status": Spec(post_only, obj("learning_cohort"), ONE, post=True),
    "learning:sessions": Spec(learning_provider(), obj("learning_cohort"), PAV_ALM, post=True),
    "learning:attendance": Spec(
        learning_provider(STAFF), obj("learning_session"), PAV_ALM, post=True
    ),
    "learning:results": Spec(learning_provider(STAFF), obj("learning_cohort"), PAV_ALM, post=True),
    "learning:complete": Spec(post_only, obj("learning_cohort"), ONE, post=True),
    # Any staff member nominates the people of their bodies to any cohort taking nominations.
    "learning:nominate": Spec(signed(STAFF), obj("learning_cohort"), PAV_ALM, post=True),
    "learning:nominations": Spec(signed(STAFF)),
    "learning:enrolment": Spec(learning_trainee, obj("learning_enrolment"), PAV_ALM),
    "learning:enrolment_withdraw": Spec(post_only, obj("learning_enrolment"), ONE, post=True),
    "learning:certificate_pdf": Spec(
        learning_trainee, obj("learning_certificate"), PAV_ALM, download=True
    ),
    "learning:certificate_revoke": Spec(
        learning_revoke, obj("learning_certificate"), PAV_ALM, post=True
    ),
    "learning:needs": Spec(signed()),
    "learning:overdue": Spec(signed(REGISTER)),
    "learning:rules": Spec(signed()),
    "learning:rule_new": Spec(signed(frozenset({"admin"})), post=True),
    "learning:rule_edit": Spec(signed(frozenset({"admin"})), obj("learning_rule"), ONE, post=True),
    "learning_portal:courses": Spec(public),
    "learning_portal:course": Spec(public, obj("learning_course"), PAV_ALM),
    "learning_portal:check": Spec(public, post=True),
    "learning_portal:verify": Spec(
        public, obj("learning_certificate", "code", "code"), PAV_ALM, capability=True
    ),
    # --- diplomacy (diplomacy) ---
    "diplomacy:requests": Spec(signed(DIPLOMACY_READERS)),
    "diplomacy:request_new": Spec(signed(STAFF), post=True),
    "diplomacy:request": Spec(diplomacy_scoped(), obj("diplomacy_request"), PAV_ALM),
    "diplomacy:request_edit": Spec(
        diplomacy_scoped(STAFF), obj("diplomacy_request"), PAV_ALM, post=True
    ),
    "diplomacy:request_take_on": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:request_answer": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:request_close": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:request_decline": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:request_people": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:request_bodies": Spec(post_only, obj("diplomacy_request"), ONE, post=True),
    "diplomacy:visits": Spec(signed(DIPLOMACY_READERS)),
    "diplomacy:visit_new": Spec(signed(STAFF), post=True),
    "diplomacy:visit": Spec(diplomacy_scoped(), obj("diplomacy_visit"), PAV_ALM),
    "diplomacy:visit_edit": Spec(
        diplomacy_scoped(STAFF), obj("diplomacy_visit"), PAV_ALM, post=True
    ),
    "diplomacy:visit_held": Spec(post_only, obj("diplomacy_visit"), ONE, post=True),
    "diplomacy:visit_cancel": Spec(post_only, obj("diplomacy_visit"), ONE, post=True),
    "diplomacy:visit_events": Spec(post_only, obj("diplomacy_visit"), ONE, post=True),
    "diplomacy:ambassadors": Spec(signed(DIPLOMACY_READERS)),
    "diplomacy:ambassador_new": Spec(signed(STAFF), post=True),
    "diplomacy:ambassador": Spec(diplomacy_scoped(), obj("diplomacy_ambassador"), PAV_ALM),
    "diplomacy:ambassador_edit": Spec(
        diplomacy_scoped(STAFF), obj("diplomacy_ambassador"), PAV_ALM, post=True
    ),
    "diplomacy:activity_add": Spec(post_only, obj("diplomacy_ambassador"), ONE, post=True),
    "diplomacy:activity_remove": Spec(post_only, diplomacy_activity, ONE, post=True),
    "diplomacy_portal:index": Spec(public),
    "diplomacy_portal:request": Spec(public, post=True),
    # Without a request just sent in this session: back to the form.
    "diplomacy_portal:received": Spec(status(302)),
    "diplomacy_portal:status": Spec(
        public, obj("diplomacy_request", "token", "token"), PAV_ALM, capability=True
    ),
    # --- deputies (deputies) ---
    "deputies:initiatives": Spec(signed(REGISTER)),
    # A chooser of the raising bodies of one's scope (empty for most staff): staff only.
    "deputies:initiative_choose": Spec(signed(STAFF)),
    "deputies:initiative_create": Spec(
        deputies_scoped(STAFF), body("body", DEPUTIES_HOME), PAV_ALM, post=True
    ),
    "deputies:initiative": Spec(deputies_scoped(REGISTER), obj("initiative"), PAV_ALM),
    "deputies:initiative_edit": Spec(deputies_scoped(STAFF), obj("initiative"), PAV_ALM, post=True),
    **{
        f"deputies:initiative_{name}": Spec(post_only, obj("initiative"), ONE, post=True)
        for name in ("stage", "result", "link")
    },
    "deputies:initiative_unlink": Spec(
        post_only, with_child("initiative", "initiative_link", "link"), ONE, post=True
    ),
    "deputies_portal:initiatives": Spec(public),
    "deputies_portal:initiative": Spec(
        deputies_public, obj("initiative_public", "number", "number"), ("pav", "draft")
    ),
    # --- figures (figures) ---
    # The Assembly's figures of the year: aggregates, staff in the region of their grants.
    "reports:interview": Spec(signed()),
    "reports_portal:interview": Spec(public),
}

# The admin: national administrators only (``BirlikAdminSite.has_permission``); confidential
# kinds are not registered in it. Its patterns are checked generically, one object per model.
ADMIN_FIXED = {
    "admin:view_on_site": None,  # filled from the registry's content type below
    "admin:app_list": {"app_label": "registry"},
    "admin:auth_user_password_change": None,
    "admin:otp_totp_totpdevice_config": {"pk": 1},
    "admin:otp_totp_totpdevice_qrcode": {"pk": 1},
}
# Unnamed admin patterns: a path for each (relative to /<lang>/admin/).
ADMIN_UNNAMED = {
    "(?P<url>.*)$": "no-such-page/",
    "registry/organisation/move/": "registry/organisation/move/",
    "registry/organisation/children/<str:parent_id>/": "registry/organisation/children/{root}/",
}


# --- The URL configuration, walked -----------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced name, or the route when the pattern has no name
    route: str  # the route without the language prefix
    name: str


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            route = str(item.pattern)
            # i18n_patterns: the language prefix is not part of the route we key on.
            route = "" if route.rstrip("/") in {"kk", "ru", "en"} else route
            yield from _walk(item, prefix + route, inner)
        else:
            assert isinstance(item, URLPattern)
            route = prefix + str(item.pattern)
            name = f"{namespace}:{item.name}" if namespace and item.name else (item.name or "")
            yield Pattern(key=name or route, route=route, name=name)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver(), "", ""))


def is_admin(pattern: Pattern) -> bool:
    return pattern.route.startswith("admin/")


def test_every_pattern_has_a_spec(db):
    """A new URL pattern must be given its expected answers here before it ships."""
    missing = [p.key for p in all_patterns() if not is_admin(p) and p.key not in SPECS]
    assert missing == [], f"URL patterns without an entry in SPECS: {missing}"
    stale = set(SPECS) - {p.key for p in all_patterns()}
    assert stale == set(), f"SPECS entries for patterns that no longer exist: {sorted(stale)}"


# --- Cases ------------------------------------------------------------------------------------


def _admin_url(world: World, pattern: Pattern) -> str:
    from django.contrib.contenttypes.models import ContentType

    from birlik.registry.models import Organisation

    root = world.bodies["root"].pk
    if not pattern.name:
        tail = pattern.route.removeprefix("admin/")
        if tail in ADMIN_UNNAMED:
            return "/kk/admin/" + ADMIN_UNNAMED[tail].format(root=root)
        # "<model>/<path:object_id>/": the old change URL, redirected to the new one.
        return "/kk/admin/" + tail.replace("<path:object_id>", str(root))
    short = pattern.name.removeprefix("admin:")
    if pattern.name == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(Organisation).pk
        return reverse(pattern.name, kwargs={"content_type_id": ct, "object_id": root})
    if pattern.name == "admin:auth_user_password_change":
        return reverse(pattern.name, kwargs={"id": world.users["staff_house"].pk})
    if pattern.name in ADMIN_FIXED:
        return reverse(pattern.name, kwargs=ADMIN_FIXED[pattern.name])
    if "<path:object_id>" in pattern.route:
        app, model = short.split("_", 1)[0], short.split("_", 1)[1].rsplit("_", 1)[0]
        return reverse(pattern.name, kwargs={"object_id": _admin_object(app, model, world)})
    return reverse(pattern.name)


def _admin_object(app: str, model: str, world: World) -> Any:
    from django.apps import apps

    for candidate in apps.get_models():
        meta = candidate._meta
        if meta.app_label.replace("-", "_") == app and meta.model_name == model:
            first = candidate._default_manager.order_by("pk").first()
            return first.pk if first is not None else 1
    # django_tasks_database and other labels with an underscore
    for candidate in apps.get_models():
        meta = candidate._meta
        if f"{meta.app_label}_{meta.model_name}".endswith(model) and meta.model_name == model:
            first = candidate._default_manager.order_by("pk").first()
            return first.pk if first is not None else 1
    return 1


def _cases() -> Iterator[Any]:
    for pattern in all_patterns():
        if is_admin(pattern):
            for role in ROLES:
                yield pytest.param(pattern, "-", role, id=f"{pattern.key}|-|{role}")
            continue
        spec = SPECS.get(pattern.key)
        if spec is None:
            continue
        for variant in spec.variants:
            for role in ROLES:
                marks = []
                reason = spec.xfail.get((role, variant)) or spec.xfail.get((role, "*"))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                yield pytest.param(
                    pattern, variant, role, id=f"{pattern.key}|{variant}|{role}", marks=marks
                )


def _post_cases() -> Iterator[Any]:
    for pattern in all_patterns():
        spec = SPECS.get(pattern.key)
        if spec is None or not spec.post:
            continue
        for role in ROLES:
            yield pytest.param(pattern, role, id=f"{pattern.key}|{spec.variants[0]}|{role}")


def url_of(world: World, pattern: Pattern, variant: str) -> str:
    if is_admin(pattern):
        return _admin_url(world, pattern)
    if pattern.key == "api/^":
        return "/api/no-such-thing"
    spec = SPECS[pattern.key]
    return reverse(pattern.name, kwargs=spec.fill(world, variant))


def client_for(world: World, role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _body(response: Any) -> bytes:
    """The whole body. The test client closes the response itself (after the last chunk of a
    streamed one): closing it again would send ``request_finished`` to Django's connection
    handling, which drops a connection held in a transaction (on PostgreSQL)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _own_markers(pattern: Pattern, variant: str) -> set[str]:
    from .world import APPEAL_TEXT, APPLICANT

    if variant not in APPLICANT:
        return set()
    return {APPLICANT[variant], APPEAL_TEXT[variant]}


def assert_no_leak(world: World, role: str, text: str, *, allowed: set[str] = frozenset()):
    leaked = [
        marker
        for marker, entitled in world.entitled.items()
        if role not in entitled and marker not in allowed and marker in text
    ]
    assert leaked == [], f"{role} reads confidential data not addressed to them: {leaked}"


def _shown(expected: Any) -> str:
    return LOGIN if expected == LOGIN else str(sorted(expected))


def _matches(response: Any, expected: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/account/login/" in response["Location"]
    return response.status_code in expected


@pytest.mark.parametrize(("pattern", "variant", "role"), list(_cases()))
def test_matrix(world, db, pattern, variant, role):
    url = url_of(world, pattern, variant)
    if is_admin(pattern):
        spec = Spec(admin_site)
        expected = admin_site(world, role, variant)
        if role == "admin" and pattern.name != "admin:index":
            # The admin itself decides (read-only models refuse add/delete); never an error.
            expected = frozenset({200, 302, 400, 403, 404, 405})
        if pattern.name == "admin:javascript-catalog":
            expected = OK  # treebeard's JavaScript translations: public text
    else:
        spec = SPECS[pattern.key]
        expected = spec.expect(world, role, variant)
    client = client_for(world, role)
    response = client.get(url)
    body = _body(response)
    assert _matches(response, expected), (
        f"GET {url} as {role}: {response.status_code}, expected {_shown(expected)}"
    )
    if response.status_code == 200 and not spec.download:
        text = body.decode("utf-8", errors="replace")
        assert "Traceback (most recent call last)" not in text
        allowed = _own_markers(pattern, variant) if spec.capability else set()
        assert_no_leak(world, role, text, allowed=allowed)
        if spec.shows and role in entitled_on(world, spec.shows, variant):
            marker = marker_of(spec.shows, variant)
            assert marker in text, f"{role} is named on {url} but does not see {marker}"


@pytest.mark.parametrize(("pattern", "role"), list(_post_cases()))
def test_post_without_csrf_token_is_refused(world, db, pattern, role):
    spec = SPECS[pattern.key]
    url = url_of(world, pattern, spec.variants[0])
    client = client_for(world, role, enforce_csrf_checks=True)
    response = client.post(url, {"x": "1"})
    _body(response)
    expected: Any = frozenset({401}) if spec.csrf_exempt else frozenset({403})
    if spec.upload and role == ANON:
        expected = LOGIN
    assert _matches(response, expected), f"POST {url} as {role}: {response.status_code}"


# --- Valid POSTs from users who may not act on the record: refused, nothing changed --------------


@dataclass(frozen=True)
class Attempt:
    name: str
    role: str
    kind: str
    variant: str
    data: dict[str, Any]
    kwargs: Callable[[Any], dict[str, Any]] = lambda item: {"pk": item.pk}
    fields: tuple[str, ...] = ("status",)


TODAY = "2026-01-15"
ATTEMPTS = (
    Attempt("events:cancel", "coordinator_pavlodar", "event", "alm", {"reason": "Өтпейді"}),
    Attempt("events:cancel", "staff_elders", "event", "pav", {"reason": "Өтпейді"}),
    Attempt(
        "workspace:body_edit",
        "coordinator_pavlodar",
        "body",
        "alm",
        {"name_kk": "Өзгертілген", "name_ru": "Изменено", "name_en": "Changed"},
        fields=("name_kk", "name_en"),
    ),
    Attempt(
        "workspace:membership_end",
        "staff_house",
        "membership",
        "alm",
        {"end_date": TODAY},
        fields=("end_date",),
    ),
    Attempt(
        "access:grant_revoke",
        "coordinator_pavlodar",
        "grant",
        "alm",
        {},
        fields=("revoked_at",),
    ),
    Attempt(
        "api_tokens:revoke", "coordinator_pavlodar", "api_token", "alm", {}, fields=("revoked_at",)
    ),
    Attempt("appeals:close", "staff_house", "appeal", "alm", {"reason": "Жауап берілді"}),
    Attempt("appeals:close", "staff_house", "appeal", "pav_other", {"reason": "Жауап берілді"}),
    Attempt("appeals:close", "admin", "appeal", "pav_other", {"reason": "Жауап берілді"}),
    Attempt(
        "mediation:close",
        "centre_head",
        "mediation_case",
        "alm",
        {"outcome": "agreement", "closed_on": TODAY},
    ),
    Attempt(
        "mediation:close",
        "admin",
        "mediation_case",
        "pav",
        {"outcome": "agreement", "closed_on": TODAY},
    ),
    Attempt(
        "mediation:close",
        "mediator",
        "mediation_case",
        "pav_other",
        {"outcome": "agreement", "closed_on": TODAY},
    ),
    Attempt(
        "charity:action",
        "charity_head",
        "help_request",
        "alm",
        {},
        kwargs=lambda item: {"pk": item.pk, "action": "deliver"},
    ),
    Attempt(
        "charity:action",
        "caseworker",
        "help_request",
        "pav_other",
        {},
        kwargs=lambda item: {"pk": item.pk, "action": "deliver"},
    ),
    Attempt(
        "charity:action",
        "admin",
        "help_request",
        "pav",
        {},
        kwargs=lambda item: {"pk": item.pk, "action": "deliver"},
    ),
    Attempt(
        "charity:donation_cancel",
        "caseworker",
        "donation",
        "alm",
        {"reason": "Қате жазылған"},
        fields=("cancelled_at",),
    ),
)


@pytest.mark.parametrize(
    "attempt", ATTEMPTS, ids=[f"{a.name}|{a.variant}|{a.role}" for a in ATTEMPTS]
)
def test_a_valid_post_out_of_scope_is_refused_and_changes_nothing(world, db, attempt):
    item = world.objects[attempt.kind][attempt.variant]
    before = {name: getattr(type(item).objects.get(pk=item.pk), name) for name in attempt.fields}
    client = client_for(world, attempt.role)

    response = client.post(reverse(attempt.name, kwargs=attempt.kwargs(item)), attempt.data)

    _body(response)
    assert response.status_code in DENY, f"{attempt}: {response.status_code}"
    after = {name: getattr(type(item).objects.get(pk=item.pk), name) for name in attempt.fields}
    assert after == before
