"""``birlik ideas_reindex``: rebuild the similarity index of every idea (after a change of the
word lists or the glossary copy, or on a restored database)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from birlik.ideas.models import Idea, IdeaTerm
from birlik.ideas.similarity import index_ideas_bulk


class Command(BaseCommand):
    help = "Rebuild the similar-ideas index: the terms of every published idea, none of others."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="ideas per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, min(int(options["batch"]), 20_000))
        # Ideas no longer published lose their terms first; then every published idea's terms
        # are rewritten, a batch per transaction.
        stale = IdeaTerm.objects.exclude(idea__status=Idea.Status.PUBLISHED)
        removed, _kinds = stale.delete()
        ideas = Idea.objects.filter(status=Idea.Status.PUBLISHED).order_by("pk")
        written = index_ideas_bulk(ideas.iterator(chunk_size=batch), batch=batch)
        self.stdout.write(
            f"{ideas.count()} published ideas indexed: {written} terms written, "
            f"{removed} terms of other ideas removed."
        )
