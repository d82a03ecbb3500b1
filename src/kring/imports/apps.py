from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kring.imports"
    label = "imports"
