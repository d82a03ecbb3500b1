from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "kring.clubs"
    label = "clubs"
