"""The sticker: /u/<token> shows a unit to staff, its owner, or a request form to anyone else.

The package also owns the sticker itself: typed label codes and sticker URLs (codes), finding,
reissuing and binding tokens (tokens), QR symbols (drawing) and label sheets (sheets).
"""

from flask import Blueprint

bp = Blueprint("qr", __name__, template_folder="templates")

from qr import answers, views  # noqa: E402, F401  (routes attach themselves to bp)
