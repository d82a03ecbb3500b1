from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "kring.clubs"
    label = "clubs"

    def ready(self) -> None:
        from kring.clubs.actions import attendance_drop_for_leaver
        from kring.clubs.home import club_home
        from kring.workspaces import home
        from kring.workspaces.signals import member_left

        home.register("club", club_home)
        member_left.connect(
            attendance_drop_for_leaver, dispatch_uid="clubs.attendance_drop_for_leaver"
        )
