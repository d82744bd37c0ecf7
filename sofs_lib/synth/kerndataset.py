"""Synthetic kerndataset files for the synthetic trajectories (report §4.3, Tables 11–13).

``write_kerndataset(folder, seed=..., n=...)`` writes, for the closed trajectories of the
synthetic dashboard export with the same seed and size:

- ``kerndataset.xlsx`` — the registration workbook as organisations fill it (sheets
  ``Afronding``, ``6 maanden``, ``12 maanden``);
- ``kerndataset_enquete.csv`` — a survey-tool export (Microsoft Forms style, Belgian CSV)
  holding the closure surveys of two organisations that collect them online.

How the answers are drawn (seeded, deterministic; nothing here is a published figure —
the report has no kerndataset results):

- survey answers from one latent trait per subscale (fidelity and effectiveness correlate
  .6) with loadings chosen so that Cronbach's α lands around .8–.9, cut into the answer
  options, skewed to agreement as satisfaction surveys are;
- about 4% of answers left blank, and some respondents skipping a whole block;
- closure registered for ~85% of closed trajectories; consent recorded for ~80% of those,
  refused or left blank for the rest; follow-up contacts only when due before the export
  date, with attrition at +6 m and again at +12 m;
- the typing people do: labels in lower case or with a trailing space, ``Akk.``,
  ``Hel. akkoord``, a number instead of a label, a stray unreadable answer, a family
  registered twice, a Fiche ID that is not in the dashboard, a consent date typed after the
  follow-up contact, a follow-up contact without consent;
- free-text answers drawn from a short list of neutral, made-up sentences.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from sofs_lib import config
from sofs_lib.errors import SofsInputError
from sofs_lib.kerndataset import instrument as ins

WORKBOOK_NAME = "kerndataset.xlsx"
SURVEY_NAME = "kerndataset_enquete.csv"
#: Organisations (by size rank, 0 = largest) that collect the surveys with a survey tool.
SURVEY_TOOL_ORGS = (1, 4)

P_CLOSURE = 0.85
P_CONSENT = 0.80
P_CONSENT_REFUSED = 0.12  # of those without consent: the rest leave it blank
P_CHILD_SURVEY = 0.60
P_ITEM_BLANK = 0.04
P_BLOCK_SKIPPED = 0.05
P_CONTACT = {"6m": 0.80, "12m": 0.85}  # of the previous moment's reached families
P_REACHED = 0.85
LOADING, NOISE = 0.62, 0.80  # per-item signal and noise of the latent trait
CHILD_LOADING, CHILD_NOISE = 0.65, 0.77
FREE_TEXT = (
    "Vertelt zelf wanneer iets moeilijk is",
    "Gaat graag naar school",
    "Slaapt beter",
    "Belt de grootmoeder als het thuis spannend wordt",
    "Netwerk komt maandelijks samen bij de tante",
    "Afspraken in het plan aangepast na de verhuis",
    "Buurvrouw springt in en belt de consulent",
    "Via een groepschat met het netwerk",
)
_LIKERT_TYPED = {  # how people type each label besides the label itself
    1: ("helemaal niet akkoord", "HNA", "1"),
    2: ("niet akkoord ", "Niet akk.", "2"),
    3: ("neutraal", "Neutr.", "3"),
    4: ("akkoord ", "Akk.", "4"),
    5: ("helemaal akkoord", "Hel. akkoord", "5"),
}
_LIKERT_FORM_P = (0.86, 0.05, 0.045, 0.045)  # label, case/space, abbreviation, number
_CHANNEL_P = (0.45, 0.43, 0.06, 0.06)


def _thresholds(values: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    return np.searchsorted(np.asarray(cuts), values) + 1


def _survey(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Parent and child answers (codes; 0 = blank) for n respondents."""
    fid = rng.standard_normal(n)
    eff = 0.6 * fid + 0.8 * rng.standard_normal(n)
    kid = 0.4 * fid + np.sqrt(1 - 0.16) * rng.standard_normal(n)
    answers: dict[str, np.ndarray] = {}
    likert_cuts = (-1.9, -1.2, -0.5, 0.45)
    for item in ins.survey_items("modelgetrouwheid") + ins.survey_items("effectiviteit"):
        trait = fid if int(item[1:]) <= 14 else eff
        shift = rng.normal(0.0, 0.15)
        raw = LOADING * trait + NOISE * rng.standard_normal(n) + shift
        answers[item] = _thresholds(raw, likert_cuts)
    for item in ins.survey_items("kind"):
        raw = CHILD_LOADING * kid + CHILD_NOISE * rng.standard_normal(n) + rng.normal(0, 0.1)
        answers[item] = _thresholds(raw, (-1.0, -0.1))  # 1 nee, 2 soms, 3 ja
    for block in ("modelgetrouwheid", "effectiviteit", "kind"):
        items = ins.survey_items(block)
        skipped = rng.random(n) < P_BLOCK_SKIPPED
        for item in items:
            blank = skipped | (rng.random(n) < P_ITEM_BLANK)
            answers[item] = np.where(blank, 0, answers[item])
    return answers


def _likert_text(code: int, rng: np.random.Generator) -> object:
    if code == 0:
        return None
    form = rng.choice(4, p=_LIKERT_FORM_P)
    if form == 0:
        return ins.LIKERT5.labels[code - 1]
    typed = _LIKERT_TYPED[code][form - 1]
    return int(typed) if form == 3 and rng.random() < 0.5 else typed


def _child_text(code: int, rng: np.random.Generator) -> object:
    if code == 0:
        return None
    label = {3: "Ja", 2: "Soms", 1: "Nee"}[code]
    return label.lower() if rng.random() < 0.08 else label


def _date_cell(day: date, rng: np.random.Generator) -> object:
    """Mostly a real date; sometimes typed as text the Belgian way."""
    if rng.random() < 0.08:
        return f"{day.day}/{day.month:02d}/{day.year}"
    return datetime.combine(day, datetime.min.time())


def _binc_children(seed: int) -> list[str]:
    from sofs_lib.synth.binc import _build_frames

    _, child_rows = _build_frames(seed)
    return sorted({str(row[0]).strip() for row in child_rows if row and row[0]})


def _simulate(
    seed: int,
    n: int,
    *,
    start: date | None = None,
    export_date: date | None = None,
    org_names: Sequence[str] | None = None,
):
    from sofs_lib.synth.dashboard import check_org_names, simulate_truth

    names = check_org_names(org_names)
    truth = simulate_truth(seed, n, start=start, export_date=export_date, n_orgs=len(names))
    rng = np.random.default_rng([seed, 12])
    export = export_date or config.REPORT_EXPORT_DATE
    epoch = date(1970, 1, 1)
    closed = np.flatnonzero(truth.closed)
    closed = closed[np.lexsort((truth.seq[closed], truth.org[closed]))]
    sizes = np.bincount(truth.org, minlength=len(names))
    size_rank = {int(o): r for r, o in enumerate(np.argsort(-sizes, kind="stable"))}
    binc_ids = _binc_children(seed)
    binc_pick = iter(rng.permutation(binc_ids).tolist())

    sheets: dict[str, list[list[object]]] = {m: [] for m in ins.MOMENTS}
    survey_rows: list[list[object]] = []
    registered = closed[rng.random(len(closed)) < P_CLOSURE]
    answers = _survey(rng, len(registered))
    child_has = rng.random(len(registered)) < P_CHILD_SURVEY
    closure_headers = ins.sheet_headers("closure")

    for r, i in enumerate(registered):
        org = names[truth.org[i]]
        fiche = f"F{truth.seq[i]:04d}"
        end = epoch + timedelta(days=int(truth.end[i]))
        contact = min(end + timedelta(days=int(rng.integers(0, 15))), export)
        consent_roll = rng.random()
        consent = consent_roll < P_CONSENT
        channel = (
            ins.CONSENT_CHANNELS[rng.choice(4, p=_CHANNEL_P)]
            if consent
            else (ins.NO_CONSENT if rng.random() < P_CONSENT_REFUSED / (1 - P_CONSENT) else None)
        )
        consent_day = contact if consent else None
        network = int(truth.network_size[i]) if truth.network_size[i] >= 0 else None
        if network is None and rng.random() < 0.5:
            network = int(rng.poisson(4))
        parent_n = int(rng.poisson(3))
        child_n = int(rng.poisson(2.2))
        placed = bool(truth.plan_b_active[i] == 1)
        where = {0: "Netwerk", 1: "Verblijf"}.get(int(truth.plan_b[i])) if placed else None
        via_survey = size_rank[int(truth.org[i])] in SURVEY_TOOL_ORGS
        row: dict[str, object] = {
            "Organisatie": org,
            "Fiche ID": fiche,
            "Contactdatum": _date_cell(contact, rng),
            "Toestemming datum": _date_cell(consent_day, rng) if consent_day else None,
            "Toestemming kanaal": channel,
            "Kind ID (Binc)": next(binc_pick, None) if rng.random() < 0.6 else None,
            "Aantal netwerkfiguren": network,
            "Personen ouder": parent_n,
            "Personen kind": child_n,
            "Uithuisplaatsing": "Ja" if placed else "Nee",
            "Uithuisplaatsing waar": where,
            "Signalen veiliger": FREE_TEXT[rng.integers(0, 4)] if rng.random() < 0.5 else None,
            "Signalen goed": FREE_TEXT[rng.integers(0, 4)] if rng.random() < 0.4 else None,
        }
        survey: dict[str, object] = {}
        for item in ins.survey_items():
            code = int(answers[item][r])
            if item.startswith("K") and not child_has[r]:
                code = 0
            survey[item] = _likert_text(code, rng) if item.startswith("O") else _child_text(code, rng)
        if rng.random() < 0.05:  # a stray unreadable answer
            survey[ins.survey_items()[int(rng.integers(0, 28))]] = "?"
        if via_survey:
            stamp = datetime.combine(contact, datetime.min.time()) + timedelta(
                hours=int(rng.integers(9, 20)), minutes=int(rng.integers(0, 60))
            )
            survey_rows.append(_survey_row(len(survey_rows) + 1, org, fiche, stamp, survey))
            if rng.random() < 0.05:  # submitted twice, a few answers changed
                again = dict(survey)
                for item in rng.choice(ins.survey_items("effectiviteit"), 3, replace=False):
                    again[str(item)] = ins.LIKERT5.labels[int(rng.integers(2, 5))]
                survey_rows.append(
                    _survey_row(len(survey_rows) + 1, org, fiche, stamp + timedelta(days=2), again)
                )
        else:
            row |= survey
        sheets["closure"].append([row.get(h) for h in closure_headers])
        if rng.random() < 0.02:  # registered twice: the second row corrects two answers
            twice = dict(row)
            twice["O15"] = ins.LIKERT5.labels[int(rng.integers(2, 5))]
            twice["Contactdatum"] = _date_cell(min(contact + timedelta(days=3), export), rng)
            sheets["closure"].append([twice.get(h) for h in closure_headers])

        previous = {"Aantal netwerkfiguren": network, "Personen kind": child_n,
                    "Personen ouder": parent_n}  # fmt: skip
        reached_before = True
        for moment in ins.MOMENTS[1:]:
            months = ins.MOMENT_MONTHS[moment]
            due = _add_months(end, months)
            if due > export or not reached_before:
                break
            contact_anyway = (not consent) and rng.random() < 0.01
            if not (consent or contact_anyway) or rng.random() > P_CONTACT[moment]:
                break
            day = min(due + timedelta(days=int(rng.integers(0, 35))), export)
            reached = rng.random() < P_REACHED
            follow: dict[str, object] = {
                "Organisatie": org,
                "Fiche ID": fiche,
                "Contactdatum": _date_cell(day, rng),
                "Bereikt": ("Ja" if rng.random() > 0.1 else "ja") if reached else "Nee",
            }
            if reached:
                for header, value in previous.items():
                    if value is None:
                        continue
                    new = max(0, int(value) + int(rng.choice([-2, -1, -1, 0, 0, 0, 1, 1])))
                    follow[header] = new
                    previous[header] = new
                follow["Opnieuw aangemeld"] = "Ja" if rng.random() < 0.08 else "Nee"
                placed_again = rng.random() < 0.05
                follow["Uithuisplaatsing"] = "Ja" if placed_again else "Nee"
                follow["Uithuisplaatsing waar"] = (
                    ["Netwerk", "Verblijf"][int(rng.random() < 0.4)] if placed_again else None
                )
                follow["Netwerk samengekomen (aantal)"] = int(rng.poisson(1.5))
                follow["Netwerk samen: hoe"] = FREE_TEXT[rng.integers(4, 8)] if rng.random() < 0.5 else None
            if consent and moment == "6m" and rng.random() < 0.01:
                # consent typed with the follow-up date instead of the closure date
                sheets["closure"][-1][closure_headers.index("Toestemming datum")] = _date_cell(
                    day + timedelta(days=1), rng
                )
            headers = ins.sheet_headers(moment)
            sheets[moment].append([follow.get(h) for h in headers])
            reached_before = reached
    # Fiche IDs that are not in the dashboard (quarantined by the cleaner).
    for k in range(2):
        org = names[int(rng.integers(0, len(names)))]
        row = {"Organisatie": org, "Fiche ID": f"F9{k:03d}", "Contactdatum": _date_cell(export, rng),
               "O1": "Akkoord"}  # fmt: skip
        sheets["closure"].append([row.get(h) for h in closure_headers])
    return sheets, survey_rows


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


SURVEY_META = ("Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Organisatie", "Fiche ID")


def _survey_headers() -> list[str]:
    items = ins.load_items().set_index("item_id")
    headers = list(SURVEY_META)
    for item in ins.survey_items():
        text = items.loc[item, "text"]
        headers.append(f"{item[1:]}. {text}" if item.startswith("O") else text)
    return headers


def _survey_row(n: int, org: str, fiche: str, stamp: datetime, survey: dict) -> list[object]:
    start = stamp - timedelta(minutes=9)
    values = [n, start.strftime("%d/%m/%Y %H:%M:%S"), stamp.strftime("%d/%m/%Y %H:%M:%S"),
              "anoniem", "", org, fiche]  # fmt: skip
    return values + ["" if survey[i] is None else str(survey[i]) for i in ins.survey_items()]


def write_kerndataset(
    out_dir: Path,
    *,
    seed: int,
    n: int,
    start: date | None = None,
    export_date: date | None = None,
    org_names: Sequence[str] | None = None,
) -> dict[str, Path]:
    """Write ``kerndataset.xlsx`` and ``kerndataset_enquete.csv`` into ``out_dir``.

    The same arguments always give byte-identical files (fixed workbook dates). ``start``,
    ``export_date`` and ``org_names`` follow the dashboard export written with the same ones.
    """
    import xlsxwriter

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SofsInputError(f"seed must be a whole number of at least 0, got {seed!r}")
    out_dir = Path(out_dir)
    sheets, survey_rows = _simulate(
        seed, n, start=start, export_date=export_date, org_names=org_names
    )
    book_path = out_dir / WORKBOOK_NAME
    workbook = xlsxwriter.Workbook(str(book_path))
    created = datetime.combine(export_date or config.REPORT_EXPORT_DATE, datetime.min.time())
    workbook.set_properties({"title": "Kerndataset (synthetic)", "created": created})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    bold = workbook.add_format({"bold": True})
    for moment in ins.MOMENTS:
        sheet = workbook.add_worksheet(ins.MOMENT_SHEETS[moment])
        for col, header in enumerate(ins.sheet_headers(moment)):
            sheet.write_string(0, col, header, bold)
        for r, values in enumerate(sheets[moment], start=1):
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r, col, value, date_format)
                elif isinstance(value, int | np.integer):
                    sheet.write_number(r, col, int(value))
                else:
                    sheet.write_string(r, col, str(value))
    workbook.close()

    survey_path = out_dir / SURVEY_NAME
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_survey_headers())
    writer.writerows(survey_rows)
    survey_path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return {"kerndataset": book_path, "kerndataset_survey": survey_path}


__all__ = ["SURVEY_NAME", "WORKBOOK_NAME", "write_kerndataset"]
