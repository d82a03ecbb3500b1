from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kring.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kring.accounts import signals  # noqa: F401  (connects the audit receivers)
