"""The one dashboard registry, the landing page generated from it, resolve_panel (what the
download handler calls) and the headline tiles."""

from __future__ import annotations

import math

import nbformat
import pytest
from test_widgets import SIZES, cleaned_frame

from sofs_lib import access, release
from sofs_lib.dashboards import apps, registry
from sofs_lib.dashboards.headline import HeadlineSpec, headline_tiles
from sofs_lib.dashboards.panels import PanelOutput
from sofs_lib.dashboards.selection import Selection, View
from sofs_lib.dashboards.spec import HIDDEN, DownloadMeta
from sofs_lib.errors import SofsInputError


def test_registry_keys_notebooks_and_factories_agree():
    keys = [d.key for d in registry.DASHBOARDS]
    assert len(keys) == len(set(keys))
    for d in registry.DASHBOARDS:
        path = registry.dashboard_paths()[d.key]
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        module, _, name = d.app.partition(":")
        assert f"from {module} import {name}" in code, d.key
        assert callable(d.factory())
        assert nb.metadata["title"] == f"{d.title} — Signs of Safety"
        assert set(d.roles) <= set(access.ROLES)


def test_the_landing_page_lists_exactly_the_registry():
    assert registry.main(["--check"]) == 0, "run: python -m sofs_lib.dashboards.registry"
    text = registry.LANDING.read_text(encoding="utf-8")
    for d in registry.DASHBOARDS:
        assert f'("{d.notebook}", "{d.title}", "{registry.landing_description(d)}")' in text
        if set(d.roles) != set(registry.ALL_ROLES):  # the one landing page says for whom
            assert "Enkel voor" in registry.landing_description(d)


def test_navigation_lists_the_dashboards_of_the_role():
    entries = registry.navigation_entries(access.PUBLIC)
    assert [k for k, _, _ in entries] == [d.key for d in registry.for_role(access.PUBLIC)]


@pytest.fixture(scope="module")
def built():
    frame = cleaned_frame(SIZES, seed=3)
    keys = [p.key for p in apps.fidelity_definition().panels]
    from sofs_lib.release.measures import MEASURES

    return release.build_release(frame, min_cell=5, measures=[MEASURES[k] for k in keys], binc=False)


@pytest.fixture()
def slices(built, monkeypatch):
    monkeypatch.setattr(release, "load_slice", lambda identity, profile=False: built.slice(identity))
    return built


def test_resolve_panel_builds_the_panel_for_the_identity_without_widgets(slices):
    agency = access.Identity("a", access.AGENCY)
    output, meta = registry.resolve_panel(
        "modelgetrouwheid", "stappen", {"organisation": "Org Aalst", "status": "closed"}, agency
    )
    assert isinstance(output, PanelOutput) and isinstance(meta, DownloadMeta)
    assert output.chart is not None and output.table is not None
    assert "Org Aalst" in output.table.frame.columns
    assert meta.dashboard == "modelgetrouwheid" and meta.panel == "stappen"
    assert meta.selection.startswith("Org Aalst") and "afgesloten" in meta.selection
    assert meta.organisation == "Org Aalst" and meta.n_text == output.n_text


def test_resolve_panel_refuses_another_organisation_and_unknown_values(slices):
    own = access.Identity("b", access.ORGANISATION, "Org Brugge")
    output, meta = registry.resolve_panel("modelgetrouwheid", "stappen", {}, own)
    assert meta.organisation == "Org Brugge"  # opens on its own figures
    with pytest.raises(SofsInputError):
        registry.resolve_panel("modelgetrouwheid", "stappen", {"organisation": "Org Aalst"}, own)
    with pytest.raises(SofsInputError):
        registry.resolve_panel("modelgetrouwheid", "stappen", {"status": "'; DROP"}, own)
    with pytest.raises(SofsInputError):
        registry.resolve_panel("modelgetrouwheid", "bestaat_niet", {}, own)
    with pytest.raises(SofsInputError):
        registry.resolve_panel("bestaat_niet", "stappen", {}, own)
    public = access.Identity("p", access.PUBLIC)
    with pytest.raises(SofsInputError):
        registry.resolve_panel("modelgetrouwheid", "stappen", {"organisation": "Org Brugge"}, public)


def _share(built_slice, org, measure, cell):
    rows = built_slice.lookup("shares", measure, org, cell)
    return float(rows["share"].iloc[0])


def test_headline_tiles_show_own_flanders_difference_direction_and_n(built):
    sl = built.slice(access.Identity("a", access.AGENCY))
    spec = HeadlineSpec("alle_stappen", "alle stappen", "closed")
    view = View(sl, Selection(organisation="Org Aalst"), 5)
    tiles = headline_tiles(view, spec)
    assert [t.role for t in tiles][:3] == ["own", "flanders", "diff"]
    assert 3 <= len(tiles) <= 5
    own = _share(sl, "Org Aalst", "alle_stappen", view.cell("closed"))
    fl = _share(sl, "__alle__", "alle_stappen", view.cell("closed"))
    if not math.isnan(own) and not math.isnan(fl):
        from sofs_lib.dashboards.sentences import pp_text

        assert tiles[2].value == pp_text(own - fl)
    trend = [t for t in tiles if t.role == "trend"]
    years = sl.levels["closing_year"]
    assert trend and trend[0].detail == f"{years[-1]} t.o.v. {years[-2]}"
    public = View(built.slice(access.Identity("p", access.PUBLIC)), Selection(), 5)
    roles = [t.role for t in headline_tiles(public, spec)]
    assert "own" not in roles and "diff" not in roles and roles[0] == "flanders"


def test_a_hidden_headline_value_reads_the_one_hidden_notation(built):
    sl = built.slice(access.Identity("a", access.AGENCY))
    spec = HeadlineSpec("alle_stappen", "alle stappen", "closed")
    view = View(sl, Selection(organisation="Org Eeklo"), 5)  # 3 trajectories: hidden
    own = headline_tiles(view, spec)[0]
    assert own.value == HIDDEN


def test_a_dashboard_kernel_imports_no_plotting_or_statistics_library():
    """Each of them costs seconds of import in a kernel that draws SVG from the release."""
    import subprocess
    import sys

    # Every figure dashboard is built and drawn, as its kernel does on the first render.
    code = (
        "import sys\n"
        "from sofs_lib import access\n"
        "from sofs_lib.dashboards import registry\n"
        "who = access.Identity('t', access.AGENCY)\n"
        "for d in registry.DASHBOARDS:\n"
        "    if d.definition_ref:\n"
        "        app = d.factory()(identity=who)\n"
        "        assert all(p.rendered is not None for p in app.panels), d.key\n"
        "heavy = ('matplotlib', 'seaborn', 'scipy', 'statsmodels')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
