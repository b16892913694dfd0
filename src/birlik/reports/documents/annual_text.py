"""What the annual report says: the year at a glance against the year before and the plan, a
paragraph, a table and charts per direction, and the regions (or a region's districts) side by
side.

Every number is read from the dashboard's figures (``queries.year_figures``, that is
``reports.queries.dashboard_figures``), the plan's progress (``reports.queries.plan_progress``)
and the plan page's breakdowns (``actual_by_region``, ``actual_by_district``); nothing here asks
the database for a figure of its own. Numbers are written as the UI writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.numbers import format_percent, get_minus_sign_symbol, get_plus_sign_symbol
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from birlik.core import kpi
from birlik.core.templatetags.birlik_format import LOCALES, long_date, money, number
from birlik.mediation.models import MediationCase

if TYPE_CHECKING:
    from .annual import ReportContent

COUNT, PERCENT, MONEY, DAYS = "count", "percent", "money", "days"
# Closed mediation cases that ended in an agreement, in full or in part: the rows of
# ``mediation.closed`` with a settled outcome (the numerator of ``mediation.settled_share``).
SETTLED = "mediation.settled"
# The journalists' club's output (``monitoring.club_publications``) and its rows of each kind
# of publication, by the codes of ``monitoring.models.ClubPublication.Kind``.
CLUB = "monitoring.club_publications"
CLUB_KINDS = ("publication", "tv", "social")

Chart = tuple[str, str, bool]  # title, SVG, whether it is the map


# --- Writing numbers -----------------------------------------------------------------------------


def _locale() -> str:
    return LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")


def count_text(value: float | None) -> str:
    """A count or an amount as the UI writes it: «1 234», «12,5»; "–" when there is none."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return number(int(value))
    return number(round(float(value), 1))


def percent_text(value: float | None) -> str:
    """A percentage (84.5 → «84,5%» kk, «84,5 %» ru) with the locale's own pattern."""
    if value is None:
        return "–"
    share = Decimal(str(round(float(value), 1))) / 100
    return str(format_percent(share, locale=_locale(), decimal_quantization=False))


def money_text(value: float | None) -> str:
    """An amount in whole tenge as the UI writes it: «12 500 ₸», "₸12,500"."""
    if value is None:
        return "–"
    return money(round(float(value)))


def value_text(value: float | None, kind: str) -> str:
    if kind == PERCENT:
        return percent_text(value)
    if kind == MONEY:
        return money_text(value)
    return count_text(value)


def _signed(delta: float, text: str) -> str:
    if delta > 0:
        return f"{get_plus_sign_symbol(_locale())}{text}"
    if delta < 0:
        return f"{get_minus_sign_symbol(_locale())}{text}"
    return text


def change_text(value: float | None, previous: float | None, kind: str) -> str:
    """The change against the year before: «+12 %» of a count or an amount, «+3,2 п. п.» of a
    share; "–" when either year has no figure or the year before had none to compare with."""
    if value is None or previous is None:
        return "–"
    if kind == PERCENT:
        delta = round(float(value) - float(previous), 1)
        return _signed(
            delta,
            pgettext("change of a percentage", "%(points)s pp")
            % {"points": count_text(abs(delta))},
        )
    if not previous:
        return "–"
    change = 100 * (float(value) - float(previous)) / float(previous)
    change = round(change) if abs(change) >= 10 else round(change, 1)
    return _signed(change, percent_text(abs(change)))


# --- Measures: one figure of the year, the year before and the plan ------------------------------


@dataclass(frozen=True)
class Spec:
    """A figure the report states: its indicator, how a reader calls it, how it is written, and
    other indicators a plan may set the same figure by (they have the same total)."""

    key: str
    label: str | Promise | None = None  # None: the indicator's own name
    kind: str = COUNT
    plan_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str
    value: float | None
    previous: float | None
    target: float | None = None
    share: float | None = None  # the value as a percentage of the target

    @property
    def value_text(self) -> str:
        return value_text(self.value, self.kind)

    @property
    def previous_text(self) -> str:
        return value_text(self.previous, self.kind)

    @property
    def change_text(self) -> str:
        return change_text(self.value, self.previous, self.kind)

    @property
    def plan_text(self) -> str:
        """«10 000, 96% done»; "" without a target in the approved plan."""
        if self.target is None:
            return ""
        target = value_text(self.target, self.kind)
        if self.share is None:
            return target
        return _("%(target)s, %(share)s done") % {
            "target": target,
            "share": percent_text(self.share),
        }


def totals(dashboard: dict[str, Any]) -> dict[str, float | None]:
    """Each indicator's total as the dashboard shows it, and the mediation cases settled."""
    result: dict[str, float | None] = {
        figure["key"]: figure["total"] for figure in dashboard.get("indicators", [])
    }
    closed = figure_of(dashboard, "mediation.closed")
    if closed is not None:
        result[SETTLED] = sum(
            row["value"]
            for row in closed["rows"]
            if row.get("mediation_outcome") in MediationCase.SETTLED
        )
    club = figure_of(dashboard, CLUB)
    if club is not None:
        for code in CLUB_KINDS:
            result[f"{CLUB}.{code}"] = sum(
                row["value"] for row in club["rows"] if row.get("club_kind") == code
            )
    return result


def figure_of(dashboard: dict[str, Any], key: str) -> dict[str, Any] | None:
    for figure in dashboard.get("indicators", []):
        if figure["key"] == key:
            return figure  # type: ignore[no-any-return]
    return None


def plan_targets(progress: list[dict[str, Any]]) -> dict[str, tuple[float | None, float | None]]:
    """(target, share done) per indicator of the plan, for every kind of body together."""
    return {
        entry["key"]: (entry["target"], entry["share"])
        for entry in progress
        if entry["kind"] is None and entry["target"] is not None
    }


def measure(spec: Spec, content: ReportContent) -> Measure:
    target: float | None = None
    share: float | None = None
    for key in (spec.key, *spec.plan_keys):
        if key in content.targets:
            target, share = content.targets[key]
            break
    figure = figure_of(content.main.dashboard, spec.key)
    label = spec.label or (figure["name"] if figure is not None else spec.key)
    return Measure(
        key=spec.key,
        label=str(label),
        kind=spec.kind,
        value=content.totals.get(spec.key),
        previous=content.previous_totals.get(spec.key),
        target=target,
        share=share,
    )


EVENTS_PLANS = ("events.events_by_region", "events.events_cube")
PARTICIPANTS_PLANS = ("events.participants_by_region", "events.participants_cube")
APPEALS_PLANS = ("appeals.received", "appeals.received_by_region", "appeals.received_cube")

# Each figure of the report once; the year at a glance and the sections pick from them.
EVENTS_HELD = Spec("events.events", gettext_lazy("Events held"), plan_keys=EVENTS_PLANS)
PARTICIPANTS = Spec(
    "events.participants", gettext_lazy("Participants"), plan_keys=PARTICIPANTS_PLANS
)
UNIQUE_PARTICIPANTS = Spec("events.participants_unique")
APPEALS_RECEIVED = Spec(
    "appeals.received_by_body", gettext_lazy("Appeals received"), plan_keys=APPEALS_PLANS
)
ON_TIME = Spec("appeals.answered_on_time")
ON_TIME_SHARE = Spec("appeals.answered_on_time_share", kind=PERCENT)
MEDIATION_RECEIVED = Spec("mediation.received")
MEDIATION_SETTLED = Spec(SETTLED, gettext_lazy("Mediation cases settled"))
CHARITY_PROJECTS = Spec("charity.projects", gettext_lazy("Charity projects started"))
MONEY_RAISED = Spec("charity.money_raised", kind=MONEY)
BODIES = Spec(
    "registry.bodies",
    gettext_lazy("Bodies of the Assembly"),
    plan_keys=("registry.bodies_by_region",),
)
MEMBERS = Spec(
    "registry.members",
    pgettext_lazy("figure of the annual report", "Members"),
    plan_keys=("registry.members_by_region",),
)

CLUB_OUTPUT = Spec(CLUB, gettext_lazy("Publications, TV stories and posts of the club"))
CLUB_PUBLICATIONS = Spec(f"{CLUB}.publication", gettext_lazy("Publications of the club"))
CLUB_TV = Spec(f"{CLUB}.tv", gettext_lazy("TV stories of the club"))
CLUB_POSTS = Spec(f"{CLUB}.social", gettext_lazy("Social-media posts of the club"))

# The year at a glance, in this order.
HEADLINE = (
    EVENTS_HELD,
    PARTICIPANTS,
    UNIQUE_PARTICIPANTS,
    APPEALS_RECEIVED,
    ON_TIME,
    ON_TIME_SHARE,
    MEDIATION_RECEIVED,
    MEDIATION_SETTLED,
    CHARITY_PROJECTS,
    MONEY_RAISED,
    BODIES,
    MEMBERS,
)


# --- Directions ----------------------------------------------------------------------------------


@dataclass
class Direction:
    """One direction of the Assembly's work: its section of the report."""

    code: str
    title: str
    summary: list[str]  # the sentences of the year at a glance
    details: list[str] = field(default_factory=list)  # the sentences its section adds
    measures: list[Measure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.summary + self.details)

    @property
    def summary_text(self) -> str:
        return " ".join(self.summary)


DIRECTION_MEASURES: dict[str, tuple[Spec, ...]] = {
    "registry": (BODIES, MEMBERS),
    "events": (EVENTS_HELD, PARTICIPANTS, UNIQUE_PARTICIPANTS),
    "appeals": (
        APPEALS_RECEIVED,
        ON_TIME,
        Spec("appeals.answered_late"),
        Spec("appeals.overdue"),
        ON_TIME_SHARE,
        Spec("appeals.proposals_sent"),
        Spec("appeals.proposals_taken"),
    ),
    "mediation": (
        MEDIATION_RECEIVED,
        Spec("mediation.closed", gettext_lazy("Mediation cases closed")),
        MEDIATION_SETTLED,
        Spec("mediation.settled_share", kind=PERCENT),
        Spec(
            "mediation.duration", gettext_lazy("Average duration of a mediation, days"), kind=DAYS
        ),
    ),
    "charity": (
        CHARITY_PROJECTS,
        Spec("charity.project_budgets", kind=MONEY),
        MONEY_RAISED,
        Spec("charity.in_kind_raised", kind=MONEY),
        Spec("charity.money_distributed", kind=MONEY),
        Spec("charity.in_kind_distributed", kind=MONEY),
        Spec("charity.beneficiaries"),
        Spec("charity.requests_received"),
        Spec("charity.requests_delivered"),
    ),
    "club": (CLUB_OUTPUT, CLUB_PUBLICATIONS, CLUB_TV, CLUB_POSTS),
}


def _int(value: float | None) -> int:
    return round(value) if value is not None else 0


def _registry_text(content: ReportContent) -> list[str]:
    bodies, members = content.totals.get("registry.bodies"), content.totals.get("registry.members")
    return [
        ngettext(
            "On %(date)s the Assembly's network had %(count)s body.",
            "On %(date)s the Assembly's network had %(count)s bodies.",
            _int(bodies),
        )
        % {"date": long_date(content.as_of), "count": count_text(bodies or 0)},
        ngettext("They had %(count)s member.", "They had %(count)s members.", _int(members))
        % {"count": count_text(members or 0)},
    ]


def _events_text(content: ReportContent) -> tuple[list[str], list[str]]:
    events = content.totals.get("events.events") or 0
    participants = content.totals.get("events.participants") or 0
    unique = content.totals.get("events.participants_unique") or 0
    summary = [
        ngettext(
            "In %(year)s the bodies of the Assembly held %(count)s event.",
            "In %(year)s the bodies of the Assembly held %(count)s events.",
            _int(events),
        )
        % {"year": content.year, "count": count_text(events)}
    ]
    if events:
        summary.append(
            ngettext(
                "They gathered %(count)s participant.",
                "They gathered %(count)s participants.",
                _int(participants),
            )
            % {"count": count_text(participants)}
        )
    details = []
    if unique:
        details.append(
            ngettext(
                "%(count)s participant was identified by name and counted once, however many "
                "events they attended.",
                "%(count)s participants were identified by name and counted once, however many "
                "events they attended.",
                _int(unique),
            )
            % {"count": count_text(unique)}
        )
    cube = content.main.dashboard.get("cubes", {}).get("events.events_cube")
    busiest = max(cube["by_region"], key=lambda item: item[2]) if cube else None
    if content.main.region is None and busiest is not None and busiest[2]:
        _iso, name, value = busiest
        details.append(
            _("The most events were held in %(region)s (%(count)s).")
            % {"region": name, "count": count_text(value)}
        )
    return summary, details


def _appeals_text(content: ReportContent) -> tuple[list[str], list[str]]:
    get = content.totals.get
    received = get("appeals.received_by_body") or 0
    on_time, share = get("appeals.answered_on_time") or 0, get("appeals.answered_on_time_share")
    summary = [
        ngettext(
            "In %(year)s the bodies received %(count)s appeal.",
            "In %(year)s the bodies received %(count)s appeals.",
            _int(received),
        )
        % {"year": content.year, "count": count_text(received)}
    ]
    if received and share is not None:
        summary.append(
            ngettext(
                "%(count)s of them was answered on time: %(share)s of the answers given.",
                "%(count)s of them were answered on time: %(share)s of the answers given.",
                _int(on_time),
            )
            % {"count": count_text(on_time), "share": percent_text(share)}
        )
    elif received:
        summary.append(
            _("No appeal received in %(year)s has been answered yet.") % {"year": content.year}
        )
    details = []
    late, overdue = get("appeals.answered_late") or 0, get("appeals.overdue") or 0
    if late:
        details.append(
            ngettext("%(count)s was answered late.", "%(count)s were answered late.", _int(late))
            % {"count": count_text(late)}
        )
    if overdue:
        details.append(
            ngettext(
                "%(count)s appeal is past its term and still without an answer today.",
                "%(count)s appeals are past their term and still without an answer today.",
                _int(overdue),
            )
            % {"count": count_text(overdue)}
        )
    sent = get("appeals.proposals_sent") or 0
    if sent:
        details.append(
            ngettext(
                "%(count)s proposal was sent to state bodies: %(answered)s answered, %(taken)s "
                "taken into account.",
                "%(count)s proposals were sent to state bodies: %(answered)s answered, "
                "%(taken)s taken into account.",
                _int(sent),
            )
            % {
                "count": count_text(sent),
                "answered": count_text(get("appeals.proposals_answered") or 0),
                "taken": count_text(get("appeals.proposals_taken") or 0),
            }
        )
    return summary, details


def _mediation_text(content: ReportContent) -> tuple[list[str], list[str]]:
    get = content.totals.get
    received, closed = get("mediation.received") or 0, get("mediation.closed") or 0
    if not received and not closed:
        return [
            _("No mediation case was received or closed in %(year)s.") % {"year": content.year}
        ], []
    summary = [
        ngettext(
            "Mediation centres and councils received %(count)s case.",
            "Mediation centres and councils received %(count)s cases.",
            _int(received),
        )
        % {"count": count_text(received)}
    ]
    if closed:
        summary.append(
            ngettext(
                "%(count)s case was closed; %(settled)s of them ended in an agreement in full or "
                "in part (%(share)s).",
                "%(count)s cases were closed; %(settled)s of them ended in an agreement in full "
                "or in part (%(share)s).",
                _int(closed),
            )
            % {
                "count": count_text(closed),
                "settled": count_text(get(SETTLED) or 0),
                "share": percent_text(get("mediation.settled_share")),
            }
        )
    details = []
    duration = get("mediation.duration")
    if duration is not None and closed:
        details.append(
            _("On average a mediation lasted %(days)s days.") % {"days": count_text(duration)}
        )
    return summary, details


def _charity_text(content: ReportContent) -> tuple[list[str], list[str]]:
    get = content.totals.get
    projects = get("charity.projects") or 0
    raised = (get("charity.money_raised") or 0) + (get("charity.in_kind_raised") or 0)
    helped = get("charity.beneficiaries") or 0
    received = get("charity.requests_received") or 0
    if not projects and not raised and not helped and not received:
        return [
            _("No charity project was started and no help was recorded in %(year)s.")
            % {"year": content.year}
        ], []
    summary = [
        ngettext(
            "The Zhomart Zhan charity centres started %(count)s project with a budget of "
            "%(budget)s tenge.",
            "The Zhomart Zhan charity centres started %(count)s projects with budgets totalling "
            "%(budget)s tenge.",
            _int(projects),
        )
        % {
            "count": count_text(projects),
            "budget": count_text(round(get("charity.project_budgets") or 0)),
        }
    ]
    summary.append(
        _(
            "They raised %(money)s tenge in money and help in kind worth %(in_kind)s tenge; "
            "%(given)s tenge in money and help in kind worth %(given_in_kind)s tenge reached the "
            "beneficiaries."
        )
        % {
            "money": count_text(round(get("charity.money_raised") or 0)),
            "in_kind": count_text(round(get("charity.in_kind_raised") or 0)),
            "given": count_text(round(get("charity.money_distributed") or 0)),
            "given_in_kind": count_text(round(get("charity.in_kind_distributed") or 0)),
        }
    )
    details = [
        ngettext(
            "%(count)s beneficiary was helped; %(received)s requests for help were received and "
            "%(delivered)s delivered.",
            "%(count)s beneficiaries were helped; %(received)s requests for help were received "
            "and %(delivered)s delivered.",
            _int(helped),
        )
        % {
            "count": count_text(helped),
            "received": count_text(received),
            "delivered": count_text(get("charity.requests_delivered") or 0),
        }
    ]
    return summary, details


def _club_text(content: ReportContent) -> tuple[list[str], list[str]]:
    get = content.totals.get
    output = get(CLUB) or 0
    if not output:
        return [
            _("No publication of the journalists' club was registered in %(year)s.")
            % {"year": content.year}
        ], []
    summary = [
        ngettext(
            "In %(year)s the members and partner media of the APK Journalists' Club released "
            "%(count)s publication, TV story or social-media post.",
            "In %(year)s the members and partner media of the APK Journalists' Club released "
            "%(count)s publications, TV stories and social-media posts.",
            _int(output),
        )
        % {"year": content.year, "count": count_text(output)},
        _(
            "Of them, %(publications)s were publications, %(tv)s TV stories and %(posts)s "
            "social-media posts."
        )
        % {
            "publications": count_text(get(f"{CLUB}.publication") or 0),
            "tv": count_text(get(f"{CLUB}.tv") or 0),
            "posts": count_text(get(f"{CLUB}.social") or 0),
        },
    ]
    details = []
    figure = figure_of(content.main.dashboard, CLUB) or {"rows": []}
    # The output about one region (rows about the whole country left aside).
    regional = {"rows": [row for row in figure["rows"] if row.get("region") != "none"]}
    by_region = _rows_by(regional, "region")
    if content.main.region is None and by_region:
        name, value = max(by_region, key=lambda pair: pair[1])
        details.append(
            _("Most of the club's output was about %(region)s (%(count)s).")
            % {"region": name, "count": count_text(value)}
        )
    details.append(_("The club's media trainings are counted with the events."))
    return summary, details


def _plan_sentences(measures: list[Measure], year: int) -> list[str]:
    return [
        _("%(figure)s: the plan for %(year)s is %(target)s, %(share)s done.")
        % {
            "figure": item.label,
            "year": year,
            "target": value_text(item.target, item.kind),
            "share": percent_text(item.share),
        }
        for item in measures
        if item.target is not None and item.share is not None
    ]


def directions(content: ReportContent, *, with_charts: bool = True) -> list[Direction]:
    """The report's sections, in order: the network, events, appeals, mediation, charity,
    the journalists' club."""
    titles = {
        "registry": _("The network of the Assembly"),
        "events": _("Events"),
        "appeals": _("Citizens' appeals and proposals"),
        "mediation": _("Mediation"),
        "charity": _("Charity"),
        "club": _("The journalists' club and the media"),
    }
    texts: dict[str, Callable[[ReportContent], tuple[list[str], list[str]]]] = {
        "registry": lambda c: (_registry_text(c), []),
        "events": _events_text,
        "appeals": _appeals_text,
        "mediation": _mediation_text,
        "charity": _charity_text,
        "club": _club_text,
    }
    result = []
    for code, specs in DIRECTION_MEASURES.items():
        if not any(spec.key in content.totals for spec in specs):
            continue  # an app that is not installed
        summary, details = texts[code](content)
        measures = [measure(spec, content) for spec in specs if spec.key in content.totals]
        result.append(
            Direction(
                code=code,
                title=titles[code],
                summary=summary,
                details=details + _plan_sentences(measures, content.year),
                measures=measures,
                charts=direction_charts(code, content) if with_charts else [],
            )
        )
    return result


# --- Charts --------------------------------------------------------------------------------------


def _rows_by(figure: dict[str, Any] | None, dimension: str) -> list[tuple[str, float]]:
    """A figure's rows summed by one dimension, named, in the order they come, none empty."""
    if figure is None:
        return []
    sums: dict[str, float] = {}
    names: dict[str, str] = {}
    for row in figure["rows"]:
        code = str(row.get(dimension))
        sums[code] = sums.get(code, 0) + float(row["value"] or 0)
        names[code] = str(row.get(f"{dimension}_name", code))
    return [(names[code], value) for code, value in sums.items() if value]


def _cube_charts(
    content: ReportContent, key: str, by_month: str, by_region: str | None = None
) -> list[Chart]:
    """The months of a dashboard cube as columns, and (national report) its map."""
    from birlik.reports import charts
    from birlik.reports.queries import month_short_label, region_names

    cube = content.main.dashboard.get("cubes", {}).get(key)
    if not cube:
        return []
    unit = cube["unit"]
    months = [
        (month_short_label(code, with_year=False), float(value or 0))
        for code, _label, value in cube["by_month"]
    ]
    result: list[Chart] = [
        (by_month, str(charts.column_chart(months, title=by_month, unit=unit)), False)
    ]
    if by_region is not None and content.main.region is None:
        values = {iso: float(value or 0) for iso, _label, value in cube["by_region"]}
        svg = charts.region_map(values, title=by_region, labels=region_names(), unit=unit)
        result.append((by_region, str(svg), True))
    return result


def _bar(content: ReportContent, key: str, dimension: str) -> list[Chart]:
    from birlik.reports import charts

    figure = figure_of(content.main.dashboard, key)
    rows = _rows_by(figure, dimension)
    if figure is None or not rows:
        return []
    title = str(figure["name"])
    return [(title, str(charts.bar_chart(rows, title=title, unit=figure["unit"])), False)]


def direction_charts(code: str, content: ReportContent) -> list[Chart]:
    """The charts printed with a direction's text (the dashboard's own where it has them)."""
    if code == "registry":
        return _bar(content, "registry.bodies", "kind")
    if code == "events":
        return _cube_charts(
            content,
            "events.events_cube",
            _("Events held by month"),
            _("Events held by region"),
        ) + _bar(content, "events.events_by_programme", "programme")
    if code == "appeals":
        return _cube_charts(
            content, "appeals.received_cube", _("Appeals received by month")
        ) + _bar(content, "appeals.received", "appeal_kind")
    if code == "mediation":
        return _bar(content, "mediation.closed", "mediation_outcome")
    if code == "charity":
        return _bar(content, "charity.projects_by_category", "charity_category")
    if code == "club":
        return _bar(content, CLUB, "club_kind")
    return []


# --- Regions (or districts) side by side ---------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Comparison:
    title: str
    intro: str
    place: str  # the heading of the first column: region or district
    columns: list[Column]
    rows: list[tuple[str, list[float | None]]]
    total: tuple[str, list[float | None]]

    def texts(self, values: list[float | None]) -> list[str]:
        return [
            value_text(value, column.kind)
            for value, column in zip(values, self.columns, strict=True)
        ]


REGION_COLUMNS = (
    ("registry.bodies", pgettext_lazy("column of the region comparison", "Bodies"), COUNT),
    ("events.events", pgettext_lazy("column of the region comparison", "Events"), COUNT),
    (
        "events.participants",
        pgettext_lazy("column of the region comparison", "Participants"),
        COUNT,
    ),
    (
        "appeals.received_by_body",
        pgettext_lazy("column of the region comparison", "Appeals"),
        COUNT,
    ),
    (
        "appeals.answered_on_time_share",
        pgettext_lazy("column of the region comparison", "Share answered on time"),
        PERCENT,
    ),
    (
        "mediation.received",
        pgettext_lazy("column of the region comparison", "Mediation cases"),
        COUNT,
    ),
    (
        "charity.projects",
        pgettext_lazy("column of the region comparison", "Charity projects"),
        COUNT,
    ),
)

DISTRICT_COLUMNS = (
    ("events.events", pgettext_lazy("column of the region comparison", "Events"), COUNT),
    (
        "events.participants",
        pgettext_lazy("column of the region comparison", "Participants"),
        COUNT,
    ),
    ("appeals.received", pgettext_lazy("column of the region comparison", "Appeals"), COUNT),
    (
        "appeals.answered_on_time",
        pgettext_lazy("column of the region comparison", "Answered on time"),
        COUNT,
    ),
)


def region_comparison(content: ReportContent) -> Comparison:
    """The 20 regions as rows and the year's key figures as columns, the country last; each
    value is the region's figure as the plan page reads it (``actual_by_region``)."""
    from birlik.geo.models import Region
    from birlik.reports.queries import actual_by_region, indicator_map

    known = indicator_map()
    period = kpi.Period.year(content.year)
    columns = [Column(key, str(label), kind) for key, label, kind in REGION_COLUMNS if key in known]
    values = {column.key: actual_by_region(column.key, period=period) for column in columns}
    rows = [
        (region.name, [values[column.key].get(region.iso) for column in columns])
        for region in Region.objects.order_by("kato")
    ]
    return Comparison(
        title=_("Regions compared"),
        intro=_("The main figures of %(year)s in each region; the country's total is the last row.")
        % {"year": content.year},
        place=pgettext("column of the region comparison", "Region"),
        columns=columns,
        rows=rows,
        total=(_("Kazakhstan"), [content.totals.get(column.key) for column in columns]),
    )


def district_comparison(content: ReportContent) -> Comparison | None:
    """A region's districts as rows (and the bodies of the whole region), from the districts'
    breakdowns of the plan page (``actual_by_district``); None when there are none."""
    from birlik.reports.queries import actual_by_district, district_names, indicator_map

    region = content.main.region
    if region is None:
        return None
    known = indicator_map()
    period = kpi.Period.year(content.year)
    columns = [
        Column(key, str(label), kind)
        for key, label, kind in DISTRICT_COLUMNS
        if key in known and f"{key}_by_district" in known
    ]
    if not columns:
        return None
    values = {
        column.key: actual_by_district(column.key, period=period, region=region)
        for column in columns
    }
    names = district_names(region)
    rows: list[tuple[str, list[float | None]]] = [
        (name, [values[column.key].get(code, 0) for column in columns])
        for code, name in names.items()
    ]
    if any(values[column.key].get("none") for column in columns):
        rows.append(
            (
                _("Bodies of the whole region"),
                [values[column.key].get("none", 0) for column in columns],
            )
        )
    return Comparison(
        title=_("Districts compared"),
        intro=_(
            "The main figures of %(year)s in each district and city of the region; the "
            "region's total is the last row."
        )
        % {"year": content.year},
        place=pgettext("column of the region comparison", "District"),
        columns=columns,
        rows=rows,
        total=(region.name, [content.totals.get(column.key) for column in columns]),
    )


# --- The programmes side by side (programmes) ----------------------------------------------------

PROGRAMME_COLUMNS = (
    ("bodies", pgettext_lazy("column of the programme table", "Bodies taking part"), COUNT),
    ("events", pgettext_lazy("column of the programme table", "Events"), COUNT),
    ("participants", pgettext_lazy("column of the programme table", "Participants"), COUNT),
    ("festivals", pgettext_lazy("column of the programme table", "Festivals"), COUNT),
    ("performances", pgettext_lazy("column of the programme table", "Performances"), COUNT),
)


def programme_comparison(content: ReportContent) -> Comparison | None:
    """The programmes as rows and their figures of the year as columns, all programmes last;
    the numbers of the programme pages (``events.programme_queries.programme_figures``). A body
    taking part in several programmes is in each of their rows: the last row leaves the bodies
    out. None when no programme has a figure."""
    from birlik.events.models import Programme
    from birlik.events.programme_queries import programme_figures, totals_by_programme

    figures = programme_figures(period=kpi.Period.year(content.year), region=content.main.region)
    totals = totals_by_programme(figures)
    totals.pop("none", None)
    programmes = [
        programme
        for programme in Programme.objects.order_by("position", "code")
        if programme.code in totals
    ]
    if not programmes:
        return None
    columns = [Column(key, str(label), kind) for key, label, kind in PROGRAMME_COLUMNS]
    rows: list[tuple[str, list[float | None]]] = [
        (programme.name, [totals[programme.code].get(column.key, 0) for column in columns])
        for programme in programmes
    ]
    total: list[float | None] = [
        None
        if column.key == "bodies"
        else sum(totals[programme.code].get(column.key, 0) for programme in programmes)
        for column in columns
    ]
    return Comparison(
        title=pgettext("programmes of the Assembly", "Programmes"),
        intro=_(
            "The figures of %(year)s of each programme: the bodies that took part in it during "
            "the year, the events held in it and their participants, its festivals and "
            "performances (concerts and stage shows). A body taking part in several programmes "
            "counts in each; the last row adds up the programmes' events."
        )
        % {"year": content.year},
        place=pgettext("column of the programme table", "Programme"),
        columns=columns,
        rows=rows,
        total=(_("All programmes"), total),
    )
