from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "kring.teams"
    label = "teams"
