"""The dashboard apps built headless (``sofs_lib.dashboards``): controls, comparison,
disclosure, headline, downloads links, Dutch errors, reuse and debounce."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest

from sofs_lib import dashboards as D
from sofs_lib.catalogue import STEP_KEYS
from sofs_lib.dashboards import app as app_module
from sofs_lib.dashboards import apps, lookups
from sofs_lib.dashboards.app import DashboardApp
from sofs_lib.dashboards.selection import ALL, ORGANISATIONS_ENV
from sofs_lib.dashboards.spec import HIDDEN

SIZES = {"Org Aalst": 40, "Org Brugge": 30, "Org Charleroi": 25, "Org Diest": 20, "Org Eeklo": 3}


def cleaned_frame(sizes: dict[str, int], seed: int = 1) -> pd.DataFrame:
    """A small cleaned dashboard frame (contract columns), random but seeded."""
    rng = np.random.default_rng(seed)
    orgs = np.repeat(list(sizes), list(sizes.values()))
    n = len(orgs)
    start = pd.Timestamp("2021-06-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    closed = rng.random(n) < 0.64
    end = pd.Series(start + pd.to_timedelta(rng.integers(90, 500, n), unit="D")).where(closed)
    meetings = rng.integers(0, 15, n)
    active = rng.random(n) < 0.45
    df = pd.DataFrame(
        {
            "organisation": pd.Series(orgs, dtype="str"),
            "trajectory_id": pd.Series([f"T{i}" for i in range(n)], dtype="str"),
            "start_date": start,
            "consulent_start_date": start + pd.to_timedelta(rng.integers(-20, 60, n), unit="D"),
            "end_date": end,
            "status": pd.Series(np.where(closed, "closed", "open"), dtype="str"),
            "case_type": pd.Series(
                rng.choice(["EM", "FM", "SM", "V", "IFG", "none"], n), dtype="str"
            ),
            "network_size": pd.array(rng.integers(0, 12, n), dtype="Int64"),
            "network_meetings": pd.array(meetings, dtype="Int64"),
            "network_meeting_held": pd.array(meetings > 0, dtype="boolean"),
            "plan_b": pd.Series(rng.choice(["network", "residential", None], n), dtype="str"),
            "plan_b_active": pd.array(active, dtype="boolean"),
            "plan_b_active_date": pd.Series(
                start + pd.to_timedelta(rng.integers(-100, 400, n), unit="D")
            ).where(active),
        }
    )
    for k in STEP_KEYS:
        taken = rng.random(n) < 0.75
        df[f"{k}_taken"] = pd.array(taken, dtype="boolean")
        df[f"{k}_date"] = pd.Series(
            start + pd.to_timedelta(rng.integers(-60, 300, n), unit="D")
        ).where(taken)
        df[f"{k}_cb"] = pd.array(taken & (rng.random(n) < 0.9), dtype="boolean")
        df[f"{k}_consulent"] = pd.array(taken & (rng.random(n) < 0.3), dtype="boolean")
    return df


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return cleaned_frame(SIZES)


def small_app(frame: pd.DataFrame, identity=None, **kwargs) -> DashboardApp:
    panels = [
        D.share_panel("stappen", "Gezette stappen", category="step"),
        D.distribution_panel("aantal_netwerkberaden", "Netwerkberaden"),
    ]
    release, _, error = apps.dashboard_release(
        frame, [p.key for p in panels], kwargs.get("min_cell"), identity
    )
    return DashboardApp("Test", release, panels, load_error=error, key="modelgetrouwheid", **kwargs)


@pytest.fixture(scope="module")
def release_slice(frame):
    release, _, _ = apps.dashboard_release(frame, ["stappen"], 5)
    return release


@pytest.fixture(scope="module")
def app(frame) -> DashboardApp:
    return small_app(frame, min_cell=5)


def _other_names(own: str | None) -> list[str]:
    return [name for name in SIZES if name != own]


def _links(panel) -> dict[str, str]:
    """Download links of a panel by format."""
    hrefs = re.findall(r'href="([^"]+)"', panel.downloads.value)
    return {urlsplit(h.replace("&amp;", "&")).path.rsplit(".", 1)[-1]: h.replace("&amp;", "&") for h in hrefs}


def test_overview_shows_flanders_and_no_organisation_names(app):
    app.select(organisation=None)
    text = app.texts()
    assert "Vlaanderen" in text
    assert lookups.OTHERS_LABEL not in text  # the others together only beside one organisation
    for name in SIZES:
        assert name not in text
    assert all(p.last_svg and p.last_svg.startswith("<svg") for p in app.panels)


def test_changing_the_organisation_changes_figures_tables_and_headline(app):
    app.select(organisation=None)
    before = [(p.last_svg, p.table.value) for p in app.panels]
    app.select(organisation="Org Aalst")
    after = [(p.last_svg, p.table.value) for p in app.panels]
    for (svg0, table0), (svg1, table1) in zip(before, after, strict=True):
        assert svg1 and svg1 != svg0
        assert table1 != table0
    assert "Org Aalst" in app.panels[0].table.value
    assert "n = 40 trajecten van Org Aalst" in app.panels[0].n_label.value
    assert lookups.OTHERS_LABEL in app.panels[0].table.value


@pytest.mark.parametrize("own", ["Org Aalst", "Org Brugge", "Org Diest"])
def test_no_other_organisation_name_appears_anywhere(app, own):
    app.select(organisation=own)
    shown = app.texts()
    for name in _other_names(own):
        assert name not in shown
    assert own in shown


def test_organisation_below_threshold_shows_the_dutch_message(app):
    app.select(organisation="Org Eeklo")
    for panel in app.panels:
        assert "Te weinig trajecten (minder dan 5)" in panel.message.value
        shown = panel.widget.value  # what the browser gets: the message, no figure
        assert "Te weinig trajecten (minder dan 5)" in shown and "<svg" not in shown
        assert panel.table.value == "" and "<table" not in shown
        assert panel.downloads.value == "" and "Downloaden" not in shown
    app.select(organisation=None)
    for panel in app.panels:
        assert "<svg" in panel.widget.value and "sofs-message" not in panel.widget.value


def test_selection_line_shows_a_hidden_count_with_the_one_hidden_notation(app, frame):
    app.select(organisation="Org Eeklo")
    own = int((frame["organisation"] == "Org Eeklo").sum())
    assert 1 <= own < 5
    assert f"waarvan {HIDDEN} van Org Eeklo" in app.status.value
    assert f"waarvan {own} van" not in app.status.value
    app.select(organisation=None)


def test_filters_narrow_the_selection_and_empty_selection_says_so(app, frame):
    app.select(organisation=None, status="closed")
    closed = int((frame["status"] == "closed").sum())
    assert f"Selectie: {closed} trajecten" in app.status.value
    app.select(status="closed", case_type="EM", closing_year=2022, organisation="Org Diest")
    for panel in app.panels:
        assert "trajecten" in panel.message.value and panel.message.value in panel.widget.value
    app.select(status=None, case_type=None, closing_year=None, organisation=None)


def test_dropdowns_offer_dutch_labels_in_catalogue_order(app):
    status = app.controls["status"].options
    assert status == (("Alle", ALL), ("Open", "open"), ("Afgesloten", "closed"))
    labels = [label for label, _ in app.controls["case_type"].options]
    assert labels[:3] == ["Alle", "Emotioneel misbruik", "Fysiek misbruik"]
    orgs = app.controls["organisation"].options
    assert orgs[0] == ("Alle organisaties", ALL)


def test_shares_are_written_the_belgian_way(app):
    app.select(organisation=None)
    assert re.search(r"\d+,\d%", app.panels[0].table.value)
    assert not re.search(r"\d+\.\d%", app.panels[0].table.value)


def test_tables_show_every_row_with_column_headers_and_their_denominator(app, frame):
    app.select(organisation="Org Aalst")
    table = app.panels[0].table.value
    body = table.split("<tbody>", 1)[1]
    view = app.view()
    released = app.release.lookup("shares", "stappen", "Org Aalst", view.cell())
    assert len(released) >= len(STEP_KEYS)
    assert body.count("<tr>") == len(released)  # every row of the data, no scroll box
    assert '<th scope="col"' in table and "<caption>" in table
    assert "noemer" in table
    shown = app.panels[0].widget
    assert table in shown.value and shown.layout.height is None  # no fixed pixel box any more
    assert "height:" not in shown.value.split("<table", 1)[0].rsplit("<div", 1)[-1]


def test_download_links_name_the_dashboard_panel_format_and_selection(app):
    app.select(organisation="Org Aalst", status="closed")
    links = _links(app.panels[0])
    assert set(links) == {"xlsx", "csv", "png"}
    for fmt, href in links.items():
        parts = urlsplit(href)
        assert parts.path.endswith(f"sofs/download/modelgetrouwheid/stappen.{fmt}")
        assert parse_qs(parts.query) == {"organisation": ["Org Aalst"], "status": ["closed"]}
    assert "data:" not in app.panels[0].downloads.value  # files are made by the server
    app.select(organisation=None, status=None)


def test_a_failing_panel_shows_a_dutch_message_not_a_traceback(frame, caplog):
    def broken(view):
        raise KeyError("column_that_does_not_exist")

    release, _, _ = apps.dashboard_release(frame, ["stappen"], 5)
    app = DashboardApp("Test", release, [D.PanelSpec("kapot", "Kapot", broken)], min_cell=5)
    panel = app.panels[0]
    assert "kan op dit moment niet getoond worden" in panel.message.value
    assert "KeyError" not in app.texts() and "Traceback" not in app.texts()
    assert "column_that_does_not_exist" in caplog.text  # the details go to the log


def test_unreadable_data_shows_the_load_message_and_disables_controls():
    release, _, error = apps.dashboard_release(pd.DataFrame({"organisation": ["x"]}), ["stappen"])
    assert release is None and error == D.LOAD_ERROR_MESSAGE
    app = small_app(pd.DataFrame({"organisation": ["x"]}))
    assert all(d.disabled for d in app.controls.values())
    assert all("konden niet geladen worden" in p.message.value for p in app.panels)


@pytest.mark.parametrize(
    "build", [D.fidelity_app, D.partnership_app, D.plan_b_app, D.trends_app]
)
def test_every_dashboard_app_draws_all_panels_and_headline_for_an_organisation(frame, build):
    app = build(frame, min_cell=5)
    app.select(organisation="Org Brugge")
    for panel in app.panels:
        assert panel.last_output is not None
        assert panel.last_output.message is None, (panel.spec.key, panel.message.value)
        assert panel.last_svg and 'role="img"' in panel.last_svg
        assert panel.last_output.sentence
    labels = [t.label for t in app.headline.tiles]
    assert labels[:3] == ["Org Brugge", "Vlaanderen", "Verschil met Vlaanderen"]
    assert 3 <= len(app.headline.tiles) <= 5
    for name in _other_names("Org Brugge"):
        assert name not in app.texts()


def test_evolutie_chooses_a_range_of_years_and_keeps_the_trend(frame):
    app = D.trends_app(frame, min_cell=5)
    assert "closing_year" not in app.controls
    years = [v for _, v in app.controls["year_from"].options]
    assert len(years) >= 2
    app.select(year_from=years[0], year_to=years[-1])
    full = app.panels[0].last_output.chart.data["x"].nunique()
    assert full == len(years)
    app.select(year_from=years[-1], year_to=years[0])  # reversed: the same range
    assert app.panels[0].last_output.chart.data["x"].nunique() == len(years)
    app.select(year_from=years[-2], year_to=years[-1])
    assert list(pd.unique(app.panels[0].last_output.chart.data["x"])) == [str(y) for y in years[-2:]]


def test_a_selection_seen_before_is_shown_from_the_cache(release_slice):
    calls = []

    def counting(view):
        calls.append(view.selection)
        return D.PanelOutput(message="leeg", n_text=D.n_text(view))

    app = DashboardApp("Test", release_slice, [D.PanelSpec("teller", "Teller", counting)], min_cell=5)
    app.select(organisation="Org Aalst")
    app.select(organisation=None)
    app.select(organisation="Org Aalst")
    assert len(calls) == 2  # overview and Org Aalst once each
    assert "n = " in app.panels[0].n_label.value


def test_quick_successive_changes_draw_once_and_end_on_the_last_selection(release_slice):
    async def scenario() -> DashboardApp:
        app = DashboardApp("Test", release_slice,
                           [D.share_panel("stappen", "Stappen", category="step")], min_cell=5)
        before = app.refresh_count
        for org in ["Org Aalst", "Org Brugge", "Org Charleroi"]:
            app.controls["organisation"].value = org
            assert app.busy  # the busy line shows at once
        await asyncio.sleep(0.3)
        return app, before

    app, before = asyncio.run(scenario())
    assert app.refresh_count == before + 1
    assert not app.busy
    assert "Org Charleroi" in app.panels[0].table.value
    assert "Org Brugge" not in app.texts()


def test_one_change_after_a_quiet_moment_is_drawn_without_the_debounce_wait(release_slice):
    async def scenario():
        app = DashboardApp("Test", release_slice,
                           [D.share_panel("stappen", "Stappen", category="step")], min_cell=5)
        before = app.refresh_count
        app.controls["organisation"].value = "Org Aalst"
        await asyncio.sleep(app_module.DEBOUNCE_S / 4)  # sooner than any debounce would draw
        return app, before

    app, before = asyncio.run(scenario())
    assert app.refresh_count == before + 1
    assert "Org Aalst" in app.panels[0].table.value


def test_an_app_that_cannot_be_built_shows_the_load_message(frame, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("indicator module half-written")

    monkeypatch.setattr(apps, "share_panel", broken)  # fails before any release is built
    app = D.fidelity_app(frame, min_cell=5)
    assert "konden niet geladen worden" in app.texts()
    assert "RuntimeError" not in app.texts()


def test_invalid_threshold_setting_shows_the_load_message(frame, monkeypatch):
    monkeypatch.setenv("SOFS_MIN_CELL", "vijf")
    app = small_app(frame)
    assert all("konden niet geladen worden" in p.message.value for p in app.panels)


def test_static_report_holds_figures_tables_and_no_code(app, tmp_path):
    from sofs_lib import report

    app.select(organisation=None, status=None, case_type=None, closing_year=None)
    page = report.app_html(app)
    assert page.count('<svg role="img"') == len(app.panels)
    assert "Vlaanderen" in page and "<table" in page
    assert "import " not in page and "sofs_lib" not in page
    for name in SIZES:
        assert name not in page
    path = report.render_dashboard("modelgetrouwheid", tmp_path, build=lambda: app)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<h1" in text and "<script" not in text
    assert "¶" not in text


def test_a_server_for_one_organisation_lists_only_that_organisation(frame, monkeypatch):
    monkeypatch.setenv(ORGANISATIONS_ENV, "Org Brugge")
    app = small_app(frame, min_cell=5)
    labels = [label for label, _ in app.controls["organisation"].options]
    assert labels == ["Alle organisaties", "Org Brugge"]


def test_source_note_gives_the_export_date_with_a_dutch_month_and_the_synthetic_warning():
    from datetime import date

    data = pd.DataFrame({"organisation": ["x"]})
    data.attrs.update(export_date=date(2023, 10, 5), provenance="synthetic")
    note = apps.source_note(data)
    assert note.startswith("Gegevens geëxporteerd op 5 oktober 2023.")
    assert apps.SYNTHETIC_NOTE in note
    data.attrs.update(provenance="real")
    assert apps.SYNTHETIC_NOTE not in apps.source_note(data)


def test_an_organisation_sees_only_itself_and_flanders_and_its_own_figures_in_full(frame):
    from sofs_lib import access

    identity = access.Identity("eeklo", access.ORGANISATION, "Org Eeklo")
    app = small_app(frame, identity=identity, min_cell=5)
    labels = [label for label, _ in app.controls["organisation"].options]
    assert labels == ["Vlaanderen", "Org Eeklo"]
    assert app.controls["organisation"].value == "Org Eeklo"
    own = int((frame["organisation"] == "Org Eeklo").sum())
    assert 1 <= own < 5
    assert f"waarvan {own} van Org Eeklo" in app.status.value  # own count in full
    assert app.panels[0].last_svg  # no "too few" message for the own organisation
    for name in _other_names("Org Eeklo"):
        assert name not in app.texts()


def test_a_crafted_organisation_value_cannot_reach_another_organisation(frame):
    from traitlets import TraitError

    from sofs_lib import access

    identity = access.Identity("brugge", access.ORGANISATION, "Org Brugge")
    app = small_app(frame, identity=identity, min_cell=5)
    with pytest.raises(TraitError):  # the dropdown refuses a value it does not offer
        app.controls["organisation"].value = "Org Aalst"
    assert "Org Aalst" not in app.texts()
    assert app.release.organisations == ["Org Brugge"]
    assert set(app.release.tables["shares"]["organisation"]) <= {ALL, "Org Brugge"}


def test_the_public_sees_flanders_only(frame):
    from sofs_lib import access

    app = small_app(frame, identity=access.Identity("web", access.PUBLIC), min_cell=5)
    assert [label for label, _ in app.controls["organisation"].options] == ["Vlaanderen"]
    for name in SIZES:
        assert name not in app.texts()


def test_a_control_change_redraws_only_panels_whose_release_cell_changed(release_slice):
    calls = []

    def counting(view):
        calls.append(view.selection)
        return D.PanelOutput(message="leeg", n_text=D.n_text(view, "closed"))

    spec = D.PanelSpec("gesloten", "Gesloten", counting, inputs=D.cell_inputs("closed"))
    app = DashboardApp("Test", release_slice, [spec], min_cell=5)
    shown = app.panels[0].n_label.value
    app.select(status="closed")  # the closed population's cell is the same: reused
    assert len(calls) == 1
    assert app.panels[0].n_label.value == shown
    app.select(status="open")  # no closed trajectories in this selection: drawn anew
    assert len(calls) == 2


def test_a_reused_panel_shows_what_a_freshly_built_app_shows(frame):
    closed = [
        D.share_panel("alle_stappen", "Alle stappen", "closed"),
        D.distribution_panel("duurtijd", "Duurtijd", "closed"),
    ]
    release, _, _ = apps.dashboard_release(frame, [p.key for p in closed], 5)
    reused = DashboardApp("Test", release, closed)
    reused.select(organisation="Org Aalst")
    reused.select(status="closed")
    fresh = DashboardApp("Test", release, closed)
    fresh.select(organisation="Org Aalst", status="closed")

    def shown(app):
        return [(p.last_svg, p.message.value, p.n_label.value, p.table.value, p.downloads.value)
                for p in app.panels]

    assert reused.status.value == fresh.status.value
    assert shown(reused) == shown(fresh)
    assert all(p.last_svg for p in reused.panels)


def test_the_old_import_path_still_offers_the_panel_factories():
    from sofs_lib import widgets

    for name in ("share_panel", "distribution_panel", "trend_share_panel", "trend_mean_panel",
                 "PanelSpec", "PanelOutput", "View", "Selection", "DashboardApp"):
        assert getattr(widgets, name) is getattr(D, name)


def test_a_distribution_shows_the_other_organisations_together_as_their_mean(frame):
    from sofs_lib import access
    from sofs_lib.dashboards.lookups import OTHERS_LABEL

    identity = access.Identity("aalst", access.ORGANISATION, "Org Aalst")
    app = small_app(frame, identity=identity, min_cell=5)
    panel = next(p for p in app.panels if p.spec.key == "aantal_netwerkberaden")
    table = panel.last_output.table.frame
    others = table.loc[table.iloc[:, 0] == OTHERS_LABEL]
    assert len(others) == 1
    values = frame.loc[frame["organisation"] != "Org Aalst", "network_meetings"].dropna()
    row = others.iloc[0]
    assert row["n"] == len(values)
    assert row["Gemiddelde"] == pytest.approx(values.mean())
    assert pd.isna(row["Mediaan"])  # not derivable from released numbers: left empty
    assert "mean-only" in panel.last_svg
    assert "bij de andere organisaties samen" in panel.last_output.sentence
    assert "niet bekend" in panel.last_output.note
    for name in _other_names("Org Aalst"):
        assert name not in app.texts()


def test_the_first_render_reaches_the_browser_as_widget_state_not_as_updates(frame, monkeypatch):
    """Building an app sends each widget once (its state, with the drawn panel inside), not
    an empty widget and then updates: every message is work for the server relaying it and
    the browser building the page, for every visitor."""
    import comm
    from comm.base_comm import BaseComm
    from ipywidgets.widgets import widget as widget_module

    sent: list[tuple[str, dict]] = []

    class Recording(BaseComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            sent.append((msg_type, data or {}))

    monkeypatch.setattr(widget_module.comm, "create_comm", lambda **kw: Recording(**kw))
    monkeypatch.setattr(comm, "create_comm", lambda **kw: Recording(**kw))
    app = small_app(frame, min_cell=5)
    opened = [data["state"] for kind, data in sent if kind == "comm_open"]
    updates = [data["state"] for kind, data in sent if kind == "comm_msg"]
    panel_states = [s for s in opened if "sofs-panel" in s.get("_dom_classes", ())]
    assert len(panel_states) == len(app.panels)
    assert all("<svg" in s["value"] for s in panel_states)  # drawn before it was sent
    classes_later = [u["_dom_classes"] for u in updates if "_dom_classes" in u]
    assert classes_later in ([], [("sofs-headline",)])  # given at creation (headline: its own)
    panel_values = {p.widget.value for p in app.panels}
    assert not [u for u in updates if u.get("value") in panel_values]
    # the panels share one layout and one style model
    assert len({s["layout"] for s in panel_states}) == 1
    assert len({s["style"] for s in panel_states}) == 1


def test_an_organisation_whose_count_protects_another_cell_still_shows_its_released_figures():
    """The agency, on the committed release: an organisation whose selection count is hidden
    only to protect another cell (``x``, not small) shows every figure its release holds,
    with ``x`` in the n line; only a panel with nothing of it released says so in one line."""
    from sofs_lib import access
    from sofs_lib.release import store

    agency = access.Identity("test-agentschap", access.AGENCY, None)
    built = apps.build_app("modelgetrouwheid", identity=agency)
    counts = store.load_slice(agency).tables["counts"]
    top = counts[counts["cell"] == built.view().cell()]
    protecting = sorted(top.loc[top["n_flag"] == "x", "organisation"])
    if not protecting:
        pytest.skip("no organisation's count is hidden to protect another cell in this release")
    for org in protecting[:3]:
        built.select(organisation=org)
        assert f"waarvan {HIDDEN} van {org}" in built.status.value
        shown = [p for p in built.panels if not p.message.value]
        told = [p for p in built.panels if p.message.value]
        assert shown, f"{org}: every panel hidden"
        assert all(lookups.HIDDEN_SELECTION_MESSAGE in p.message.value for p in told)
        assert any(re.search(r"\d+,\d%", p.table.value) for p in shown), org
        assert all(f"n = {HIDDEN}" in p.n_label.value for p in shown if org in p.n_label.value)


def test_a_page_can_only_choose_an_offered_option_of_a_control(release_slice):
    """What a browser sends a control: an offered ``index`` is applied; options, labels,
    value, description and an index outside the options are dropped without an error."""
    from sofs_lib.dashboards.controls import ControlDropdown

    built = DashboardApp("Test", release_slice, [D.share_panel("stappen", "Stappen", category="step")],
                         key="modelgetrouwheid")
    dropdown = built.controls["status"]
    assert isinstance(dropdown, ControlDropdown)
    options, description = dropdown.options, dropdown.description
    dropdown.set_state({"_options_labels": ["Vlaanderen", "Org Brugge"], "description": "x",
                        "index": 2})
    assert dropdown.options == options and dropdown.description == description
    assert dropdown.index == 2 and built.selection().status == options[2][1]
    for crafted in ({"index": len(options)}, {"index": -1}, {"index": True}, {"index": "1"},
                    {"value": "Org Brugge"}, {"label": "Org Brugge"}):
        dropdown.set_state(crafted)
        assert dropdown.index == 2, crafted
    dropdown.index = 0  # the kernel's own change still goes through
    assert built.selection().status is None
