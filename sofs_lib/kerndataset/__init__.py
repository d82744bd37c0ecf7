"""The kerndataset: outcomes and follow-up the report proposes (section 4.3, Tables 11–13).

- :mod:`.instrument` — items, scales and moments as data (``items.csv``);
- :mod:`.template` — the registration workbook (``sofs kerndataset template``);
- :mod:`.clean` — filled workbooks and survey-tool exports → contract frame + quarantine;
- :mod:`.scoring` — subscale scores, reliability and floor/ceiling per subscale;
- :mod:`.followup` — the contact schedule, response and attrition, change between
  moments, renewed referral through Binc, and the tables an "Impact" dashboard needs.

Everything is described in ``docs/kerndataset.md``.
"""
