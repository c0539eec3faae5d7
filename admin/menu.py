"""The back office's navigation menu, drawn once and kept.

Flask-Admin draws its menu macro on every page: a few hundred template calls and two access
checks per entry, a tenth of a form page's CPU. What it draws depends only on which entries
the reader may open and see, which page is open and the language, so `KeptMenuAdmin` keeps
the HTML per those and asks each view only its two questions per page.
"""

from flask import render_template_string
from flask_admin import Admin
from flask_babel import get_locale
from markupsafe import Markup

MENU = "{% import 'admin/layout.html' as layout with context %}{{ layout.menu() }}"


class KeptMenuAdmin(Admin):
    """An Admin whose pages draw their menu with `menu_html(admin_view)`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_menus: dict[tuple, Markup] = {}

    def menu_html(self, admin_view) -> Markup:
        """Flask-Admin's menu for a page of `admin_view`, as its macro draws it."""
        shown = tuple(view.is_accessible() and view.is_visible() for view in self._views)
        key = (str(get_locale()), admin_view.endpoint, shown)
        html = self._kept_menus.get(key)
        if html is None:
            drawn = render_template_string(MENU, admin_view=admin_view)
            html = Markup(drawn)  # noqa: S704  (an autoescaped template's output)
            self._kept_menus[key] = html
        return html
