"""Indonesian personal names for mention replacement, from many regions of the country.

Officials in unseen articles will have names the training articles never contained;
drawing replacements from here teaches the model the context of a name, not the names.
"""

FIRST_NAMES: tuple[str, ...] = (
    "Agus", "Ahmad", "Andi", "Arief", "Bambang", "Budi", "Dewi", "Dian", "Eko", "Endang",
    "Fitri", "Hendra", "Herman", "Ika", "Indra", "Joko", "Kartika", "Lestari", "Made",
    "Muhammad", "Nur", "Putu", "Rahmat", "Ratna", "Rina", "Siti", "Slamet", "Sri", "Suharto",
    "Taufik", "Teguh", "Wayan", "Yohanes", "Yusuf", "Zainal", "Nyoman", "Ketut", "Komang",
    "Fransiskus", "Maria", "Yosef", "Benediktus", "Markus", "Petrus", "Samuel", "Daniel",
    "Teuku", "Cut", "Irwan", "Syahrul", "Nasrullah", "Hasanuddin", "Andi", "Daeng", "La",
    "Wa", "Abdul", "Rizal", "Ridwan", "Fadli", "Yuliana", "Kristina", "Margaretha", "Anak",
    "Gede", "Ni", "Sofyan", "Hamdan", "Marthen", "Yan", "Herlina", "Erna", "Sugeng",
    "Wahyu", "Yudi", "Asmawati", "Nurhayati", "Rosmini", "Darmawan", "Ferdinand", "Hasnah",
)

LAST_NAMES: tuple[str, ...] = (
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Kusuma", "Nugroho", "Setiawan",
    "Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Panjaitan",
    "Sinaga", "Tampubolon", "Manurung", "Pohan", "Batubara", "Rangkuti", "Daulay",
    "Wahyudi", "Susanto", "Prasetyo", "Hartono", "Gunawan", "Hakim", "Rahman", "Syahputra",
    "Mandagi", "Rumengan", "Tumbelaka", "Lumempouw", "Sondakh", "Tanod", "Pangemanan",
    "Wenas", "Latuconsina", "Pattimura", "Tuasikal", "Ohoitimur", "Rumbiak", "Wanggai",
    "Karubaba", "Mandacan", "Yoku", "Suebu", "Mahmud", "Saleh", "Latif", "Baso", "Mallarangeng",
    "Paloloang", "Lamadjido", "Tangdilintin", "Pakpahan", "Ginting", "Tarigan", "Sembiring",
    "Purba", "Damanik", "Hutapea", "Bangun", "Fauzi", "Iskandar", "Sudirman", "Ramadhan",
    "Firmansyah", "Kurniawan", "Maulana", "Hasibuan", "Effendi", "Sihombing", "Tanjung",
    "Usman", "Arifin", "Yasin", "Bakri", "Sinambela", "Silaban", "Adoe", "Ndoen", "Fanggidae",
    "Nggadas", "Bria", "Seran", "Mau", "Sabu", "Widodo", "Astuti", "Handayani", "Rahayu",
)
