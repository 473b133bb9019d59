from ocop.backoffice.navigation import nav_for_user


def backoffice(request):
    # The path first: on public pages (stamp scans among them) the user is never loaded, so a visitor with a session
    # cookie costs no session or user query.
    if not request.path.startswith("/bo/"):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return nav_for_user(user)
