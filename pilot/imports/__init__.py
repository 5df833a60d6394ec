"""Roster import and export: CSV, XLSX and OneRoster files into districts, schools and staff.

- ``files``: refuse oversize, wrong-type and badly encoded uploads, then parse a file into a
  ``tablib.Dataset`` (every cell text, each row carrying its spreadsheet row number); write
  templates and exports with formula-looking cells neutralised.
- ``resources``: django-import-export resources, one per kind, scoped to one user.
- ``kinds``: the registry of kinds a user may import (add a kind by registering it).
- ``oneroster``: OneRoster 1.1 ``orgs.csv`` + ``users.csv`` into a staff dataset.
- ``services``: preview (a dry run) and confirm (one transaction, re-validated).
"""
