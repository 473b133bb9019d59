from django.shortcuts import render


def landing(request):
    return render(request, "public/landing.html")


def verify(request):
    """Entry to verification: certificate numbers and stamp codes (the stamps and evaluation issues fill it in)."""
    return render(request, "public/verify.html", {"query": request.GET.get("q", "").strip()[:64]})
