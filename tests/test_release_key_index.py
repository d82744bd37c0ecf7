"""The slice's key index finds exactly the rows a plain filter finds, in table order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sofs_lib.release.store import KeyIndex


def _table(seed: int, rows: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    organisations = np.array(["__alle__", "Org Aalst", "’t Ventiel", "Org & Co"], dtype=object)
    frame = pd.DataFrame({
        "measure": rng.choice(["stappen", "plan_b", "duur"], rows),
        "organisation": rng.choice(organisations, rows),
        "cell": rng.choice(["__alle__|open", "J1|closed", "J2|closed"], rows),
        "value": np.arange(rows, dtype=float),
    })
    frame.loc[rng.choice(rows, 12, replace=False), "cell"] = np.nan
    return frame.astype({"measure": "str", "organisation": "str", "cell": "str"})


def test_every_key_gives_the_rows_of_a_plain_filter_in_table_order():
    for seed in range(5):
        table = _table(seed)
        index = KeyIndex(table, ["measure", "organisation", "cell"])
        # A key part is the value as str() writes it (a missing cell reads "nan").
        text = {c: [str(v) for v in table[c].tolist()] for c in ("measure", "organisation", "cell")}
        rows = list(zip(text["measure"], text["organisation"], text["cell"], strict=True))
        for key in dict.fromkeys(rows):
            expected = [i for i, row in enumerate(rows) if row == key]
            assert index.get(key).tolist() == expected


def test_an_absent_key_or_a_key_of_the_wrong_length_finds_nothing():
    table = _table(1)
    index = KeyIndex(table, ["measure", "organisation", "cell"])
    assert index.get(("stappen", "Org Onbekend", "__alle__|open")) is None
    assert index.get(("stappen", "Org Aalst")) is None
    assert KeyIndex(table.iloc[0:0], ["measure"]).get(("stappen",)) is None
