from ocop.backoffice.navigation import nav_for_user


def backoffice(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/bo/"):
        return {}
    return nav_for_user(user)
