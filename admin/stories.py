"""Details pages that tell a record's whole story: a customer, a property, a unit.

A view mixes in `StoryDetails` and names its reads function (app.queries.customer_story) and
template. The template replaces the standard details table with the story's sections, each
shown only to roles that may open that area (the unit page keeps the table under "All
details").
"""

from app.auth.roles import AREAS, access_to, current_staff
from app.scoping import work_orders_for_staff
from app.services.company import local_today


def visible_areas() -> set[str]:
    """The admin areas the signed-in staff member may open."""
    return {area for area in AREAS if access_to(area) is not None}


class StoryDetails:
    """Adds `story` (and `areas`) to the details page of a model view."""

    story_reads = None  # a function (record, *, areas, staff_filter, today) -> Story

    def story_extras(self) -> dict:
        """More template values for the details page."""
        return {}

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            areas = visible_areas()
            kwargs["areas"] = areas
            kwargs["story"] = self.story_reads(
                kwargs["model"],
                areas=areas,
                staff_filter=work_orders_for_staff(current_staff()),
                today=local_today(),
            )
            kwargs["today"] = local_today()
            kwargs.update(self.story_extras())
        return super().render(template, **kwargs)
