from django.urls import path

from kring.planner import views

urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("rebuild/", views.plan_rebuild, name="plan_rebuild"),
    path("budget/", views.plan_budget, name="plan_budget"),
    path("touches/<int:touch_id>/done/", views.touch_done, name="touch_done"),
    path("touches/<int:touch_id>/skip/", views.touch_skip, name="touch_skip"),
    path("touches/<int:touch_id>/snooze/", views.touch_snooze, name="touch_snooze"),
    path("tiers/", views.tier_review, name="tier_review"),
    path("tiers/accept/", views.tier_accept_all, name="tier_accept_all"),
    path("tiers/<int:proposal_id>/", views.tier_decide, name="tier_decide"),
    path("insight/", views.insight_page, name="insight"),
    path("settings/", views.planner_settings, name="planner_settings"),
    path("settings/feed/", views.feed_create, name="feed_create"),
    path("settings/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
