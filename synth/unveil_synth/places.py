"""Places of the synthetic world: cities of Belgium and its neighbours, named as each language names them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class City:
    """A city where posts are placed; ``names`` maps a language to its local name."""

    name: str
    country: str
    weight: float
    e40: bool = False
    port: bool = False
    names: dict[str, str] = field(default_factory=dict)

    def local(self, language: str) -> str:
        """The city's name as a post in ``language`` would write it."""
        return self.names.get(language, self.name)


CITIES: tuple[City, ...] = (
    City(
        "Brussels",
        "BE",
        20,
        True,
        False,
        {
            "nl": "Brussel",
            "fr": "Bruxelles",
            "ro": "Bruxelles",
            "es": "Bruselas",
            "bg": "Брюксел",
            "ar": "بروكسل",
            "de": "Brüssel",
            "pl": "Bruksela",
        },
    ),
    City(
        "Antwerp",
        "BE",
        12,
        False,
        True,
        {
            "nl": "Antwerpen",
            "fr": "Anvers",
            "es": "Amberes",
            "bg": "Антверпен",
            "ar": "أنتويرب",
            "de": "Antwerpen",
            "ro": "Anvers",
            "pl": "Antwerpia",
        },
    ),
    City(
        "Ghent",
        "BE",
        8,
        True,
        False,
        {
            "nl": "Gent",
            "fr": "Gand",
            "es": "Gante",
            "bg": "Гент",
            "ar": "غينت",
            "de": "Gent",
            "ro": "Gent",
            "pl": "Gandawa",
        },
    ),
    City("Bruges", "BE", 4, True, False, {"nl": "Brugge", "de": "Brügge", "bg": "Брюж", "ar": "بروج", "es": "Brujas"}),
    City(
        "Ostend",
        "BE",
        3,
        True,
        True,
        {
            "nl": "Oostende",
            "fr": "Ostende",
            "de": "Ostende",
            "ar": "أوستند",
            "es": "Ostende",
            "bg": "Остенде",
            "ro": "Ostende",
        },
    ),
    City("Zeebrugge", "BE", 2, True, True, {"fr": "Zeebruges", "ar": "زيبروغ", "bg": "Зеебрюге"}),
    City(
        "Liège",
        "BE",
        6,
        False,
        False,
        {"nl": "Luik", "en": "Liege", "de": "Lüttich", "bg": "Лиеж", "ar": "لييج", "es": "Lieja"},
    ),
    City("Charleroi", "BE", 5, False, False, {"bg": "Шарлероа", "ar": "شارلروا"}),
    City("Namur", "BE", 2, False, False, {"nl": "Namen", "bg": "Намюр"}),
    City("Leuven", "BE", 2, True, False, {"fr": "Louvain", "bg": "Льовен"}),
    City("Mechelen", "BE", 2, False, False, {"fr": "Malines", "bg": "Мехелен"}),
    City("Hasselt", "BE", 1.5, False, False, {"bg": "Хаселт"}),
    City("Mons", "BE", 1.5, False, False, {"nl": "Bergen", "bg": "Монс"}),
    City("Kortrijk", "BE", 1.5, False, False, {"fr": "Courtrai", "bg": "Кортрейк"}),
    City("Aalst", "BE", 1, True, False, {"fr": "Alost"}),
    City("Lille", "FR", 5, False, False, {"nl": "Rijsel", "bg": "Лил", "ar": "ليل"}),
    City("Calais", "FR", 3, False, True, {"bg": "Кале", "ar": "كاليه"}),
    City(
        "Dunkirk",
        "FR",
        2,
        False,
        True,
        {
            "fr": "Dunkerque",
            "nl": "Duinkerke",
            "de": "Dünkirchen",
            "ar": "دونكيرك",
            "es": "Dunkerque",
            "bg": "Дюнкерк",
            "ro": "Dunkerque",
        },
    ),
    City("Paris", "FR", 4, False, False, {"nl": "Parijs", "bg": "Париж", "ar": "باريس", "es": "París", "ro": "Paris"}),
    City("Rotterdam", "NL", 5, False, True, {"bg": "Ротердам", "ar": "روتردام"}),
    City("Amsterdam", "NL", 4, False, False, {"bg": "Амстердам", "ar": "أمستردام"}),
    City(
        "The Hague",
        "NL",
        2,
        False,
        False,
        {"nl": "Den Haag", "fr": "La Haye", "de": "Den Haag", "es": "La Haya", "bg": "Хага", "ar": "لاهاي"},
    ),
    City("Maastricht", "NL", 1, False, False, {"bg": "Маастрихт"}),
    City(
        "Cologne",
        "DE",
        4,
        False,
        False,
        {
            "de": "Köln",
            "nl": "Keulen",
            "fr": "Cologne",
            "ro": "Köln",
            "bg": "Кьолн",
            "ar": "كولونيا",
            "es": "Colonia",
            "pl": "Kolonia",
        },
    ),
    City("Aachen", "DE", 1.5, False, False, {"fr": "Aix-la-Chapelle", "nl": "Aken", "bg": "Аахен"}),
    City("Düsseldorf", "DE", 2, False, False, {"en": "Dusseldorf", "bg": "Дюселдорф"}),
    City("Luxembourg", "LU", 1.5, False, False, {"de": "Luxemburg", "nl": "Luxemburg", "bg": "Люксембург"}),
)

CITY_BY_NAME = {city.name: city for city in CITIES}

# Departure points named in smuggling posts along the Channel coast and the E40.
DEPARTURE_POINTS = ("Calais", "Dunkirk", "Zeebrugge", "Ostend", "Rotterdam", "Antwerp", "Brussels")
CIRCUITS = (
    ("Brussels", "Ghent", "Bruges", "Ostend"),
    ("Antwerp", "Rotterdam", "Amsterdam", "The Hague"),
    ("Liège", "Aachen", "Cologne", "Düsseldorf"),
    ("Charleroi", "Mons", "Lille", "Paris"),
    ("Brussels", "Antwerp", "Leuven", "Mechelen"),
    ("Ghent", "Kortrijk", "Lille", "Calais"),
    ("Liège", "Namur", "Luxembourg", "Hasselt"),
    ("Brussels", "Liège", "Maastricht", "Cologne"),
)
