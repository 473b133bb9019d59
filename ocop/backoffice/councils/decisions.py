"""Decisions and certificates for the provincial (or central) officer: the round's final results ready for a
decision, recording one decision over the chosen dossiers (`decision_record_from_results`), and the
certificates issued with their PDF and public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.councils import common
from ocop.backoffice.councils.forms import DecisionForm
from ocop.certification.issuing import DECIDABLE, decision_record_from_results
from ocop.certification.pdf import certificate_pdf_bytes
from ocop.certification.selectors import certificate_list_for_user
from ocop.core.errors import DomainError, ValidationError
from ocop.evaluation.selectors import dossier_list_for_user, dossier_result_final

TEMPLATES = "backoffice/councils/"


def _level(round_) -> str:
    return "central" if round_.level == "central" else "province"


def _candidates(user, round_):
    """Dossiers of the round in a status a decision can take, each with the final result it is decided on."""
    field = "central_round" if round_.level == "central" else "round"
    statuses = [s for s, (_result_level, level) in DECIDABLE.items() if level == _level(round_)]
    dossiers = dossier_list_for_user(user=user).filter(**{field: round_}, status__in=statuses).order_by("id")
    rows = []
    for dossier in dossiers:
        result_level = DECIDABLE[dossier.status][0]
        rows.append({"dossier": dossier, "result": dossier_result_final(dossier=dossier, level=result_level)})
    return rows


def _page(request, round_, form=None, errors=None, status=200):
    rounds = common.round_list_for_manager(request.user)
    rows = _candidates(request.user, round_) if round_ else []
    for row in rows:
        row["error"] = (errors or {}).get(f"dossiers.{row['dossier'].pk}")
    choices = [(str(r["dossier"].pk), r["dossier"].product.name) for r in rows]
    form = form or DecisionForm(dossier_choices=choices)
    selected = set(form["dossiers"].value() or []) if form.is_bound else set()
    context = {"rounds": rounds, "round": round_, "rows": rows, "form": form, "selected": selected}
    return render(request, TEMPLATES + "decision_list.html", context, status=status)


@login_required
def decision_list(request):
    common.ensure_council_manager(request.user)
    round_id = request.GET.get("round")
    round_ = common.round_get_for_manager(request.user, int(round_id)) if round_id and round_id.isdigit() else None
    return _page(request, round_)


@login_required
@require_POST
def decision_record(request, round_id: int):
    common.ensure_council_manager(request.user)
    round_ = common.round_get_for_manager(request.user, round_id)
    rows = _candidates(request.user, round_)
    form = DecisionForm(request.POST, dossier_choices=[(str(r["dossier"].pk), "") for r in rows])
    if not form.is_valid():
        return _page(request, round_, form=form, status=422)
    data = form.cleaned_data
    chosen = {int(pk) for pk in data["dossiers"]}
    try:
        record = decision_record_from_results(
            actor=request.user,
            dossiers=[r["dossier"] for r in rows if r["dossier"].pk in chosen],
            number=data["number"],
            decided_on=data["decided_on"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            level=_level(round_),
        )
    except ValidationError as exc:
        fields = exc.as_dict()["fields"]
        for name, problems in fields.items():
            if name in form.fields:
                form.add_error(name, problems)
        form.add_error(None, str(exc.message))
        return _page(request, round_, form=form, errors=fields, status=422)
    except DomainError as exc:
        raise common.http_error(exc) from exc
    messages.success(
        request,
        _("Đã ghi quyết định số %(number)s: %(certs)s giấy chứng nhận, %(not)s hồ sơ không được công nhận.")
        % {"number": record.decision.number, "certs": len(record.certificates), "not": len(record.not_recognised)},
    )
    return redirect("bo:councils:certificate-list")


@login_required
def certificate_list(request):
    common.ensure_council_manager(request.user)
    certificates = certificate_list_for_user(user=request.user, q=request.GET.get("q", ""))
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    return render(request, TEMPLATES + "certificate_list.html", {"page": page, "q": request.GET.get("q", "")})


@login_required
def certificate_pdf(request, number: str):
    common.ensure_council_manager(request.user)
    certificate = certificate_list_for_user(user=request.user).filter(number=number).first()
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate_pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response
