from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "kring.workspaces"
    label = "workspaces"
