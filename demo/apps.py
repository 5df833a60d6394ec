from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only: ``seed_demo`` builds the fictional pilot (see README)."""

    name = "demo"
