import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_demo_staff
from households.demo import analyze, demo_household_count, run_demo_seeders, seed_households


class Command(BaseCommand):
    help = (
        "Buat kabupaten demo (Kabupaten Malang) dengan satu pengguna per peran dan keluarga "
        "demo yang realistis. Aman diulang: keluarga yang sudah ada tidak diduplikasi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=2000,
            help="Jumlah keluarga demo yang diinginkan (300000 ≈ satu kabupaten penuh).",
        )
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **options):
        # The demo users share one printed password: never on a production database. The
        # configured mode, not settings.DEBUG, which the test runner turns off for every test.
        if not settings.DEVELOPMENT_MODE:
            raise CommandError(
                "seed_demo hanya untuk pengembangan (development only): jalankan dengan "
                "DJANGO_DEBUG=1, dan jangan pada basis data produksi."
            )
        with transaction.atomic():
            staff = seed_demo_staff()
        target = max(0, options["households"])
        started = time.monotonic()
        admin = get_user_model().objects.filter(username="admin").first()

        def progress(done):
            if not options["quiet"] and target >= 50_000:
                self.stdout.write(
                    f"  {done:,} / {target:,} keluarga ({time.monotonic() - started:.0f} s)"
                )

        added = seed_households(target, admin=admin, progress=progress)
        if added:
            analyze()
        seeded = run_demo_seeders(admin)
        if options["quiet"]:
            return
        if added:
            self.stdout.write(
                f"Keluarga demo: {added:,} ditambahkan, total {demo_household_count():,} "
                f"({time.monotonic() - started:.1f} s)."
            )
        else:
            self.stdout.write(f"Keluarga demo sudah ada: {demo_household_count():,}.")
        for line in seeded:
            self.stdout.write(line)
        self.stdout.write("Login demo (kata sandi sama untuk semua): " + DEMO_PASSWORD)
        for username, role_label, area in staff:
            self.stdout.write(f"  {username:<22} {role_label:<22} {area}")
