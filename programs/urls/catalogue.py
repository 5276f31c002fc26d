"""URLs of the programs app: catalogue."""

urlpatterns = []
