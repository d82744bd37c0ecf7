"""One organisation's own report (``sofs report --organisation``): its figures beside Flanders
from its own release slice, no other organisation's name in any file, and a plain Dutch
refusal for a name that is not an organisation."""

from __future__ import annotations

import base64
import re

import pytest

from sofs_lib import cli, report_org
from sofs_lib.errors import SofsInputError

pytestmark = pytest.mark.slow  # reads (and when stale builds) the release of the data in use


@pytest.fixture(scope="module")
def organisations() -> list[str]:
    return report_org.organisations()


def test_unknown_name_is_one_dutch_line_with_close_names(organisations, capsys):
    own = organisations[-1]
    code = cli.main(["report", "--organisation", own.lower() + "x"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "is geen organisatie in deze gegevens" in err and own in err


def test_close_names_are_at_most_three_and_a_far_name_gets_none():
    known = ["Het Anker", "De Meander", "Ankerpunt", "Het Ankertje", "Zonnebloem"]
    with pytest.raises(SofsInputError) as caught:
        report_org.check_organisation("het anker", known)
    text = str(caught.value)
    assert "Bedoelde u: Het Anker" in text and text.count(",") <= 2
    with pytest.raises(SofsInputError, match="Geen gelijkende naam"):
        report_org.check_organisation("qqqqqqqq", known)


def _texts(html_text: str) -> str:
    """The page and the text of every CSV download it carries (base64 data: links)."""
    parts = [html_text]
    for match in re.finditer(r'href="data:text/csv[^"]*?base64,([^"]+)"', html_text):
        parts.append(base64.b64decode(match.group(1)).decode("utf-8-sig"))
    return "\n".join(parts)


def test_organisation_report_shows_its_own_figures_and_no_other_name(organisations, tmp_path):
    own = organisations[len(organisations) // 2]
    written = report_org.render_organisation(own, tmp_path, ["modelgetrouwheid"])
    assert {p.name for p in written} == {"modelgetrouwheid.html", "index.html"}
    for path in written:
        text = _texts(path.read_text(encoding="utf-8"))
        assert own in text
        leaked = [o for o in organisations if o != own and re.search(rf"\b{re.escape(o)}\b", text)]
        assert leaked == [], f"{path.name} names {leaked}"
    page = (tmp_path / "modelgetrouwheid.html").read_text(encoding="utf-8")
    assert "Vlaanderen" in page and "Vertrouwelijk" in page
