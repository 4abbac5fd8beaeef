from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from news.investment.models import PERSONAL_FIELDS, Enquiry, EnquiryEvent


class Command(BaseCommand):
    help = (
        "Blank the personal fields of enquiries past their retention period (PORTAL_ENQUIRY_RETENTION_MONTHS), "
        "and the texts of their replies and notes. The enquiries, their states, dates and ratings stay, for the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would be purged.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = Enquiry.objects.filter(purge_after__lte=now, purged_at=None)
        count = due.count()
        if not dry_run and count:
            with transaction.atomic():
                pks = list(due.values_list("pk", flat=True))
                blank = dict.fromkeys(PERSONAL_FIELDS, "")
                Enquiry.objects.filter(pk__in=pks).update(**blank, purged_at=now)
                # Event rows are append-only; their texts (replies quoting the sender) are blanked in place.
                EnquiryEvent.objects.filter(enquiry__in=pks).exclude(text="").update(text="")
                EnquiryEvent.objects.bulk_create(
                    [EnquiryEvent(enquiry_id=pk, action=EnquiryEvent.Action.PURGED, at=now) for pk in pks]
                )
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{count} enquiries {verb}.")
