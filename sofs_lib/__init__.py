"""sofs_lib — reading, cleaning, indicators, statistics and dashboards for the
registration data of *contextbegeleiding Signs of Safety* (Flanders).

The modules are named for what they hold; see README.md for the map.
"""

__version__ = "0.1.0"
