"""flask-babel, with each request's translations looked up once.

flask-babel keeps the loaded catalogues for the process, but every `gettext` (a template calls
it for each string, a form label for each render) finds the request's state, the locale and the
catalogue again: about 20 µs a call, a few hundred calls a page. Here the first call of a
request keeps the catalogue on flask-babel's own per-request state, under the name its
`refresh()` and `force_locale()` already clear and restore, so a locale changed mid-request
still takes effect.
"""

from flask import Flask, g
from flask_babel import Babel, Domain
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
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

    @pass_context
    def template_gettext(self, context: Context, string: str, **variables) -> str:
        """`_()` and `gettext()` in templates."""
        translated = self.get_translations().ugettext(string)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)  # noqa: S704  (our catalogue's text, as Jinja marks it)
        return translated % variables

    @pass_context
    def template_ngettext(
        self, context: Context, singular: str, plural: str, num: int, **variables
    ) -> str:
        """`ngettext()` in templates; `%(num)d` is the count."""
        variables.setdefault("num", num)
        translated = self.get_translations().ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            translated = Markup(translated)  # noqa: S704  (our catalogue's text, as Jinja marks it)
        return translated % variables


class RequestBabel(Babel):
    """flask-babel's Babel with the RequestDomain as the app's domain, which templates call."""

    @cached_property
    def domain_instance(self) -> RequestDomain:
        return RequestDomain(domain=self.domain)

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)
        with app.app_context():  # the domain's name is a setting
            domain = self.domain_instance
        app.jinja_env.globals.update(
            _=domain.template_gettext,
            gettext=domain.template_gettext,
            ngettext=domain.template_ngettext,
        )
