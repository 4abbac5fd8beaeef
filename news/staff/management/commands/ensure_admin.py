import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from news.staff import devices


class Command(BaseCommand):
    help = (
        "Create the first administrator when there is no superuser yet, and print its "
        "username and generated password. Does nothing once one exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account already exists; no account created.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "Created the first administrator account. Write the password down now; "
                "it is not stored anywhere else.\n"
                f"  username: {username}\n  password: {password}"
            )
        )
        if devices.is_required():
            self.stdout.write(
                "Two-factor authentication is required: after the password, the admin asks this "
                "account to set up an authenticator app."
            )
