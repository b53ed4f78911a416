"""Declarative word lists for finding officials' names: roles, the words that make up an
office's name, titles and honorifics, and capitalised words that are never names.

Real articles put long, nested office names between a role and the person
(`Kepala Bidang Perluasan Peserta dan Kepatuhan BPJS Kesehatan Cabang Medan, Nama`), so the
rule tagger walks over every word that can belong to an office and takes the name only
after it. The lists are about Indonesian public administration in general, never about one
article.
"""

from __future__ import annotations

import re

from pipeline.normalize.dates import WEEKDAYS

# Role words, longest first when compiled; a name after them (or before `, <role>` or
# `(<role>`) is an official's.
ROLES: tuple[str, ...] = (
    "Sekretaris Daerah", "Sekretaris Jenderal", "Sekjen", "Sekda", "Wakil Bupati", "Wabup",
    "Bupati", "Wakil Wali Kota", "Wakil Walikota", "Wali Kota", "Walikota", "Wawali",
    "Wakil Gubernur", "Wagub", "Gubernur", "Penjabat", "Pj.", "Pj", "Plt.", "Plt", "Plh.", "Plh",
    "Kepala Cabang", "Kepala Dinas", "Kepala Bidang", "Kepala Bagian", "Kepala Seksi",
    "Kepala Kantor", "Kepala", "Kadinkes", "Kadis", "Kabid", "Kabag", "Kasi", "Kacab",
    "Deputi Direksi", "Deputi", "Direktur Utama", "Dirut", "Direktur", "Menteri", "Menkes",
    "Wakil Menteri", "Wamenkes", "Ketua DPRD", "Ketua DPR", "Ketua", "Wakil Ketua",
    "Anggota DPRD", "Anggota DPR", "Anggota Komisi", "Anggota", "Presiden", "Wakil Presiden",
    "Wapres", "Camat", "Lurah", "Asisten Deputi", "Asisten", "Staf Ahli", "Staf", "Sekretaris",
    "Koordinator", "Kapolda", "Kapolres", "Dandim", "Pimpinan", "Kasubag", "Kasubbag",
    "Pejabat", "Juru Bicara", "Jubir", "Komisaris", "Dewan Pengawas", "Inspektur",
)

# Lower-cased words that can stand inside an office's name (`Kepala Bidang Pelayanan
# Kesehatan Dinas Kesehatan …`); `dan` and `&` join two of them.
OFFICE_WORDS: frozenset[str] = frozenset("""
    bpjs kesehatan ketenagakerjaan cabang provinsi prov kabupaten kab kota daerah wilayah
    dinas dinkes kominfo sosial dinsos pemprov pemkab pemkot pemerintah pemda rsud kantor
    direksi bidang utama kedeputian dprd dpr dpd mpr ri komisi kementerian kemenkes kemensos
    kemendagri puskesmas rumah sakit umum badan penyelenggara jaminan nasional perwakilan
    regional peserta kepesertaan pelayanan perluasan pengelolaan kinerja komunikasi publik
    sdm layanan operasional bagian divisi pemerintahan kesra kesejahteraan rakyat jenderal
    setda setprov setdakab setdako sekretariat pemberdayaan masyarakat desa kelurahan
    kecamatan tenaga kerja transmigrasi dukcapil disdukcapil bpkad bappeda litbang staf ahli
    hukum keuangan kependudukan pencatatan sipil perencanaan pembangunan manfaat kepatuhan
    penagihan humas hubungan antar lembaga watch forum unit seksi subbagian sub urusan
    program informasi data teknologi direktorat deputi asisten kepala dewan pengawas
    republik indonesia negara kerja sama pelaksana tugas harian wakil sekretaris anggota
    fraksi partai tim percepatan satgas gugus koordinasi mutu kualitas iuran klaim
    administrasi pusat kcu kc klok pmr ppk fktp fkrtl jkn kis kb dp3ap2kb bkkbn bpom
    kemenko pmk dinsosp3a bapperida bappelitbangda badan
""".split())
# Office nouns built with pe-…-an / ke-…-an / per-…-an (`Pelayanan`, `Kepesertaan`,
# `Pengelolaan`, `Kesejahteraan`); personal names almost never take that shape.
OFFICE_NOUN = re.compile(r"(?:Pe[mnr]?|Peng|Peny|Ke)[a-z]{3,}an")

# Titles, degrees' prefixes and honorifics before a name, never part of it.
TITLES: tuple[str, ...] = (
    "dr", "Dr", "drg", "Drs", "Dra", "Ir", "Prof", "H", "Hj", "HM", "KH", "K H", "K.H",
    "Gus", "apt", "Ns", "Hajjah", "Haji", "TGH", "Pak", "Bu", "Ibu", "Bapak", "Tuan",
)

# Capitalised words that follow a role but are no name: days, headline verbs, function
# words, document words.
NOT_NAMES: frozenset[str] = frozenset({
    *WEEKDAYS,
    "Sebut", "Lepas", "Buka", "Minta", "Ajak", "Dorong", "Tinjau", "Resmikan", "Serahkan",
    "Apresiasi", "Hadiri", "Pimpin", "Terima", "Beri", "Berikan", "Harap", "Ingatkan",
    "Tegaskan", "Pastikan", "Dukung", "Gelar", "Kunjungi", "Raih", "Jadi", "Bahas", "Akan",
    "Imbau", "Targetkan", "Sampaikan", "Optimis", "Klaim", "Saat", "Bersama", "Dan",
    "Dalam", "Pada", "Untuk", "Kami", "Yang", "Ini", "Itu", "Juga", "Universal", "Health",
    "Berprestasi", "Terbaik", "Terpilih", "Baru", "Lama", "Definitif", "Nomor", "No",
    "Tahun", "Periode", "Masa", "Jabatan", "Sementara", "Menyebut", "Mengatakan",
    "Menjelaskan", "Menurut", "Usai", "Secara", "Sejak", "Hingga", "Sampai", "Dari", "Di",
    "Ke", "Oleh", "Atas", "Soal", "Terkait", "Tentang", "Setempat", "Selaku", "Sekaligus",
})
# Words before a role that make it the name of a place or a document, not a person's
# office: `Kantor Bupati Kolaka`, `Instruksi Presiden Nomor 1`, `Rujab Gubernur`.
NOT_A_PERSON_BEFORE = re.compile(
    r"(?:Kantor|Rumah Jabatan|Rujab|Rumdin|Pendopo|Pendapa|Aula|Ruang|Gedung|Surat Edaran|"
    r"Instruksi|Peraturan|Keputusan|Perpres|Inpres|Piala|Penghargaan|Lomba|Cup)[ \t]+$"
)
