"""URLs of the programs app: synergy."""

urlpatterns = []
