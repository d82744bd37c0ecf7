"""A :class:`~sofs_lib.dashboards.spec.TableSpec` as an accessible HTML table: every row,
headers as ``<th scope="col">``, numbers right-aligned, hidden cells :data:`spec.HIDDEN`."""

from __future__ import annotations

import html

from sofs_lib.dashboards.spec import TableSpec


def table_html(table: TableSpec | None, caption: str = "") -> str:
    """The whole table (no scroll box, no pagination: all rows), escaped."""
    if table is None or table.frame.empty:
        return ""
    columns = [str(c) for c in table.frame.columns]
    shown = table.display_columns()
    cls = ["txt" if table.formats[c] == "text" else "num" for c in table.frame.columns]
    head = "".join(
        f'<th scope="col" class="{k}">{html.escape(c)}</th>' for c, k in zip(columns, cls, strict=True)
    )
    body = []
    for row in zip(*shown, strict=True):
        cells = [f'<th scope="row" class="{cls[0]}">{html.escape(row[0])}</th>']
        cells += [f'<td class="{k}">{html.escape(v)}</td>' for v, k in zip(row[1:], cls[1:], strict=True)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="sofs-data">{cap}<thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )
