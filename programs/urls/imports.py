"""URLs of the programs app: imports."""

urlpatterns = []
