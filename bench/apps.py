from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development only: ``bench`` times the main pages (see README "Performance")."""

    name = "bench"
