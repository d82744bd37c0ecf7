"""sofs_lib — reading, cleaning, indicators, statistics and dashboards for the
registration data of *contextbegeleiding Signs of Safety* (Flanders).

The modules are named for what they hold; see README.md for the map.
"""

import os as _os

# The release's attacker solves many small linear systems; a multi-threaded BLAS spends
# more time scheduling threads than computing on them (30x slower on a busy machine).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
