"""Sections other apps add to the household page and the home dashboard.

``households`` never imports the apps that hang off it; each of them registers its panel in its
``AppConfig.ready()``, naming the permission a user needs to see it (one permission, any of a
list, or a function of the user; see ``accounts.roles.may``)::

    register_household_panel(
        key="programs", title=_("Program"), template="programs/household_panel.html",
        context=lambda household, user: {"enrolments": ...},
        permission="programs.view_enrolment", order=10,
    )

A panel's context is only computed for users who may see it, so it never counts or lists what
the user could not open.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.roles import Requirement, may


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable
    permission: Requirement
    order: int = 100
    # A dashboard panel that takes the whole row (charts).
    wide: bool = False


_household_panels: dict[str, Panel] = {}
_dashboard_panels: dict[str, Panel] = {}
# Sections of a data-update proposal's page: what another app linked to the proposal (the
# complaint that asked for it). Context callables get ``(update, user)``.
_update_panels: dict[str, Panel] = {}


def register_household_panel(key, title, template, context, *, permission, order=100):
    _household_panels[key] = Panel(key, title, template, context, permission, order)


def register_dashboard_panel(key, title, template, context, *, permission, order=100, wide=False):
    _dashboard_panels[key] = Panel(key, title, template, context, permission, order, wide)


def register_update_panel(key, title, template, context, *, permission, order=100):
    _update_panels[key] = Panel(key, title, template, context, permission, order)


def update_panels():
    return sorted(_update_panels.values(), key=lambda panel: panel.order)


def household_panels():
    return sorted(_household_panels.values(), key=lambda panel: panel.order)


def dashboard_panels():
    return sorted(_dashboard_panels.values(), key=lambda panel: panel.order)


def render_panels(panels, *args):
    """[(panel, context)] of the panels the user may see, for the templates.

    ``args`` are what each context callable gets and always end with the user:
    ``(household, user)`` on the household page, ``(user,)`` on the dashboard."""
    user = args[-1]
    return [(panel, panel.context(*args)) for panel in panels if may(user, panel.permission)]


@dataclass(frozen=True)
class ListAction:
    """A button on the registry list that takes the households on screen (the list's current
    filter, as a querystring) to another app's page, e.g. "enrol these in a program"."""

    key: str
    label: str
    url_name: str
    permission: Requirement
    order: int = 100


_list_actions: dict[str, ListAction] = {}


def register_list_action(key, label, url_name, *, permission, order=100):
    _list_actions[key] = ListAction(key, label, url_name, permission, order)


def list_actions_for(user) -> list[ListAction]:
    actions = sorted(_list_actions.values(), key=lambda action: action.order)
    return [action for action in actions if may(user, action.permission)]
