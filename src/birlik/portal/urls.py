from django.urls import path

from . import appeals_views, events_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("bodies/", views.directory, name="directory"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("events/", events_views.calendar, name="events"),
    path("events/calendar.ics", events_views.events_ical, name="events_ical"),
    path("events/<int:pk>/", events_views.event, name="event"),
    path("events/<int:pk>/event.ics", events_views.event_ical, name="event_ical"),
    path("events/photos/<int:pk>/", events_views.event_photo, name="event_photo"),
    path("tickets/<str:code>/", events_views.ticket, name="ticket"),
    path("tickets/<str:code>/cancel/", events_views.ticket_cancel, name="ticket_cancel"),
    path("appeals/new/", appeals_views.appeal_new, name="appeal_new"),
    path("appeals/receipt/<str:token>/", appeals_views.appeal_receipt, name="appeal_receipt"),
    path("appeals/status/<str:token>/", appeals_views.appeal_status, name="appeal_status"),
    path(
        "appeals/receipt/<str:token>/receipt.pdf",
        appeals_views.appeal_receipt_pdf,
        name="appeal_receipt_pdf",
    ),
    path("appeals/status/<str:token>/rating/", appeals_views.appeal_rating, name="appeal_rating"),
    path("appeals/find/", appeals_views.appeal_find, name="appeal_find"),
]
