from django.apps import AppConfig


class PilotConfig(AppConfig):
    name = "pilot"
    verbose_name = "Pilot program"

    def ready(self) -> None:
        # Signal receivers: session stamping and ending sessions of deactivated users.
        from pilot import registrations, sessions  # noqa: F401
        from pilot.auth import signals  # noqa: F401

        registrations.register()
