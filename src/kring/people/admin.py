from django.contrib import admin

from kring.lib.admin import ReadOnlyAdmin
from kring.people import actions
from kring.people.models import Ask, Favour, IntelligenceNote, Interaction, Organisation, Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "owner", "organisation", "title"]
    search_fields = ["given_name", "surname", "organisation__name"]
    list_select_related = ["owner", "organisation"]
    erase = actions.person_erase
    erase_arg = "person"


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "owner", "sector", "region"]
    search_fields = ["name"]
    erase = actions.organisation_erase
    erase_arg = "organisation"


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "owner", "channel", "minutes"]
    list_filter = ["channel"]
    erase = actions.interaction_erase
    erase_arg = "interaction"


@admin.register(IntelligenceNote)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["noted_on", "owner", "person"]
    erase = actions.note_erase
    erase_arg = "note"


@admin.register(Favour)
class FavourAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "owner", "person", "direction", "kind", "value_eur"]
    erase = actions.favour_erase
    erase_arg = "favour"


@admin.register(Ask)
class AskAdmin(ReadOnlyAdmin):
    list_display = ["text", "owner", "valid_from", "valid_to"]
    erase = actions.ask_erase
    erase_arg = "ask"
