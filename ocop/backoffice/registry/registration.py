"""Producer self-registration: an account and a pending subject application, then its status page.

The account, the subject and the producer role are written together or not at all (the services do the
rules; this view only chains them in one transaction)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ocop.accounts.access import scope_for
from ocop.accounts.services import user_create
from ocop.backoffice.registry.common import add_domain_error
from ocop.backoffice.registry.forms import RegistrationForm, SubjectApplicationForm, commune_choices
from ocop.core.errors import DomainError
from ocop.registry.models import Subject
from ocop.registry.selectors import subject_list_for_user
from ocop.registry.services import subject_bind_producer, subject_create, subject_resubmit

TEMPLATES = "backoffice/registry/"


def has_producer_role(user) -> bool:
    return scope_for(user).has_role("producer")


def _register(form, request):
    """Create the account (the platform acts: no officer is involved), the pending subject, the binding."""
    data = form.cleaned_data
    with transaction.atomic():
        user = user_create(
            actor=None,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            password=data["password1"],
            request=request,
        )
        values = {**form.subject_values(), "phone": data["phone"], "email": data["email"]}
        subject = subject_create(
            actor=user, values={**values, "legal_representative": data["full_name"]}, registration=True
        )
        subject_bind_producer(subject=subject, user=user)
    return user


@never_cache
def subject_register(request):
    if request.user.is_authenticated:
        return redirect("bo:registry:my-subject")
    if "reload" in request.POST:  # without JavaScript: show the chosen province's communes, check nothing yet
        form = RegistrationForm(initial=request.POST.dict())
    else:
        form = RegistrationForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            user = _register(form, request)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đã gửi hồ sơ đăng ký. Cán bộ OCOP sẽ xác minh và phản hồi."))
            return redirect("bo:registry:my-subject")
    status = 422 if form.errors else 200
    return render(request, TEMPLATES + "subject_register.html", {"form": form}, status=status)


def commune_options(request):
    """htmx: the <option>s of the commune select for the chosen province (public reference data)."""
    choices = commune_choices(request.GET.get("province", ""), _("— Chọn xã / phường —"))
    return render(request, TEMPLATES + "_commune_options.html", {"choices": choices})


def _own_subject(user):
    """The application this user registered or is bound to as producer (not an officer's whole area)."""
    scope = scope_for(user)
    ids = [int(s) for s in scope.subject_ids if str(s).isdigit()]
    subjects = subject_list_for_user(user=user).filter(Q(pk__in=ids) | Q(created_by=user))
    return subjects.order_by("-created_at").first()


def _initial(subject) -> dict:
    commune = subject.commune
    return {
        "legal_form": subject.legal_form,
        "name": subject.name,
        "tax_code": subject.tax_code,
        "address_line": subject.address_line,
        "province": commune.province_code if commune else subject.province_code,
        "commune": commune.code if commune else subject.current_commune_code,
    }


@login_required
def my_subject(request):
    """The producer's application: its status, the officer's reason, and the fix-and-resubmit form."""
    subject = _own_subject(request.user)
    form = None
    if subject is not None and subject.verification_status == Subject.Verification.RETURNED:
        form = SubjectApplicationForm(request.POST or None, initial=_initial(subject))
        if request.method == "POST" and form.is_valid():
            try:
                subject_resubmit(actor=request.user, subject=subject, values=form.subject_values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Đã gửi lại hồ sơ để xác minh."))
                return redirect("bo:registry:my-subject")
    status = 422 if form is not None and form.errors else 200
    return render(request, TEMPLATES + "my_subject.html", {"subject": subject, "form": form}, status=status)
