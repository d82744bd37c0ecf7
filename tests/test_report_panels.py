"""The report's figures as release measures and dashboard panels (issue 11, item 3).

Each new measure's Flanders value equals its indicator computed directly from the cleaned
data; every new panel draws for each role and an organisation sees no other organisation's
name. The attacks are in ``test_release``: over the complete written release of the
committed set and of a generated later export, every new measure and the profile's Tables
5-8 included (asserted there).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
from test_release import K
from test_widgets import SIZES, cleaned_frame

from sofs_lib import access, datasets
from sofs_lib.dashboards import report_panels
from sofs_lib.indicators import add_derived, durations, fidelity, plans, profiles
from sofs_lib.release import build, build_release
from sofs_lib.release.cube import ALL
from sofs_lib.release.measures import MEASURES

#: The measures this issue added, with the indicator each must equal (population, item).
NEW_DASHBOARD = {
    "netwerkberaden_afgesloten": (
        lambda d: fidelity.network_meetings_distribution(d, population="closed"), "closed", None
    ),
    "netwerkfiguren": (lambda d: fidelity.network_size_distribution(d), "all", None),
    "netwerkfiguren_afgesloten": (
        lambda d: fidelity.network_size_distribution(d, population="closed"), "closed", None
    ),
    "netwerkberaad_naar_plan": (lambda d: plans.step_by_plan(d), "closed", "plan_group"),
    "wp_naar_plan": (
        lambda d: plans.step_by_plan(d, step="words_pictures"), "closed", "plan_group"
    ),
    "aantal_netwerkberaden_naar_plan": (lambda d: plans.meetings_by_plan(d), "closed", "plan_group"),
    "maanden_tot_stap": (lambda d: durations.months_to_steps(d), "all", "step"),
    "duurtijd_richtlijn": (lambda d: durations.duration_guideline(d), "closed", "indicator"),
    "alle_stappen_duurtijd": (lambda d: fidelity.all_steps_by_duration(d), "closed", "indicator"),
    "plan_b_voor_start": (lambda d: durations.plan_b_at_or_before_start(d), "all", "indicator"),
}


def _flanders(computed: build.Computed, status: str) -> int:
    """Row of the cube's Flanders cell: every control on Alle, status as the population."""
    cells = computed.cube.cells
    match = np.ones(len(cells), dtype=bool)
    for name in computed.cube.dim_names:
        want = status if (name == "status" and status != "all") else ALL
        match &= (cells[name] == want).to_numpy()
    return int(np.flatnonzero(match)[0])


def _true(computed: build.Computed, q: int, cell: int) -> float:
    return float(computed.cube.membership[cell] @ computed.registry.quantities[q].atoms)


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return add_derived(datasets.load_dashboard())


@pytest.fixture(scope="module")
def computed(committed) -> build.Computed:
    return build.dashboard_computed(committed, [MEASURES[key] for key in NEW_DASHBOARD])


@pytest.mark.parametrize("key", list(NEW_DASHBOARD))
def test_flanders_value_of_each_new_measure_equals_its_indicator(committed, computed, key):
    indicator, population, item = NEW_DASHBOARD[key]
    expected = indicator(committed)
    measure = MEASURES[key]
    cell = _flanders(computed, population)
    item = item or "indicator"
    if measure.kind == "share":
        rows = computed.shares.loc[computed.shares["measure"] == key]
        assert len(rows) == len(expected)
        for row in rows.itertuples(index=False):
            want = expected.loc[expected[item].astype("str") == row.item].iloc[0]
            assert _true(computed, row.q_num, cell) == want["numerator"], (key, row.item)
            assert _true(computed, row.q_den, cell) == want["denominator"], (key, row.item)
    else:
        stats = computed.stats[key]
        flanders = computed.cube.cells.iloc[[cell]].merge(stats, on=computed.cube.dim_names)
        rows = computed.dists.loc[computed.dists["measure"] == key]
        assert len(rows) == len(expected)
        for row in rows.itertuples(index=False):
            want = expected.loc[expected[item].astype("str") == row.item].iloc[0]
            got = flanders.loc[flanders[measure.item].astype("str") == row.item].iloc[0]
            assert _true(computed, row.q_n, cell) == want["n"]
            for stat in ("mean", "median", "min", "max"):
                assert got[stat] == pytest.approx(want[stat], nan_ok=True), (key, row.item, stat)


def test_case_type_figure_equals_the_indicator_from_released_counts(committed):
    """Fig. 4 reads the count of each case type's cell, over the measure's denominator."""
    comp = build.dashboard_computed(committed, [MEASURES["typering"]])
    cells = comp.cube.cells
    q_unit = int(comp.counts["q"].iloc[0])
    expected = fidelity.case_types(committed).set_index("case_type")
    total = 0.0
    for code in expected.index:
        pick = (
            (cells["organisation"] == ALL) & (cells["closing_year"] == ALL)
            & (cells["status"] == ALL) & (cells["case_type"] == code)
        ).to_numpy()  # fmt: skip
        value = _true(comp, q_unit, int(np.flatnonzero(pick)[0]))
        assert value == expected.loc[code, "numerator"]
        total += value
    assert total == expected["denominator"].iloc[0]
    known = comp.shares.loc[comp.shares["measure"] == "typering"].iloc[0]
    assert _true(comp, known["q_num"], _flanders(comp, "all")) == total


def test_binc_measures_equal_tables_5_to_8_of_the_cleaned_extract():
    result = datasets.load_binc_result()
    children = build.binc_children(result.children, result.modules)
    comp = build.binc_computed(children)
    cell = _flanders(comp, "all")
    shares = comp.shares.set_index(["measure", "item"])

    def value(measure: str, item: str) -> tuple[float, float]:
        row = shares.loc[(measure, item)]
        return _true(comp, row["q_num"], cell), _true(comp, row["q_den"], cell)

    freq = profiles.module_frequency(result.children).set_index("category")
    assert value("tabel7_frequentie", "éénmalig") == (
        freq.loc["éénmalig", "numerator"], freq.loc["éénmalig", "denominator"]
    )
    shapes = profiles.path_shapes(result.children).set_index("category")
    assert value("tabel7_vorm", "enige module")[0] == shapes.loc["enige module", "numerator"]
    foster = profiles.foster_care(result.children)
    network = foster.loc[foster["indicator"] == "foster_network"].set_index("category")
    assert value("pleegzorg_netwerk", "In familiaal netwerk")[0] == network.loc[
        "In familiaal netwerk", "numerator"
    ]
    # "Missing" is shown as "Onbekend" everywhere on Profiel
    items = set(comp.shares["item"])
    assert "Missing" not in items and "Onbekend" in items
    # Table 6 per status: the status control's cells
    vzb = profiles.vzb_by_status(result.children).set_index(["status", "category"])
    cells = comp.cube.cells
    open_cell = int(np.flatnonzero(((cells["year"] == ALL) & (cells["status"] == "open")).to_numpy())[0])
    category = "Organisatie voor bijzondere jeugdzorg met verblijf"
    row = shares.loc[("tabel6_vzb", category)]
    assert _true(comp, row["q_num"], open_cell) == vzb.loc[("open", category), "numerator"]
    assert _true(comp, row["q_den"], open_cell) == vzb.loc[("open", category), "denominator"]
    # Table 8 in children: a child with a link in the cluster before its last CB SofS module
    links = result.modules.merge(
        pd.DataFrame({"child_id": children["child_id"]}), on="child_id"
    )
    label = "Vorm van pleegzorg + verblijf in pleeggezin"
    before = links.loc[(links["position"] == "before") & (links["module_cluster"] == label)]
    assert value("tabel8_voor", label)[0] == before["child_id"].nunique()
    assert value("tabel8_voor", label)[1] == int(children["has_before"].sum())


@pytest.fixture(scope="module")
def accented_profile(generated_release):
    """The written release of a generated export (organisation names with accents,
    apostrophes and '&'; its Binc spells them its own way), as ``sofs release`` wrote it
    and the server reads it: ``(load, profile organisations)``, where ``load(identity)``
    reads that identity's profile slice with that export in use (a release read while
    another export is in use would be stale, and rebuilt)."""
    import json

    from conftest import OTHER_EXPORT_VARS

    from sofs_lib.release import store

    released = generated_release("accented")
    manifest = json.loads((released.release / store.MANIFEST).read_text())

    def load(identity: access.Identity):
        with pytest.MonkeyPatch.context() as mp:
            for name in OTHER_EXPORT_VARS:
                mp.delenv(name, raising=False)
            for name, value in released.env.items():
                mp.setenv(name, value)
            assert store.is_current(released.release)
            return store.load_slice(identity, released.release, profile=True)

    return load, list(manifest["profile_organisations"])


# --------------------------------------------------------------------------- panels


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return cleaned_frame(SIZES)


@pytest.fixture(scope="module")
def fidelity_release(frame):
    keys = [p.key for p in [*report_panels.fidelity_extra(), *report_panels.plan_b_extra()]]
    return build_release(
        frame, min_cell=K, binc=False, measures=[MEASURES[k] for k in keys if k in MEASURES]
    )


ROLES = [
    access.Identity("web", access.PUBLIC),
    access.Identity("brugge", access.ORGANISATION, "Org Brugge"),
    access.Identity("agency", access.AGENCY),
]


@pytest.mark.slow
@pytest.mark.parametrize("identity", ROLES, ids=lambda i: i.role)
def test_new_panels_draw_for_each_role(fidelity_release, identity):
    from sofs_lib import widgets

    specs = [*report_panels.fidelity_extra(), *report_panels.plan_b_extra()]
    app = widgets.DashboardApp("Test", fidelity_release.slice(identity), specs)
    if identity.role == access.AGENCY:
        app.select(organisation="Org Brugge")  # an organisation opens on its own figures
    for panel in app.panels:
        assert panel.last_output is not None
        assert panel.last_output.message is None, (panel.spec.key, panel.message.value)
        assert panel.last_svg, panel.spec.key
    text = app.texts()
    assert "Missing" not in text and "nan" not in text.split()
    if identity.role == access.ORGANISATION:
        for name in SIZES:
            if name != "Org Brugge":
                assert name not in text
        assert "Org Brugge" in text
    if identity.role == access.PUBLIC:
        assert not any(name in text for name in SIZES)


def test_new_panels_have_dutch_titles_and_say_their_denominator():
    for spec in [*report_panels.fidelity_extra(), *report_panels.plan_b_extra(),
                 *report_panels.profile_extra()]:  # fmt: skip
        assert spec.description, spec.key
        text = spec.description.lower()
        assert "over " in text and ("telt" in text or "tellen" in text), spec.key
        binc = {m.key for m in build.binc_measures([build.COMBINED_FLAG, f"{build.CLUSTER_FLAG}:x"])}
        assert spec.key in MEASURES or spec.key in binc, spec.key


@pytest.mark.slow
def test_profile_panels_draw_tables_5_to_8_in_dutch(accented_profile):
    """From the profile of the written release (``sofs release``, as the server reads it)."""
    from sofs_lib import widgets

    load, names = accented_profile
    own = "'t Ventiel"
    app = widgets.DashboardApp(
        "Profiel",
        load(access.Identity("ventiel", access.ORGANISATION, own)),
        report_panels.profile_extra(),
        controls=widgets.BINC_CONTROLS,
        unit="kinderen",
        cell_dims=("year", "status"),
    )
    for panel in app.panels:
        assert panel.last_output is not None and panel.last_svg, (panel.spec.key, panel.message.value)
    app.select(status="open")
    vzb = next(p for p in app.panels if p.spec.key == "tabel6_vzb")
    assert "Organisatie voor bijzondere jeugdzorg met verblijf" in vzb.table.value
    assert "Missing" not in app.texts()
    assert all("heel Vlaanderen" in p.spec.description for p in app.panels)
    # the organisation opens on its own children beside Flanders and the others together
    assert app.controls["organisation"].value == own
    text = html.unescape(app.texts())
    assert own in text and "Andere organisaties samen" in text
    assert own in names and len(names) > 2
    for name in names:
        if name != own:
            assert name not in text, name


PROFILE_ROLES = [
    access.Identity("web", access.PUBLIC),
    access.Identity("ventiel", access.ORGANISATION, "'t Ventiel"),
    access.Identity("agency", access.AGENCY),
]


@pytest.mark.slow
@pytest.mark.parametrize("identity", PROFILE_ROLES, ids=lambda i: i.role)
def test_profile_offers_the_organisations_its_role_allows(accented_profile, identity):
    from traitlets import TraitError

    from sofs_lib import widgets
    from sofs_lib.dashboards import apps

    load, names = accented_profile
    chosen = load(identity)
    app = widgets.DashboardApp("Profiel", chosen, apps.profile_definition().panels,
                               controls=widgets.BINC_CONTROLS, unit="kinderen",
                               cell_dims=("year", "status"), headline=apps.profile_definition().headline,
                               intro=apps.profile_intro(chosen))  # fmt: skip
    offered = [v for _, v in app.controls["organisation"].options]
    intro = " ".join(getattr(w, "value", "") for w in app.widget.children[:4])
    orgs = set(names)
    other = next(name for name in names if name != "'t Ventiel")
    tables = set(chosen.tables["shares"]["organisation"])
    if identity.role == access.PUBLIC:
        assert offered == [ALL] and tables == {ALL}
        assert "enkel Vlaanderen" in intro
    elif identity.role == access.ORGANISATION:
        assert offered == [ALL, "'t Ventiel"] and tables == {ALL, "'t Ventiel"}
        assert "enkel Vlaanderen" not in intro
        with pytest.raises(TraitError):  # a crafted value for another organisation
            app.controls["organisation"].value = other
        # its own figures in full: no own count hidden, the headline shows its tiles
        own = chosen.tables["counts"]
        own = own.loc[(own["organisation"] == "'t Ventiel").to_numpy()]
        every_year = own["cell"].str.startswith(f"{ALL}|").to_numpy()
        assert (own.loc[every_year, "n_flag"] == "").all() and every_year.any()
        assert (own.loc[~every_year, "n_flag"] == "x").all()  # per year: released to nobody
        assert "'t Ventiel" in html.unescape(app.headline.tiles_widget.value)
        # per year only Flanders is released: the direction tile says so, not "–"
        trend = next(t for t in app.headline.tiles if t.role == "trend")
        assert trend.label == "Evolutie Vlaanderen" and "enkel voor Vlaanderen" in trend.detail
        assert trend.value != "–"
        app.select(year=int(chosen.levels["year"][-1]))
        assert "alle begeleidingsjaren samen" in app.texts()
        assert "waarvan x van 't Ventiel" in html.unescape(app.status.value)  # not 0
    else:
        assert offered == [ALL, *names] and tables == {ALL} | orgs
        app.select(organisation=other)
        assert other in html.unescape(app.texts()) and "Verschil met Vlaanderen" in app.headline.tiles_widget.value
