from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "kring.planner"
    label = "planner"
