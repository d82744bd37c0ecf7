"""The control bar (a composite widget): one dropdown per :class:`ControlSpec`, offering
only what the role's release holds; its ``selection`` trait follows the dropdowns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import traitlets

from sofs_lib.dashboards.selection import (
    ALL,
    ControlSpec,
    Selection,
    control_options,
    default_value,
)


class ControlDropdown(W.Dropdown):
    """A dropdown whose page may change only which offered option is chosen: a browser
    message's ``index`` is applied when it is one of the options, anything else it sends
    (options, labels, value, description, style) is dropped. The kernel's own changes go
    through as usual. So a script in the page can neither make the kernel show nor make it
    echo back a choice the role was not offered, and a malformed index raises nothing."""

    def set_state(self, sync_data: dict) -> None:
        index = sync_data.get("index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(self.options):
            super().set_state({"index": index})


class Controls(traitlets.HasTraits):
    """Dropdowns by selection field; :attr:`selection` is what they say now."""

    selection = traitlets.Instance(Selection)
    disabled = traitlets.Bool(False)

    def __init__(self, release: Any, specs: Sequence[ControlSpec]):
        super().__init__(selection=Selection())
        self.specs = tuple(specs)
        self.dropdowns: dict[str, W.Dropdown] = {}
        for spec in self.specs:
            options = control_options(release, spec) if release is not None else [("Alle", ALL)]
            dropdown = ControlDropdown(
                options=options,
                value=default_value(release, spec, options),
                description=spec.label,
                style={"description_width": "initial"},
                layout=W.Layout(width="auto", margin="0 18px 4px 0"),
                _dom_classes=(f"sofs-control-{spec.field}",),
            )
            traitlets.dlink((self, "disabled"), (dropdown, "disabled"))
            self.dropdowns[spec.field] = dropdown
        self.widget = W.HBox(list(self.dropdowns.values()), layout=W.Layout(flex_flow="row wrap"),
                             _dom_classes=("sofs-controls",))
        self._hold = False
        self.selection = self.read()
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._changed, names="value")

    def read(self) -> Selection:
        """The current control values as a :class:`Selection` (only offered values)."""
        values = {}
        for name, dropdown in self.dropdowns.items():
            offered = {v for _, v in dropdown.options}
            value = dropdown.value if dropdown.value in offered else ALL
            values[name] = None if value == ALL else value
        return Selection(**values)

    def _changed(self, _change: dict) -> None:
        if not self._hold:
            self.selection = self.read()

    def set(self, **values: Any) -> None:
        """Set several dropdowns by field (``None`` = all); one ``selection`` change."""
        self._hold = True
        try:
            for name, value in values.items():
                self.dropdowns[name].value = ALL if value is None else value
        finally:
            self._hold = False
        self.selection = self.read()
