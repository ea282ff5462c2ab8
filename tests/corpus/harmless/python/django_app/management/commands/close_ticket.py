from django.core.management.base import BaseCommand, CommandError

from support.models import Ticket


class Command(BaseCommand):
    help = "Close a single support ticket and delete its draft reply"

    def add_arguments(self, parser):
        parser.add_argument("ticket_id", type=int)

    def handle(self, *args, **options):
        try:
            ticket = Ticket.objects.get(pk=options["ticket_id"])
        except Ticket.DoesNotExist:
            raise CommandError("ticket does not exist")
        Ticket.objects.filter(pk=ticket.pk).update(status="closed")
        draft = ticket.drafts.filter(author__isnull=True).first()
        if draft is not None:
            draft.delete()
        self.stdout.write(f"closed ticket {ticket.pk}")
