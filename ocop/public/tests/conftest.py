# The certification fixtures (regimes, products in provinces A and B, decisions, `issue`) serve the public tests.
from ocop.certification.tests.conftest import (  # noqa: F401
    central_decision,
    issue,
    product_a,
    product_b,
    province_decision,
    regime,
    regimes,
)
