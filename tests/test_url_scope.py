"""Every URL of the project, requested by people who must not get in.

The patterns are read from the URL resolver (not a hand list), so a view added tomorrow is
checked the day it is added:

- anonymous visitors are sent to a login page (or get 404/405), except on the public pages of
  ``PUBLIC``;
- for a URL that names an object of kecamatan A, an operator of kecamatan B and an Admin Dinas of
  another kabupaten (who holds every permission) get a 404 for GET and POST — never the page,
  never a 403 that tells them the record exists;
- the district admin of A does reach those URLs (so the test cannot pass by filling in an id
  that does not exist).

How a URL is filled: each keyword argument is looked up in ``FILL`` first as
``"<url name>:<kwarg>"`` (for ``pk``, whose model depends on the view), then as the bare kwarg
name (``household_pk`` means a household everywhere). A value in ``OBJECTS`` is an object of
kecamatan A created by the ``objects_in_a`` fixture; anything else is used as it is (a slug, a
file format). A new pattern with a kwarg this table does not know makes the test fail and name
the URL: add a line to ``FILL`` (and, for a new kind of object, build one in ``objects_in_a``).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from households.choices import Relationship, Sex
from households.models import DataUpdate, DuplicateCandidate, ImportJob
from households.models.updates import DuplicateReason, UpdateKind
from tests.conftest import DESA_A1, KEC_A, client_for
from tests.households import registry_factory as make

# URLs anybody may open without logging in (the admin site has its own login page).
PUBLIC = {"login", "set_language", "admin:login", "admin:logout"}

# The objects of kecamatan A that object URLs are filled with (built by ``objects_in_a``).
OBJECTS = {"household", "member", "staff", "data_update", "duplicate", "import_job"}

FILL = {
    # by kwarg name, where it means the same thing in every URL
    "household_pk": "household",
    "member_pk": "member",
    # ``pk`` per URL
    "accounts:staff_update:pk": "staff",
    "accounts:staff_set_active:pk": "staff",
    "households:household_detail:pk": "household",
    "households:household_edit:pk": "household",
    "households:member_add:pk": "household",
    "households:member_edit:pk": "member",
    "households:update_detail:pk": "data_update",
    "households:update_evidence:pk": "data_update",
    "households:update_verify:pk": "data_update",
    "households:update_approve:pk": "data_update",
    "households:update_reject:pk": "data_update",
    "households:duplicate_detail:pk": "duplicate",
    "households:duplicate_merge:pk": "duplicate",
    "households:duplicate_dismiss:pk": "duplicate",
    "households:import_detail:pk": "import_job",
    "households:import_progress:pk": "import_job",
    "households:import_confirm:pk": "import_job",
    "households:import_cancel:pk": "import_job",
    "households:import_rerun:pk": "import_job",
    "households:import_error_report:pk": "import_job",
    # values that are not objects
    "households:propose_update:slug": "perbaikan",
    "households:registry_export:file_format": "xlsx",
}

# Object URLs that answer 404 even to the district admin of A for the object the fixture
# builds, with the reason (the scope check above still applies to them).
ADMIN_404 = {
    "households:update_evidence": "the proposal built here has no evidence file",
    "households:import_error_report": "the import job built here has no error report yet",
}

ADMIN_KWARGS = {
    "app_label": "auth",
    "object_id": "1",
    "id": "1",
    "content_type_id": 1,
    "url": "x/",
}


def walk(patterns, namespace="", prefix=""):
    """(url name, route, kwarg names) for every pattern, namespaces joined with ':'."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            kwargs = list(re.compile(route.replace("^", "")).groupindex) if "(?P<" in route else []
            kwargs += re.findall(r"<(?:\w+:)?(\w+)>", route)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, route, kwargs


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


@pytest.fixture
def objects_in_a(operator_a, district_admin):
    household = make.household(desa=DESA_A1)
    head = make.member(household, "Budi Santoso", make.years_old(45), Sex.MALE, Relationship.HEAD)
    other = make.household(desa=DESA_A1)
    twin = make.member(other, "Budi Santosa", head.tanggal_lahir, Sex.MALE, Relationship.HEAD)
    update = DataUpdate.objects.create(
        kind=UpdateKind.DECILE_REVIEW,
        household=household,
        desa_id=DESA_A1,
        payload={"desil_before": household.desil, "desil": 1},
        reason="Hasil musyawarah desa",
        proposed_by=operator_a,
    )
    duplicate = DuplicateCandidate.objects.create(
        member_a=head, member_b=twin, reason=DuplicateReason.SIMILAR_NAME, score=0.9
    )
    job = ImportJob.objects.create(original_name="registri.xlsx", user=operator_a, area_code=KEC_A)
    return {
        "household": household,
        "member": head,
        "staff": operator_a,
        "data_update": update,
        "duplicate": duplicate,
        "import_job": job,
    }


def build_url(name, route, kwargs, objects) -> tuple[str, bool]:
    """(URL, whether it names an object of kecamatan A)."""
    if name and name.startswith("admin:") or route.startswith("admin/"):
        values = {k: ADMIN_KWARGS[k] for k in kwargs if k in ADMIN_KWARGS}
        unknown = [k for k in kwargs if k not in ADMIN_KWARGS]
        assert not unknown, f"admin URL {route!r}: no value for {unknown}; add it to ADMIN_KWARGS"
        return (reverse(name, kwargs=values) if name else "/admin/x/"), False
    assert name, f"URL pattern {route!r} has no name; name it so the scope test can build it"
    values, names_object = {}, False
    for kwarg in kwargs:
        key = FILL.get(f"{name}:{kwarg}", FILL.get(kwarg))
        assert key is not None, (
            f"URL {name!r} ({route!r}): the scope test does not know what to put in <{kwarg}>. "
            "Add it to FILL in tests/test_url_scope.py."
        )
        if key in OBJECTS:
            values[kwarg] = objects[key].pk
            names_object = True
        else:
            values[kwarg] = key
    return reverse(name, kwargs=values), names_object


def test_every_pattern_can_be_filled(objects_in_a):
    for name, route, kwargs in ALL_PATTERNS:
        build_url(name, route, kwargs, objects_in_a)
    assert len(ALL_PATTERNS) > 40  # the walk really went through the includes


def login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/masuk/") or location.startswith("/admin/login/")
    )


def test_anonymous_is_sent_to_login_everywhere_but_public_pages(client, objects_in_a):
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        if name in PUBLIC:
            continue
        url, _object = build_url(name, route, kwargs, objects_in_a)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not (login_redirect(response) or response.status_code in (404, 405)):
                problems.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not problems, "anonymous got in:\n" + "\n".join(problems)


OBJECT_PATTERNS = [
    (name, route, kwargs)
    for name, route, kwargs in ALL_PATTERNS
    if not route.startswith("admin/")
    and any(FILL.get(f"{name}:{k}", FILL.get(k)) in OBJECTS for k in kwargs)
]


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
@pytest.mark.parametrize(
    ("name", "route", "kwargs"), OBJECT_PATTERNS, ids=[name for name, _r, _k in OBJECT_PATTERNS]
)
def test_objects_of_another_area_are_404(request, objects_in_a, persona, name, route, kwargs):
    client = client_for(request.getfixturevalue(persona))
    url, _object = build_url(name, route, kwargs, objects_in_a)
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    # GET-only views may answer POST with 405 and POST-only views GET; the other must be 404.
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (
        f"{persona} asked for {url} ({name}), an object of kecamatan A, and got {statuses}; "
        "outside the area it must be 404 (look the object up in the user's area before "
        "checking permissions)"
    )


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
def test_admin_site_is_closed_to_staff_without_admin_access(request, objects_in_a, persona):
    client = client_for(request.getfixturevalue(persona))
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        if not route.startswith("admin/") or name in PUBLIC:
            continue
        url, _object = build_url(name, route, kwargs, objects_in_a)
        response = client.get(url)
        if not login_redirect(response):
            problems.append(f"GET {url} ({name}) → {response.status_code}")
    assert not problems, f"{persona} got into the admin site:\n" + "\n".join(problems)


def test_object_patterns_are_found():
    assert len(OBJECT_PATTERNS) >= 10
    assert "households:household_detail" in {name for name, _r, _k in OBJECT_PATTERNS}


def test_district_admin_of_a_reaches_every_object_url(district_admin, objects_in_a):
    """The control: the same URLs are real for someone inside the area."""
    client = client_for(district_admin)
    problems = []
    for name, route, kwargs in ALL_PATTERNS:
        url, names_object = build_url(name, route, kwargs, objects_in_a)
        if not names_object or name in ADMIN_404:
            continue
        status = client.get(url).status_code
        if status == 404:
            problems.append(f"GET {url} ({name}) → 404")
    assert not problems, "object URLs that do not find the object of A:\n" + "\n".join(problems)
