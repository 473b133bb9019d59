"""Reference data for `make run`: the administrative units (idempotent, fast when already loaded)."""

from ocop.geo.loading import load_admin_units


def seed() -> str:
    """Load the units if missing; returns a one-line summary for the seeding log."""
    result = load_admin_units()
    if result["already_loaded"]:
        return "administrative units already loaded"
    return f"{result['units_created']} administrative units, {result['successions_created']} successions loaded"
