"""The layers of the code (``.importlinter`` at the repository root): UI apps > reports > domain
apps > notify > registry, access > geo > core. A module imports only from the layers below it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    import grimp
    from importlinter import api
    from importlinter.configuration import configure
    from importlinter.contracts.layers import LayersContract
except ImportError:  # a developer's venv without the test extras; CI always has them
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("import-linter is not installed", allow_module_level=True)

CONFIG = Path(__file__).resolve().parent.parent / ".importlinter"


@pytest.fixture(scope="module")
def contract() -> LayersContract:
    configure()
    config = api.read_configuration(config_filename=str(CONFIG))
    [options] = config["contracts_options"]
    return LayersContract(
        name=options["name"],
        session_options=config["session_options"],
        contract_options=options,
    )


@pytest.fixture
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("birlik", cache_dir=None)


def test_the_code_keeps_its_layers(contract, graph):
    check = contract.check(graph, verbose=False)
    assert check.kept, "\n".join(
        f"{item['importer']} -> {item['imported']}"
        for dependency in check.metadata.get("invalid_dependencies", [])
        for route in dependency["routes"]
        for item in route["chain"]
    )


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("birlik.events.views", "birlik.workspace.views"),  # a domain app reaching the UI
        ("birlik.charity.forms", "birlik.workspace.forms"),
        ("birlik.appeals.services", "birlik.reports.queries"),
        ("birlik.reports.charts", "birlik.portal.views"),
        ("birlik.notify.services", "birlik.events.models"),
        ("birlik.registry.models", "birlik.charity.models"),
        ("birlik.geo.models", "birlik.registry.models"),
        ("birlik.core.kpi", "birlik.geo.models"),
        ("birlik.api.public", "birlik.portal.views"),  # UI apps do not import each other
        ("birlik.events.services", "birlik.charity.services"),  # nor do domain apps
    ],
)
def test_an_import_across_the_layers_breaks_the_contract(contract, graph, importer, imported):
    graph.add_import(importer=importer, imported=imported)
    assert not contract.check(graph, verbose=False).kept
