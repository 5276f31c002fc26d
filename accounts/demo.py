"""The demo district: Kabupaten Malang (35.07), two of its kecamatan, one user per role."""

from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import set_role

DEMO_KABUPATEN = "35.07"
DEMO_KECAMATAN_A = "35.07.01"
DEMO_KECAMATAN_B = "35.07.02"
DEMO_DESA_A = "35.07.01.2001"
DEMO_PASSWORD = "terpadu-demo-2026"

DEMO_STAFF = [
    ("admin", "Admin Dinas Sosial", Role.ADMIN_DINAS, DEMO_KABUPATEN),
    ("pimpinan", "Kepala Dinas Sosial", Role.PIMPINAN, DEMO_KABUPATEN),
    ("operator.a", "Operator Kecamatan A", Role.OPERATOR_KECAMATAN, DEMO_KECAMATAN_A),
    ("operator.b", "Operator Kecamatan B", Role.OPERATOR_KECAMATAN, DEMO_KECAMATAN_B),
    ("puskesos", "Petugas Puskesos Desa", Role.PETUGAS_PUSKESOS, DEMO_DESA_A),
    ("pendamping", "Pendamping PKH", Role.PENDAMPING, DEMO_KECAMATAN_A),
    ("pengaduan", "Petugas Pengaduan", Role.PETUGAS_PENGADUAN, DEMO_KABUPATEN),
    ("mitra", "Mitra Layanan Puskesmas", Role.MITRA_LAYANAN, DEMO_KABUPATEN),
]


def seed_demo_staff():
    """Create (or reset) one demo user per role; returns (username, role label, area)."""
    User = get_user_model()
    created = []
    for username, full_name, role, area in DEMO_STAFF:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        set_role(user, role, area)
        created.append((username, str(role.label), area))
    return created
