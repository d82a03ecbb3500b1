from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kring.api"
    label = "api"
