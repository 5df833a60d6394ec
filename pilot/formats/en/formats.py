"""The site's one date format (``Nov 30, 2026``: what most pages already showed), used by
``{{ value|date }}``, ``{{ value }}`` and ``django.utils.formats.date_format``. Templates
name no ad-hoc format (tests/test_static_checks.py); CSV files, ``datetime`` attributes and
inputs stay ISO (``type=date``)."""

DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i A T"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, g:i A"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "g:i A"
