from django.urls import path, re_path

from . import django_views
from .django_views import ArchiveView

urlpatterns = [
    path("files/<str:name>/", django_views.attachment),
    path("files/id/<int:pk>/", django_views.attachment_by_id),
    re_path(r"^archive/(?P<label>[\w.-]+)/$", ArchiveView.as_view()),
]
