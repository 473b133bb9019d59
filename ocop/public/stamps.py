"""Public stamp scan pages: `/s/<code>` and the GS1 Digital Link path `/01/<gtin>[/10/<lot>]/21/<code>`.

Every request is logged (stamps.services.scan_record) and checked for counterfeit signals. Whatever arrives in
the URL, the answer is a page: 200 for a code the platform issued (whatever its status now), 404 with a friendly
"not a valid OCOP stamp" otherwise — never an error.
"""

from django.core.cache import cache
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ocop.certification.stamps.links import digital_link_parse
from ocop.certification.stamps.selectors import stamp_public_view
from ocop.certification.stamps.services import scan_locate, scan_location_token, scan_record, stamp_verify
from ocop.core.errors import ValidationError
from ocop.core.memo import ProcessMemo
from ocop.geo.selectors import province_list

OUTCOME_LABELS = {
    "valid": _("Tem OCOP hợp lệ"),
    "expired": _("Giấy chứng nhận OCOP của sản phẩm đã hết hiệu lực"),
    "revoked": _("Giấy chứng nhận OCOP của sản phẩm đã bị thu hồi"),
    "superseded": _("Giấy chứng nhận OCOP của sản phẩm đã được thay thế, hạng sao trên tem không còn đúng"),
    "not_yet_valid": _("Giấy chứng nhận OCOP của sản phẩm chưa có hiệu lực"),
    "voided": _("Tem này thuộc lô tem đã bị hủy"),
    "invalid": _("Đây không phải tem OCOP hợp lệ"),
}
OUTCOME_ALERT = {"valid": "success", "expired": "warning", "not_yet_valid": "warning", "superseded": "warning"}
WARNING_TEXTS = {
    "bad_code": _("Mã trên tem không do nền tảng OCOP phát hành. Tem có thể là tem giả."),
    "unissued": _("Mã này chưa từng được cấp cho sản phẩm nào. Tem có thể là tem giả."),
    "link_mismatch": _("Mã tem không khớp với sản phẩm trong đường dẫn. Tem có thể đã bị sao chép."),
    "over_scanned": _(
        "Tem này đã được quét rất nhiều lần. Nếu bạn vừa mua sản phẩm, tem có thể đã bị sao chép: hãy kiểm tra kỹ."
    ),
    "after_revocation": _("Sản phẩm không còn được công nhận OCOP nhưng tem vẫn đang lưu hành."),
    "voided_batch": _("Lô tem này đã bị cơ quan quản lý hủy; sản phẩm không được dùng tem này."),
    "distant_scans": _("Cùng một tem vừa được quét ở một tỉnh khác. Tem có thể đã bị sao chép."),
}


_province_options_memo = ProcessMemo(seconds=300, max_entries=4)


def _province_options():
    """The `<option>`s of the consented "which province are you in?" select, escaped once and kept: rendering 34
    options through the template engine cost more than the scan's own database work (bench/bench_scan.py). Kept for
    an hour in the shared cache and five minutes in the process (ocop.core.memo)."""

    def load():
        provinces = province_list().order_by("name").values_list("code", "name")
        return str(format_html_join("", '<option value="{}">{}</option>', provinces))

    options = _province_options_memo.get_or_set(
        "options", lambda: cache.get_or_set("public:stamp-province-options", load, 3600)
    )
    return mark_safe(options)  # noqa: S308 (escaped above)


def _timeline(verification) -> list:
    """The journey of the stamp's lot (traceability events), when the batch names a recorded lot."""
    batch = verification.batch
    if batch is None or not batch.lot_code:
        return []
    from ocop.traceability.models import Lot
    from ocop.traceability.selectors import lot_timeline

    lot = Lot.objects.filter(product_id=batch.product_id, lot_code=batch.lot_code).first()
    return lot_timeline(lot=lot) if lot is not None else []


def _render(request, verification, *, alert_kinds=(), event=None, located=False, location_error=False):
    view = stamp_public_view(verification, alert_kinds=alert_kinds)
    context = {
        "timeline": _timeline(verification),
        "v": view,
        "outcome_label": OUTCOME_LABELS.get(view["outcome"], OUTCOME_LABELS["invalid"]),
        "outcome_alert": OUTCOME_ALERT.get(view["outcome"], "error"),
        "warnings": [WARNING_TEXTS[w] for w in dict.fromkeys(view["warnings"]) if w in WARNING_TEXTS],
        "stars": range(view["certificate"]["star"]) if view["certificate"] else (),
        "location_token": scan_location_token(event) if event is not None and verification.code else "",
        "provinces": _province_options() if event is not None and verification.issued else "",
        "located": located,
        "location_error": location_error,
        "raw_code": verification.code,
    }
    return render(
        request, "public/stamps/scan.html", context, status=200 if verification.issued or view["product"] else 404
    )


def _scan(request, code, *, channel, gtin=None, lot_code=None):
    verification, event, kinds = scan_record(
        code=code,
        channel=channel,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        gtin=gtin,
        lot_code=lot_code,
    )
    return _render(request, verification, alert_kinds=kinds, event=event)


def stamp_scan(request, code: str):
    """The short stamp URL `/s/<code>`."""
    return _scan(request, code, channel="page")


def stamp_scan_link(request, **_kwargs):
    """A GS1 Digital Link (`/01/<gtin>/10/<lot>/21/<serial>`): parsed with biip; product and lot must match."""
    parsed = digital_link_parse(request.path)
    if parsed is None:
        return _scan(request, "", channel="link")
    gtin, lot_code, serial = parsed
    return _scan(request, serial, channel="link", gtin=gtin, lot_code=lot_code)


@require_POST
def stamp_locate(request, code: str):
    """The consumer's optional, consented answer to "which province are you in?" (a plain form, no JavaScript)."""
    verification = stamp_verify(code=code)
    try:
        kinds = scan_locate(
            token=request.POST.get("scan", ""),
            province_code=request.POST.get("province", "")[:2],
            consent=request.POST.get("consent") == "on",
        )
    except ValidationError:
        return _render(request, verification, location_error=True)
    return _render(request, verification, alert_kinds=kinds, located=True)
