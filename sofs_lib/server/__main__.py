"""``python -m sofs_lib.server DASHBOARDS_DIR --Voila.port=...``: the dashboard server."""

import sys

from sofs_lib.server.app import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
