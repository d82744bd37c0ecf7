"""A :class:`~sofs_lib.dashboards.spec.TableSpec` as an accessible HTML table: every row,
headers as ``<th scope="col">``, numbers right-aligned, hidden cells :data:`spec.HIDDEN`."""

from __future__ import annotations

import html

from sofs_lib.dashboards.spec import TableSpec


def table_html(table: TableSpec | None, caption: str = "") -> str:
    """The whole table (no scroll box, no pagination: all rows), escaped."""
    if table is None or table.frame.empty:
        return ""
    shown = table.display()
    numeric = {c: table.formats[c] != "text" for c in shown.columns}
    head = "".join(
        f'<th scope="col" class="{"num" if numeric[c] else "txt"}">{html.escape(str(c))}</th>'
        for c in shown.columns
    )
    body = []
    for _, row in shown.iterrows():
        cells = []
        for i, c in enumerate(shown.columns):
            tag = "th scope=\"row\"" if i == 0 else "td"
            end = "th" if i == 0 else "td"
            cls = "num" if numeric[c] else "txt"
            cells.append(f'<{tag} class="{cls}">{html.escape(str(row[c]))}</{end}>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="sofs-data">{cap}<thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )
