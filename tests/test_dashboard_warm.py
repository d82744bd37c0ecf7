"""A pooled kernel's warm-up loads code, never data and never an identity
(``sofs_lib.dashboards.warm``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sofs_lib import access
from sofs_lib.dashboards import warm

PROBE = """
import json, sys
from sofs_lib import access
from sofs_lib.release import store
def refuse(*a, **k):
    raise AssertionError("the warm-up read release data")
import sofs_lib.dashboards.apps
store.load_slice = store.read_tables = store.read_feedback = refuse
import sofs_lib.dashboards.warm as warm
warm.warm_up()
import gc
print(json.dumps({"bound": access.current() not in (access.LOCAL, access.UNBOUND_SERVED),
                  "missing": [m for m in warm.MODULES if m not in sys.modules],
                  "frozen": gc.get_freeze_count() > 10_000, "collectable": len(gc.get_objects())}))
"""


def test_warm_up_imports_the_app_modules_and_reads_no_release_and_binds_no_one():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, access.SERVED_ENV: "1", "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # what the kernel imported is frozen: a page's redraw collects only what the page made
    assert result.pop("frozen") and result.pop("collectable") < 5_000
    assert result == {"bound": False, "missing": []}


def test_warm_up_refuses_to_run_in_a_kernel_bound_to_a_visitor():
    access._reset_for_tests()
    try:
        access.bind(user="a", role=access.PUBLIC)
        with pytest.raises(PermissionError):
            warm.warm_up()
    finally:
        access._reset_for_tests()


def test_the_shipped_pool_warm_code_runs_the_warm_up():
    from sofs_lib import serve

    code = json.loads(serve.VOILA_CONFIG.read_text())["SofsKernelManager"]["pool_warm_code"]
    assert "sofs_lib.dashboards.warm" in code and "warm_up()" in code
