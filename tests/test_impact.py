"""The Impact dashboard: kerndataset measures in the release, its disclosure, the app."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from traitlets import TraitError

from sofs_lib import access, config, datasets
from sofs_lib.dashboards import impact
from sofs_lib.kerndataset import followup, scoring
from sofs_lib.kerndataset import instrument as ins
from sofs_lib.kerndataset.data import load_kerndataset
from sofs_lib.release import audit, build_release, store
from sofs_lib.release import impact_measures as im
from sofs_lib.release.cube import ALL

K = 5
TOP = f"{ALL}|{ALL}|{ALL}"
TOP_CLOSED = f"{ALL}|closed|{ALL}"


@pytest.fixture(scope="module")
def synthetic():
    """The committed synthetic set: dashboard, cleaned kerndataset, Binc, indicators."""
    dashboard = datasets.load_dashboard()
    kern, _ = load_kerndataset(dashboard)
    binc = datasets.load_binc_result()
    return dashboard, kern, binc, im.load_for_export(dashboard)


@pytest.fixture(scope="module")
def release(synthetic):
    dashboard, _, _, indicators = synthetic
    return build_release(
        dashboard,
        min_cell=K,
        measures=list(im.IMPACT_MEASURES.values()),
        binc=False,
        kerndataset=indicators,
    )


def _flanders(release, table: str, measure: str, cell: str) -> pd.DataFrame:
    full = release.full()[table]
    rows = full.loc[(full["measure"] == measure) & (full["organisation"] == ALL) & (full["cell"] == cell)]
    return rows.set_index("item")


# --------------------------------------------------------------------------- values


def test_flanders_scores_equal_the_kerndataset_scoring(synthetic, release):
    _, kern, _, _ = synthetic
    direct = scoring.scores_by(kern.data).set_index("subscale")
    for subscale in scoring.SUBSCALES:
        row = _flanders(release, "dists", f"impact_score_{subscale}", TOP).iloc[0]
        expected = direct.loc[subscale]
        assert row["n"] == expected["n"] > 0
        for stat in ("mean", "sd", "median", "min", "max"):
            assert row[stat] == pytest.approx(expected[stat]), (subscale, stat)
        assert row["n_flag"] == ""


def test_flanders_response_equals_response_by_moment(synthetic, release):
    dashboard, kern, _, _ = synthetic
    direct = followup.response_by_moment(
        dashboard, kern.data, reference_date=kern.report["export_date"]
    )
    direct = direct.set_index(["moment", "indicator"])
    rows = _flanders(release, "shares", "impact_respons", TOP_CLOSED)
    pairs = {
        "registratie": ("closure", "closure_registered"),
        "toestemming": ("closure", "consent"),
        "respons_6m": ("6m", "response"),
        "respons_12m": ("12m", "response"),
    }
    for item, key in pairs.items():
        assert rows.loc[item, "numerator"] == direct.loc[key, "numerator"], item
        assert rows.loc[item, "denominator"] == direct.loc[key, "denominator"] > 0, item


def test_flanders_counts_and_change_equal_the_paired_analysis(synthetic, release):
    _, kern, _, _ = synthetic
    data = kern.data
    for name, column in im.COUNTS.items():
        for moment in im.MOMENTS:
            values = data.loc[data["moment"].eq(moment), column].dropna().astype(float)
            row = _flanders(release, "dists", f"impact_{name}_{moment}", TOP).iloc[0]
            assert row["n"] == len(values) > 0
            assert row["mean"] == pytest.approx(values.mean())
            assert row["median"] == pytest.approx(values.median())
        change = _flanders(release, "shares", f"impact_verandering_{name}", TOP)
        for moment in im.FOLLOWUP:
            pairs, _ = followup.paired_change(data, column, second=moment)
            assert change.loc[f"{moment}_meer", "denominator"] == len(pairs) > 0
            assert change.loc[f"{moment}_meer", "numerator"] == (pairs[moment] > pairs["closure"]).sum()
            assert change.loc[f"{moment}_minder", "numerator"] == (pairs[moment] < pairs["closure"]).sum()


def test_flanders_renewed_referral_equals_the_binc_link(synthetic, release):
    _, kern, binc, _ = synthetic
    binc_date = datasets.export_date_for(config.binc_export_path(), "binc_export_date")
    referral = followup.renewed_referral(kern.data, binc.modules, binc_export_date=binc_date)
    linked = referral.loc[referral["status"].eq("linked"), "re_referral"].astype(bool)
    row = _flanders(release, "shares", "impact_heraanmelding", TOP).loc["heraanmelding"]
    assert (row["numerator"], row["denominator"]) == (linked.sum(), len(linked))
    assert len(linked) > 0


def test_a_trajectory_without_registration_counts_as_not_registered(synthetic):
    dashboard, kern, _, indicators = synthetic
    joined = im.join(dashboard, indicators)
    assert len(joined) == len(dashboard) and list(joined.index) == list(dashboard.index)
    closure = kern.data.loc[kern.data["moment"].eq("closure"), ["organisation", "trajectory_id"]]
    assert int(joined["kd_registered"].sum()) == len(closure)
    assert joined.loc[~joined["kd_registered"].astype(bool), "kd_score_modelgetrouwheid"].isna().all()


# --------------------------------------------------------------------------- disclosure


def _assert_nothing_recovered(release) -> audit.AuditResult:
    result = audit.audit(release.dashboard, release.full(), K)
    assert result.failed_rules == 0
    assert result.recovered == {role: 0 for role in result.recovered}, result.recovered
    assert result.checked["publiek"] > 0 and result.checked["agentschap"] > 0
    assert sum(1 for role in result.checked if role.startswith("organisatie:")) >= 2
    return result


def test_attack_on_the_impact_measures_of_the_synthetic_set_recovers_nothing(release):
    """The Impact measures alone (an app on its own data); the complete releases with the
    Impact measures, of the committed set and of a generated export with a kerndataset
    beside it, are attacked in ``test_release``."""
    _assert_nothing_recovered(release)


def _free_texts(kern) -> list[str]:
    columns = [c for c in ins.free_text_items() if c in kern.data.columns]
    values = pd.concat([kern.data[c] for c in columns]).dropna().astype("str")
    return sorted({v.strip() for v in values if len(v.strip()) >= 6})


def test_no_free_text_answer_reaches_any_slice(synthetic, release):
    _, kern, _, indicators = synthetic
    texts = _free_texts(kern)
    assert len(texts) >= 3  # the synthetic set has free-text answers that could leak
    assert not [c for c in indicators.columns if c.startswith("kd_") and indicators[c].dtype == "str"]
    full = release.full()
    slices = {
        "publiek": store.slice_tables(full, access.PUBLIC),
        "agentschap": store.slice_tables(full, access.AGENCY),
        "organisatie": store.slice_tables(full, access.ORGANISATION, release.organisations()[0]),
    }
    for role, tables in slices.items():
        blob = "\n".join(t.to_csv(index=False) for t in tables.values())
        assert not [t for t in texts if t in blob], role


# --------------------------------------------------------------------------- the app


@pytest.fixture
def app_for(release, monkeypatch):
    """impact_app() as the server runs it, reading the slice of ``identity``."""
    from sofs_lib import release as release_pkg

    def make(identity: access.Identity):
        monkeypatch.setattr(release_pkg, "load_slice", lambda ident=None, *a, **k: release.slice(identity))
        return impact.impact_app(identity=identity)

    return make


def test_organisation_view_shows_own_figures_and_no_other_name(release, app_for):
    orgs = release.organisations()
    own = orgs[len(orgs) // 2]
    app = app_for(access.Identity("u", access.ORGANISATION, own))
    assert [v for _, v in app.controls["organisation"].options] == [ALL, own]
    assert app.controls["organisation"].value == own
    assert "status" not in app.controls
    text = app.texts()
    assert own in text and "Vlaanderen" in text
    assert not [o for o in orgs if o != own and o in text]
    shown = [p for p in app.panels if p.last_svg is not None]
    assert len(shown) >= len(app.panels) - 2, [p.spec.key for p in app.panels if p.last_svg is None]
    for org in orgs:
        if org != own:
            with pytest.raises(TraitError):  # the dropdown does not offer it
                app.select(organisation=org)


def test_public_and_agency_views_render_every_panel(release, app_for):
    public = app_for(access.Identity("p", access.PUBLIC))
    assert [v for _, v in public.controls["organisation"].options] == [ALL]
    assert not [o for o in release.organisations() if o in public.texts()]
    agency = app_for(access.Identity("a", access.AGENCY))
    assert len(agency.controls["organisation"].options) == 1 + len(release.organisations())
    for app in (public, agency):
        assert all(p.last_svg is not None for p in app.panels), [
            p.spec.key for p in app.panels if p.last_svg is None
        ]


def test_without_a_kerndataset_the_dashboard_says_so_in_dutch(synthetic, tmp_path):
    dashboard = synthetic[0]
    app = impact.impact_app(dashboard, min_cell=K)
    assert impact.NO_KERNDATASET_MESSAGE in app.texts()
    assert all(d.disabled for d in app.controls.values())
    assert im.load_for_export(dashboard, tmp_path) is None


def test_a_broken_kerndataset_workbook_leaves_the_release_without_impact(synthetic, tmp_path, caplog):
    (tmp_path / "kerndataset.xlsx").write_text("geen werkmap")
    with caplog.at_level("WARNING", logger=im.__name__):
        assert im.load_for_export(synthetic[0], tmp_path) is None
    assert "kerndataset niet gebruikt" in caplog.text


# --------------------------------------------------------------------------- the notebook


@pytest.mark.slow
def test_the_dashboard_notebook_runs(release, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    from sofs_lib.release import write_release

    folder = tmp_path / "release"
    write_release(release, folder, stamp=store.expected_stamp())
    nb = nbformat.read(config.PACKAGE_DIR.parent / "dashboards" / "impact.ipynb", as_version=4)
    env_before = os.environ.get("SOFS_RELEASE_DIR")
    os.environ["SOFS_RELEASE_DIR"] = str(folder)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    finally:
        if env_before is None:
            os.environ.pop("SOFS_RELEASE_DIR", None)
        else:
            os.environ["SOFS_RELEASE_DIR"] = env_before
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_attacker_knows_what_is_zero_without_seeing_it(release):
    """Open trajectories have no closing year, and a response after closure is 0 on every
    open trajectory: the attacker removes these unknowns (else it would miss that *Alle*
    and *Afgesloten* are the same number for such a measure)."""
    from sofs_lib.release.build import Suppressor
    from sofs_lib.release.cube import NA

    comp = release.dashboard
    sup = Suppressor(comp, K)
    atoms = comp.cube.atoms
    is_open = (atoms["status"] == "open").to_numpy()
    no_year = (atoms["closing_year"] == NA).to_numpy()
    q_unit = int(comp.counts["q"].iloc[0])
    unit = next(iter(comp.registry.quantities[q_unit].coeffs))
    assert (sup.structural(unit, False) == ((is_open & ~no_year) | (~is_open & no_year))).all()
    response = comp.shares.set_index("item").loc["respons_6m", "q_num"]
    family = next(iter(comp.registry.quantities[int(response)].coeffs))
    assert sup.structural(family, False)[is_open].all()
    assert len(sup.structural(family, True)) == sup._collapsed()[1]
