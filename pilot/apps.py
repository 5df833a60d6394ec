from django.apps import AppConfig


class PilotConfig(AppConfig):
    name = "pilot"
    verbose_name = "Pilot program"
