from django.utils.translation import gettext as _


def seed() -> str:
    """Load the process regimes and the criteria sheets of all versions (idempotent)."""
    from ocop.evaluation.loading import load_criteria, load_regimes

    report = load_criteria()
    regimes = load_regimes()
    return _("%(sheets)s phiếu đánh giá (%(invalid)s có lỗi nguồn), %(regimes)s quy trình") % {
        "sheets": len(report.sheets),
        "invalid": len(report.invalid),
        "regimes": regimes,
    }
