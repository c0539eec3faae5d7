"""The back office: Flask-Admin views over every record, checked by staff role."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme


def init_admin(app) -> Admin:
    admin = Admin(app, name="TuffOps", theme=Bootstrap4Theme(swatch="default"))
    return admin
