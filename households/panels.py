"""Sections other apps add to the household page and the home dashboard.

``households`` never imports the apps that hang off it; each of them registers its panel in its
``AppConfig.ready()``::

    register_household_panel(
        key="programs", title=_("Program"), template="programs/household_panel.html",
        context=lambda household, user: {"enrolments": ...}, order=10,
    )
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable
    order: int = 100


_household_panels: dict[str, Panel] = {}
_dashboard_panels: dict[str, Panel] = {}


def register_household_panel(key, title, template, context, order=100):
    _household_panels[key] = Panel(key, title, template, context, order)


def register_dashboard_panel(key, title, template, context, order=100):
    _dashboard_panels[key] = Panel(key, title, template, context, order)


def household_panels():
    return sorted(_household_panels.values(), key=lambda panel: panel.order)


def dashboard_panels():
    return sorted(_dashboard_panels.values(), key=lambda panel: panel.order)


def render_panels(panels, *args):
    """[(panel, context)] for the templates; each context callable gets ``*args``."""
    return [(panel, panel.context(*args)) for panel in panels]
