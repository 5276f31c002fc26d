"""URLs of the DATA section. Each views module owns its ``urlpatterns``; this file joins them."""

from households.views import duplicates, exports, imports, registry, updates

app_name = "households"

urlpatterns = [
    *registry.urlpatterns,
    *updates.urlpatterns,
    *duplicates.urlpatterns,
    *imports.urlpatterns,
    *exports.urlpatterns,
]
