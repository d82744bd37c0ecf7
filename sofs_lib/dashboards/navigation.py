"""Links between the dashboards a role may open and back to the landing page (a widget)."""

from __future__ import annotations

import html

import ipywidgets as W

#: From ``<base>voila/render/<notebook>`` back to ``<base>`` (the landing page).
LANDING_HREF = "../../"


def navigation_html(current: str, entries: list[tuple[str, str, str]]) -> str:
    """``entries``: (key, notebook, title) of the dashboards this role may open."""
    links = [f'<a href="{LANDING_HREF}" class="sofs-home">← Startpagina</a>']
    for key, notebook, title in entries:
        attr = ' aria-current="page"' if key == current else ""
        links.append(f'<a href="{html.escape(notebook)}"{attr}>{html.escape(title)}</a>')
    return f'<nav aria-label="Dashboards">{"".join(links)}</nav>'


def navigation(current: str, entries: list[tuple[str, str, str]]) -> W.HTML:
    return W.HTML(navigation_html(current, entries), _dom_classes=("sofs-nav",))

