from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from news import audit
from news.staff import devices


class Command(BaseCommand):
    help = (
        "Remove a staff member's two-factor authentication (authenticator app and backup codes), "
        "for one who lost their phone. Their sessions verified by it must log in again; while "
        "two-factor authentication is required they set up a new authenticator after the password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}; nothing was changed.") from None
        removed = devices.remove_devices(user)
        audit.event("two_factor.reset", username="manage.py", account=user.get_username(), devices=removed)
        if removed:
            self.stdout.write(
                self.style.SUCCESS(f"Removed two-factor authentication of {user.get_username()!r} ({removed} devices).")
            )
        else:
            self.stdout.write(f"{user.get_username()!r} had no two-factor authentication; nothing to remove.")
