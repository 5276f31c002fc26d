"""URLs of the programs app: enrolments."""

urlpatterns = []
