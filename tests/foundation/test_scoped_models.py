"""Every model of the project that leads to a desa is scoped by default.

A model with a foreign-key path to ``Region`` holds data of an area; its default manager must
hand out a ``ScopedQuerySet`` so that ``Model.objects.for_user(user)`` exists and a view that
forgets the area fails loudly in review. A new app's model is checked the day it is added.
"""

from django.apps import apps
from django.conf import settings

from core.models import Region
from core.scope import ScopedQuerySet

# Models with a path to a desa that are not scoped, each with the reason.
ALLOWLIST = {
    # The region list itself: public reference data (Kemendagri codes and names), the same for
    # every user, and what the pickers offer.
    "core.Region",
}


def project_models():
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(root) and "/.venv/" not in config.path:
            yield from config.get_models()


def path_to_region(model, depth=4, seen=()) -> list[str] | None:
    """The field names of a foreign-key chain from ``model`` to ``Region``, if there is one."""
    if depth == 0:
        return None
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        target = field.related_model
        if target is Region:
            return [field.name]
        if target in seen or target is model:
            continue
        rest = path_to_region(target, depth - 1, (*seen, model))
        if rest:
            return [field.name, *rest]
    return None


def test_every_model_with_a_path_to_a_desa_is_scoped():
    unscoped = []
    checked = []
    for model in project_models():
        path = path_to_region(model)
        if path is None or model._meta.label in ALLOWLIST:
            continue
        checked.append(model._meta.label)
        queryset = model._default_manager.all()
        if not isinstance(queryset, ScopedQuerySet):
            unscoped.append(f"{model._meta.label} (via {'__'.join(path)})")
    assert not unscoped, (
        "models that lead to a desa but whose default manager is not scoped; give them a "
        "ScopedQuerySet with its area_lookup (or add them to ALLOWLIST with the reason):\n"
        + "\n".join(unscoped)
    )
    assert {"households.Household", "households.Member"} <= set(checked)


def test_the_allowlist_names_real_models():
    labels = {model._meta.label for model in project_models()}
    assert labels >= ALLOWLIST
