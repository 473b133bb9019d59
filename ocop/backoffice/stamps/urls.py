app_name = "stamps"

urlpatterns: list = []
