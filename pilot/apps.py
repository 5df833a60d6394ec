from django.apps import AppConfig


class PilotConfig(AppConfig):
    name = "pilot"
    verbose_name = "Pilot program"

    def ready(self) -> None:
        # Deployment checks; signal receivers: session stamping and ending sessions of
        # deactivated users.
        from pilot import checks, registrations, sessions  # noqa: F401
        from pilot.auth import signals  # noqa: F401

        registrations.register()

        from django.db.backends.signals import connection_created

        from pilot import figures_cache

        # Every write bumps the report figures' data version (pilot.figures_cache).
        connection_created.connect(figures_cache.install, dispatch_uid="figures-cache")
