from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "observations"

    def ready(self) -> None:
        from mentoring.sections import register_pairing_section

        from .sections import pairing_section

        register_pairing_section(pairing_section)
