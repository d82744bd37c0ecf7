import sys

from sofs_lib.cli import main

sys.exit(main())
