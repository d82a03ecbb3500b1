from django.urls import path

from kring.imports import views

urlpatterns = [
    path("", views.import_page, name="import"),
    path("<int:batch_id>/", views.batch_page, name="import_batch"),
    path("<int:batch_id>/confirm/", views.batch_confirm, name="import_confirm"),
    path("<int:batch_id>/progress/", views.batch_progress, name="import_progress"),
    path("<int:batch_id>/add-people/", views.batch_add_people, name="import_add_people"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="proposal"),
    path("proposals/<int:proposal_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:proposal_id>/reject/", views.proposal_reject, name="proposal_reject"),
    path("export/contacts.vcf", views.export_vcard, name="export_vcard"),
    path("export/contacts.csv", views.export_csv, name="export_csv"),
    path("export/kring-backup.json", views.export_backup, name="export_backup"),
]
