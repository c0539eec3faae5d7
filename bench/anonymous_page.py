"""Print the size of the public sticker page (HTML with its inline CSS, plus the logo).

    .venv/bin/python bench/anonymous_page.py

Builds a throwaway SQLite database with one unit and a 1,600 px noisy logo (a worst case that
the app shrinks), then fetches the page as a stranger's phone would.
"""

import io
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extensions import db  # noqa: E402
from app.models import CompanySettings, Customer, Property, Unit  # noqa: E402
from app.models.enums import UnitKind  # noqa: E402
from app.storage import reencode_image, save_bytes  # noqa: E402
from bench.scratch import scratch_app  # noqa: E402


def main() -> None:
    with scratch_app() as app:
        logo = io.BytesIO()
        Image.effect_noise((1600, 1600), 90).convert("RGB").save(logo, "PNG")
        data, suffix, kind = reencode_image(logo.getvalue(), max_side=160)
        key = save_bytes(data, folder="brand", suffix=suffix, filename="logo", content_type=kind)
        db.session.add(
            CompanySettings(
                name="Polar Bear Heating & Air",
                phone="(555) 010-4242",
                time_zone="America/Chicago",
                brand_color="#0b5cad",
                logo_key=key.key,
            )
        )
        customer = Customer(name="Bench Customer")
        prop = Property(
            customer=customer,
            name="Home",
            address_line1="1 Main",
            city="X",
            state="IL",
            postal_code="1",
        )
        unit = Unit(property=prop, name="Furnace", kind=UnitKind.FURNACE)
        db.session.add(unit)
        db.session.commit()
        token = unit.qr_token
        client = app.test_client()
        page = client.get(f"/U/{token}").data
        with client.get("/brand/logo") as response:
            logo_bytes = len(response.data)
    print(f"anonymous page HTML+CSS: {len(page):,} bytes")
    print(f"logo (from a 1,600 px noisy PNG): {logo_bytes:,} bytes")
    print(f"total: {len(page) + logo_bytes:,} bytes (budget 30,000)")


if __name__ == "__main__":
    main()
