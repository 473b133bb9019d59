"""Start the web server (gunicorn) and the task consumer (Huey) together, restarting either when it dies;
Ctrl-C stops both."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from ocop.core.seeding import demo_logins
from ocop.core.supervise import Child, Supervisor


class Command(BaseCommand):
    help = "Run the web server and the Huey consumer together (the embedded default of `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, host, port, web_workers, **options):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        }
        python = sys.executable
        web = [
            python,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
            "--timeout",
            "120",
        ]
        worker = [python, "manage.py", "run_huey", "--quiet"]
        self._announce(host, port)
        # Each is restarted when it dies; Ctrl-C stops both (ocop.core.supervise).
        Supervisor(
            [Child("web (gunicorn)", web, env), Child("worker (huey)", worker, env)],
            say=lambda line: self.stdout.write(line),
        ).run()

    def _announce(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        db = settings.DATABASES["default"]
        lines = [
            "",
            "OCOP Platform",
            f"  Trang công khai / Public site:  {base}/",
            f"  Quản trị / Back office:         {base}/bo/",
            f"  API docs:                       {base}/api/v1/docs",
            f"  CSDL / Database:                {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}",
            f"  Hàng đợi / Task queue:          {settings.HUEY.get('huey_class')}",
            "  Tài khoản demo / Demo logins:",
        ]
        lines += [f"    {login}" for login in demo_logins()]
        lines.append("  Ctrl-C để dừng / to stop.\n")
        self.stdout.write("\n".join(lines))
