from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kring.people"
    label = "people"

    def ready(self) -> None:
        from kring.people.actions import shares_end_for_leaver
        from kring.workspaces.signals import member_left

        member_left.connect(shares_end_for_leaver, dispatch_uid="people.shares_end_for_leaver")
