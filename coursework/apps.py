from django.apps import AppConfig


class CourseworkConfig(AppConfig):
    name = "coursework"
