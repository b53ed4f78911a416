"""Cue words of the relation step, gathered in one place (as spaCy keeps language data).

Cues are phrases of lower-cased words as `pipeline.text.tokenize` splits them; a trailing
`-nya` is dropped from a word before it is compared (`keaktifannya` → `keaktifan`). The rule
relater reads them as rules; the learned relater reads the same findings as features.
"""

from __future__ import annotations

from pipeline.normalize.dates import WEEKDAYS as DATE_WEEKDAYS

# Metric cues. Strong cues name the measure; weak ones (`kepesertaan`, `peserta`) only
# decide when no strong cue is in the clause.
METRIC_CUES: dict[str, str] = {
    **dict.fromkeys(
        ["keaktifan", "aktif", "peserta aktif", "kepesertaan aktif", "status aktif"],
        "activity"),
    **dict.fromkeys(
        ["tidak aktif", "nonaktif", "non aktif", "non - aktif", "ketidakaktifan", "menunggak",
         "tunggakan", "dinonaktifkan", "tidak bisa dipakai", "belum aktif"],
        "inactive"),
    **dict.fromkeys(
        ["cakupan", "uhc", "universal health coverage", "coverage", "terdaftar", "kecukupan",
         "cakupan kepesertaan", "keanggotaan", "didaftarkan", "kepesertaan jkn"],
        "coverage"),
    **dict.fromkeys(
        ["inflasi", "stunting", "kemiskinan", "survei", "kepuasan", "puas", "responden",
         "belum terdaftar", "tidak terdaftar", "belum memiliki", "belum mendaftarkan",
         "belum didaftarkan", "belum punya", "belum mendaftar", "belum bergabung", "porsi",
         "porsinya", "mendominasi", "didominasi",
         "dari total peserta", "dari seluruh peserta", "pengangguran", "pertumbuhan", "harga",
         "upah minimum", "wisatawan", "iuran warga", "menanggung", "ditanggung", "prevalensi",
         "perusahaan", "hektare", "ekonomi", "komposisi", "rasio klaim", "klaim",
         "kunjungan", "jaringan"],
        "other"),
}
WEAK_METRIC_CUES: dict[str, str] = {"kepesertaan": "coverage", "peserta": "coverage",
                                    "penduduk": "coverage"}
# Cues right after a figure that name what the figure counts, ahead of any cue before it:
# the registered-but-inactive and the not-registered complements (`10 persen
# kepesertaannya tidak aktif`, `12 persen penduduk belum mendaftar`).
COMPLEMENT_CUES: dict[str, str] = {
    phrase: metric for phrase, metric in METRIC_CUES.items()
    if metric == "inactive" or phrase.startswith(("belum", "tidak terdaftar"))
}
# Words that say the sentence lists how participants divide into segments, so a segment's
# figure is its share of all participants (metric `other`), not a coverage.
SEGMENT_SHARE_CUES: tuple[str, ...] = (
    "segmen", "komposisi", "terdiri", "terbesar", "kelompok", "berstatus", "proporsi", "porsi",
)

# Words that make a figure a goal, threshold or hypothetical reference.
TARGET_CUES: tuple[str, ...] = (
    "target", "targetnya", "targetkan", "menargetkan", "ditargetkan", "targetkan", "syarat",
    "mensyaratkan", "minimal", "minimum", "ambang", "batas", "kalau", "jika", "apabila",
    "melampaui angka", "menuju", "agar", "ingin", "harus", "sasaran", "usulkan", "bisa naik",
    "siap menanggung",
    # a bar not yet reached: `belum mencapai 95 persen`
    "belum mencapai", "belum memenuhi", "belum menyentuh",
    # aspirations, plans and mandates
    "berharap", "harapkan", "diharapkan", "menginginkan", "semestinya", "seharusnya",
    "harusnya", "paling lambat", "untuk mencapai", "guna mencapai", "demi mencapai",
    "mudah - mudahan", "mudah – mudahan", "merencanakan", "direncanakan", "rencana",
    "paling tidak", "diamanatkan", "ditetapkan", "rpjmn", "jangka menengah", "bisa mencapai",
)
# Words right before a target cue that say the figure *reached* the target (`telah mencapai
# target nasional sebesar 96,10 persen`, `Capai 98,40 Persen, Lampaui Target`): measured.
REACHED: frozenset[str] = frozenset({"mencapai", "capai", "melampaui", "lampaui", "memenuhi",
                                     "melebihi", "lebihi"})
NOT_YET: frozenset[str] = frozenset({"belum", "tidak"})

# Segment names as written (full names and abbreviations), to the canonical segment.
SEGMENT_CUES: dict[str, str] = {
    "pbi apbn": "PBI APBN", "pbi - apbn": "PBI APBN",
    "pbi apbd": "PBI APBD", "pbi - apbd": "PBI APBD",
    "pbpu pemda": "PBPU Pemda", "pbpu": "PBPU", "pekerja bukan penerima upah": "PBPU",
    "peserta mandiri": "PBPU", "mandiri": "PBPU",
    "bp": "BP", "bukan pekerja": "BP",
    "ppu pn": "PPU PN", "ppu penyelenggara negara": "PPU PN",
    "pekerja penerima upah penyelenggara negara": "PPU PN",
    "ppu bu": "PPU BU", "pekerja penerima upah badan usaha": "PPU BU",
}

# A figure for the whole country.
NATIONAL_CUES: tuple[str, ...] = (
    "nasional", "secara nasional", "seluruh indonesia", "rata - rata nasional",
    "pemerintah pusat", "rpjmn",
)

# A figure for several regions taken together, or an unnamed group of them.
GROUP_CUES: tuple[str, ...] = (
    "kabupaten / kota", "kabupaten kota", "kab / kota", "kabupaten lain", "daerah lain",
    "sumbagsel", "sulutgomalut", "wilayah x", "kedeputian", "seluruh kabupaten",
    "ketiga kabupaten", "kedua kabupaten", "dua daerah",
)
# A counted group ("8 kabupaten", "sebelas daerah"): a number, then one of these words.
GROUP_NOUNS: frozenset[str] = frozenset({"kabupaten", "daerah", "kota", "provinsi", "wilayah"})
NUMBER_WORDS: frozenset[str] = frozenset(
    "dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh".split())

# Words before a DATE that make it the figure's as-of date or period.
ASOF_CUES: tuple[str, ...] = (
    "sampai", "hingga", "per", "periode", "posisi", "data", "tanggal", "sejak", "pada bulan",
    "bulan", "akhir", "awal", "update", "pertanggal",
)
# Words skipped while looking for the cue before a date (`sampai dengan`, `per awal`).
DATE_CUE_SKIP: frozenset[str] = frozenset({"dengan", "awal", "akhir", "pertengahan", "tanggal",
                                           "bulan", "tahun", "th", "pada"})
# A date after these is the event's, not the figure's.
WEEKDAYS: frozenset[str] = frozenset(day.lower() for day in DATE_WEEKDAYS)
EVENT_CUES: tuple[str, ...] = (
    *sorted(WEEKDAYS), "pada", "dalam kegiatan", "oleh redaksi", "diterbitkan", "wib", "wita",
    "wit",
)
# A reference back to an earlier dated figure (`per tanggal yang sama`).
CARRY_CUES: tuple[str, ...] = ("yang sama", "periode itu", "periode tersebut", "data itu",
                               "data tersebut", "saat ini")

# Sentence openings that continue the previous figure ("Artinya hampir 24 persen …").
CONTINUATION_CUES: tuple[str, ...] = ("artinya", "sisanya", "sedangkan", "sementara", "dari",
                                      "khusus", "ia merinci", "rinciannya")

# Words that join names in one list of regions ("Sleman, Bantul dan Kulon Progo").
LIST_SEPARATORS: frozenset[str] = frozenset({",", "dan", "serta", "&", "/"})
LIST_JOINERS: frozenset[str] = LIST_SEPARATORS | {"kabupaten", "kota", "kab", "."}

# Words that open a list of the regions a figure is stated for (`… 80 persen, yakni A, B`),
# and the punctuation that may stand before them.
LIST_OPENERS: frozenset[str] = frozenset({"yakni", "yaitu", "antara", "meliputi"})
DASHES: frozenset[str] = frozenset({",", "-", "–", "—", ":"})
# `di bawah 80 persen`: a bar when regions are held against it (`daerah yang di bawah 95
# persen`, `… di bawah 80 persen, yakni A dan B`), a qualified measurement otherwise.
BELOW_CUES: tuple[str, ...] = ("di bawah", "dibawah", "dibawa")
