"""URLs of the programs app: disbursements."""

urlpatterns = []
