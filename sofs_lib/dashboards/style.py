"""The dashboards' CSS: one stylesheet, colours from :data:`spec.ROLE_COLOURS`, text
contrast ≥ 4.5:1, figures and tables that follow the window (no fixed pixel boxes)."""

from __future__ import annotations

from sofs_lib.dashboards.spec import ROLE_COLOURS

TEXT = "#1f2933"
MUTED = "#3e4c59"  # 10:1 on white
LINK = "#1d5f5d"

CSS = f"""
<style>
.sofs-app {{ font-family: "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: {TEXT};
  width: 100%; max-width: 1800px; box-sizing: border-box; }}
.sofs-app .widget-html-content {{ white-space: normal; }}
.sofs-nav nav {{ display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 14px; margin: 0 0 8px 0; }}
.sofs-nav a {{ color: {LINK}; text-decoration: underline; }}
.sofs-nav a[aria-current="page"] {{ font-weight: 700; text-decoration: none; color: {TEXT}; }}
.sofs-controls {{ background: #f5f6f7; border: 1px solid #c2c9d1; border-radius: 6px;
  padding: 8px 12px; margin-bottom: 8px; }}
.sofs-controls .widget-label {{ color: {TEXT}; }}
.sofs-busy {{ font-size: 13px; color: {MUTED}; min-height: 20px; }}
.sofs-intro, .sofs-status-text, .sofs-legend {{ font-size: 14px; color: {MUTED}; margin: 2px 0; }}
.sofs-headline .sofs-tiles {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }}
.sofs-tile {{ flex: 1 1 180px; max-width: 320px; border: 1px solid #c2c9d1; border-radius: 6px;
  padding: 8px 12px; background: #fff; border-top: 5px solid {ROLE_COLOURS["others"]}; }}
.sofs-tile-own {{ border-top-color: {ROLE_COLOURS["own"]}; }}
.sofs-tile-flanders {{ border-top-color: {ROLE_COLOURS["flanders"]}; }}
.sofs-tile .sofs-tile-label {{ font-size: 13px; color: {MUTED}; }}
.sofs-tile .sofs-tile-value {{ font-size: 26px; font-weight: 700; color: {TEXT}; }}
.sofs-tile .sofs-tile-detail {{ font-size: 13px; color: {MUTED}; }}
.sofs-headline ul {{ margin: 4px 0 8px 0; padding-left: 20px; font-size: 14px; }}
.sofs-panel {{ border: 1px solid #c2c9d1; border-radius: 6px; padding: 8px 16px 12px 16px;
  margin-bottom: 16px; background: #fff; width: 100%; box-sizing: border-box; overflow: hidden; }}
/* ipywidgets gives every widget a 2px side margin: a 100% wide panel would stick out 4px. */
.sofs-panel.widget-html, .sofs-panel.jupyter-widget-html {{ display: block; margin-left: 0;
  margin-right: 0; }}
/* A panel below the window is laid out and painted when it scrolls into view, not on every
   redraw (it stays in the page and in the accessibility tree; "auto" keeps its last size). */
.sofs-panel {{ content-visibility: auto; contain-intrinsic-size: auto 640px; }}
.sofs-panel > .widget-html-content, .sofs-panel > .jupyter-widget-html-content {{ line-height: 1.4; }}
.sofs-panel h2 {{ margin: 4px 0 2px 0; font-size: 18px; }}
.sofs-panel-body {{ display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; width: 100%; }}
.sofs-panel-body > .sofs-figure {{ flex: 1 1 460px; min-width: 0; max-width: 1000px; }}
.sofs-panel-body > .sofs-table {{ flex: 1 1 560px; min-width: 0; }}
.sofs-figure svg {{ width: 100%; height: auto; display: block; }}
.sofs-message {{ display: flex; align-items: center; justify-content: center; min-height: 160px;
  background: #f5f6f7; color: {MUTED}; font-size: 15px; text-align: center; padding: 0 24px; }}
.sofs-n, .sofs-note, .sofs-sentence {{ font-size: 14px; color: {MUTED}; margin: 2px 0; }}
.sofs-sentence {{ color: {TEXT}; }}
table.sofs-data {{ border-collapse: collapse; font-size: 13px; width: 100%; }}
table.sofs-data caption {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
table.sofs-data th, table.sofs-data td {{ border-bottom: 1px solid #e4e7eb; padding: 3px 6px;
  vertical-align: bottom; overflow-wrap: normal; word-break: normal; }}
table.sofs-data tbody th {{ min-width: 9em; }}
table.sofs-data thead th {{ font-weight: 600; }}
table.sofs-data .num {{ text-align: right; white-space: nowrap; }}
table.sofs-data thead th.num {{ white-space: normal; }}
table.sofs-data .txt {{ text-align: left; font-weight: normal; }}
table.sofs-data thead th.txt {{ font-weight: 600; }}
.sofs-downloads {{ font-size: 14px; margin-top: 6px; }}
.sofs-downloads a {{ color: {LINK}; margin-right: 12px; }}
</style>
"""
