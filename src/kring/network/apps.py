from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kring.network"
    label = "network"

    def ready(self) -> None:
        from kring.network import signals

        signals.connect()
