import time

from django.core.management.base import BaseCommand
from django.db.models import Count

from core.models import Region
from core.regions import load_regions


class Command(BaseCommand):
    help = "Muat daftar wilayah Kemendagri (provinsi s.d. desa) ke basis data. Aman diulang."

    def handle(self, *args, **options):
        started = time.monotonic()
        result = load_regions()
        per_level = dict(
            Region.objects.values_list("level").annotate(n=Count("code")).order_by("level")
        )
        self.stdout.write(
            f"Wilayah: {result['inserted']} baru, {result['updated']} diubah "
            f"({time.monotonic() - started:.1f} s). Per tingkat: "
            + ", ".join(f"{level}: {count}" for level, count in per_level.items())
        )
