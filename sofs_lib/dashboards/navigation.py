"""Links between the dashboards a role may open and back to the landing page (a widget)."""

from __future__ import annotations

import html

import ipywidgets as W

#: From ``<base>voila/render/<notebook>`` back to ``<base>`` (the landing page).
LANDING_HREF = "../../"


#: Inline, so the bar reads the same on pages without the dashboards' stylesheet (the
#: feedback pages): links spaced apart and underlined, the current page bold.
NAV_STYLE = "display:flex;flex-wrap:wrap;gap:4px 16px;font-size:14px;margin:0 0 8px 0"
LINK_STYLE = "color:#1d5f5d;text-decoration:underline"
CURRENT_STYLE = "color:#1f2933;font-weight:700;text-decoration:none"


def home_link() -> str:
    """The link back to the landing page."""
    return f'<a href="{LANDING_HREF}" class="sofs-home" style="{LINK_STYLE}">← Startpagina</a>'


def navigation_html(current: str, entries: list[tuple[str, str, str]]) -> str:
    """``entries``: (key, notebook, title) of the dashboards this role may open."""
    links = [home_link()]
    for key, notebook, title in entries:
        attr = (f' aria-current="page" style="{CURRENT_STYLE}"' if key == current
                else f' style="{LINK_STYLE}"')
        links.append(f'<a href="{html.escape(notebook)}"{attr}>{html.escape(title)}</a>')
    return f'<nav aria-label="Dashboards" style="{NAV_STYLE}">{"".join(links)}</nav>'


def navigation(current: str, entries: list[tuple[str, str, str]]) -> W.HTML:
    return W.HTML(navigation_html(current, entries), _dom_classes=("sofs-nav",))

