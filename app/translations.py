"""flask-babel, with each request's translations looked up once.

flask-babel keeps the loaded catalogues for the process, but every `gettext` (a template calls
it for each string, a form label for each render) finds the request's state, the locale and the
catalogue again: about 20 µs a call, a few hundred calls a page. Here the first call of a
request keeps the catalogue on flask-babel's own per-request state, under the name its
`refresh()` and `force_locale()` already clear and restore, so a locale changed mid-request
still takes effect.
"""

from flask import g
from flask_babel import Babel, Domain
from werkzeug.utils import cached_property


class RequestDomain(Domain):
    """The app's message domain; its translations are resolved once per request."""

    def get_translations(self):
        state = g.get("_flask_babel") if g else None
        held = getattr(state, "babel_translations", None)
        if held is not None and held[0] is self:
            return held[1]
        translations = super().get_translations()
        state = g.get("_flask_babel") if g else None
        if state is not None:
            state.babel_translations = (self, translations)
        return translations


class RequestBabel(Babel):
    """flask-babel's Babel with the RequestDomain as the app's domain."""

    @cached_property
    def domain_instance(self) -> RequestDomain:
        return RequestDomain(domain=self.domain)
