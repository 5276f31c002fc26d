"""The registry's fields in the groups that forms, services, proposals and merges share, named
once so that a field added to the model is added everywhere it belongs."""

ADDRESS_FIELDS = ["alamat", "rt", "rw", "dusun"]

# The house and its facilities (DTSEN housing block), in the order the household page shows.
HOUSING_FIELDS = [
    "status_rumah",
    "luas_lantai",
    "jenis_lantai",
    "jenis_dinding",
    "jenis_atap",
    "sumber_air_minum",
    "sumber_penerangan",
    "daya_listrik",
    "bahan_bakar_memasak",
    "fasilitas_bab",
    "jenis_kloset",
    "pembuangan_akhir_tinja",
]

# Health insurance contribution assistance (PBI JK), national and local government.
BENEFIT_FIELDS = ["pbi_nas", "pbi_pemda"]

# A member's identity and welfare data as forms and proposals edit it (status, flags and death
# have their own paths).
MEMBER_DATA_FIELDS = [
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "status_kawin",
    "nama_ibu_kandung",
    "partisipasi_sekolah",
    "pendidikan",
    "pekerjaan",
    "status_bekerja",
    "disabilitas",
    "penyakit_kronis",
    "hamil",
    "kondisi_gizi",
]
