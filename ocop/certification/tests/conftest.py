import datetime

import pytest

D = datetime.date


def load_regimes():
    from ocop.evaluation.loading import load_regimes
    from ocop.evaluation.models import Regime

    load_regimes()
    return {r.code: r for r in Regime.objects.all()}


@pytest.fixture
def regimes(db):
    return load_regimes()


@pytest.fixture
def regime(regimes):
    return regimes["26_2026"]


def make_product(commune, subject_name, product_name):
    from ocop.registry.services import product_create, subject_create

    subject = subject_create(
        actor=None,
        values={
            "name": subject_name,
            "commune": commune,
            "phone": "0912345678",
            "email": "htx@example.vn",
            "tax_code": "5800123456" if "Cầu Đất" in subject_name else "",
            "legal_representative": "Nguyễn Thị Bí Mật",
        },
        verified=True,
        check_access=False,
    )
    return product_create(actor=None, subject=subject, values={"name": product_name}, check_access=False)


@pytest.fixture
def product_a(commune_a):
    return make_product(commune_a, "Hợp tác xã Nông nghiệp Cầu Đất", "Cà phê Arabica Cầu Đất")


@pytest.fixture
def product_b(province_b):
    from ocop.geo.models import AdminUnit

    commune = AdminUnit.objects.filter(
        level="commune", province_code=province_b.code, valid_until__isnull=True
    ).order_by("code")[0]
    return make_product(commune, "Hợp tác xã Cà phê Chư Sê", "Cà phê Robusta Chư Sê")


@pytest.fixture
def province_decision(province_a, regime):
    return make_province_decision(province_a, regime)


def make_province_decision(province_a, regime):
    from ocop.certification.services import decision_create

    return decision_create(
        actor=None,
        level="province",
        number="1234/QĐ-UBND",
        decided_on=D(2026, 9, 15),
        province_code=province_a.code,
        issuing_body="Ủy ban nhân dân tỉnh Lâm Đồng",
        signer_name="Trần Văn Ký",
        signer_title="Chủ tịch Ủy ban nhân dân tỉnh",
        regime=regime,
    )


@pytest.fixture
def central_decision(regime):
    from ocop.certification.services import decision_create

    return decision_create(actor=None, level="central", number="567/QĐ-BNNMT", decided_on=D(2026, 10, 1), regime=regime)


def issue_certificate(regime, decision, product, star, *, actor=None, score=None, issued_on=None):
    """Issue with the platform as actor unless given, a score in the star's band by default."""
    from ocop.certification.services import certificate_issue

    return certificate_issue(
        actor=actor,
        decision=decision,
        product=product,
        star=star,
        score=score if score is not None else {3: 60, 4: 80, 5: 92}.get(star, 40),
        regime=regime,
        level=decision.level,
        issued_on=issued_on,
    )


@pytest.fixture
def issue(regime):
    """issue(decision, product, star, **kw)."""

    def make(decision, product, star, **kw):
        return issue_certificate(regime, decision, product, star, **kw)

    return make
