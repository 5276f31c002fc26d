"""URLs of the programs app: groups."""

urlpatterns = []
