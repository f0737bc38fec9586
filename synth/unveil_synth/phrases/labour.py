"""Exploitative job offers: construction, cleaning, agriculture, hospitality."""

from __future__ import annotations

from unveil_synth.phrases.words import Bank, role

EN: Bank = (
    role(
        "open",
        "We are hiring {job} in {city}! | URGENT: {job} needed in Belgium | Work in {city} for {job} "
        "| Jobs for {job}, start immediately | {company} is looking for {job}",
    ),
    role(
        "!lure",
        "free accommodation and transport | no papers needed, no experience | travel paid in advance, "
        "deducted from salary | no language needed, we arrange everything | we keep your documents safe for you",
    ),
    role(
        "wage",
        "{wage}€ per hour | salary {wage_month}€ per month, cash | {wage_month} euro net monthly "
        "| paid weekly, {wage}€/h",
    ),
    role("?hours", "6 days a week, 10-12 hours | work also weekends | long hours, good money | overtime possible"),
    role("contact", "Call {contact} | WhatsApp only {contact} | send message {contact} | Viber {contact}"),
)
NL: Bank = (
    role(
        "open",
        "Wij zoeken {job} in {city}! | DRINGEND: {job} gezocht in België | Werk in {city} voor {job} "
        "| {company} zoekt {job}",
    ),
    role(
        "!lure",
        "gratis woonst en vervoer | geen papieren nodig, geen ervaring | reis voorgeschoten, "
        "afgehouden van loon | geen taal nodig, wij regelen alles",
    ),
    role("wage", "{wage}€ per uur | loon {wage_month}€ per maand, cash | {wage_month} euro netto per maand"),
    role("?hours", "6 dagen per week, 10-12 uur | ook weekendwerk | lange dagen, goed geld"),
    role("contact", "Bel {contact} | Enkel WhatsApp {contact} | stuur bericht {contact}"),
)
FR: Bank = (
    role(
        "open",
        "On recrute des {job} à {city} ! | URGENT : {job} en Belgique | Travail à {city} pour {job} "
        "| {company} cherche des {job}",
    ),
    role(
        "!lure",
        "logement et transport gratuits | pas besoin de papiers, sans expérience | voyage avancé, "
        "retenu sur le salaire | pas besoin de langue, on s'occupe de tout",
    ),
    role("wage", "{wage}€ de l'heure | salaire {wage_month}€ par mois, en liquide | {wage_month} euros net par mois"),
    role("?hours", "6 jours sur 7, 10-12 heures | travail aussi le week-end | longues journées, bon salaire"),
    role("contact", "Appelez le {contact} | WhatsApp seulement {contact} | envoyez un message au {contact}"),
)
RO: Bank = (
    role(
        "open",
        "Angajăm {job} în {city}! | URGENT: {job} pentru Belgia | Muncă în {city} pentru {job} "
        "| Firma {company} angajează {job}",
    ),
    role(
        "!lure",
        "cazare și transport gratuit | nu e nevoie de acte, fără experiență | drumul plătit de noi, "
        "se reține din salariu | fără limbă străină, ne ocupăm de tot",
    ),
    role("wage", "{wage}€ pe oră | salariu {wage_month}€ pe lună, cash | {wage_month} euro net lunar"),
    role("?hours", "6 zile pe săptămână, 10-12 ore | se lucrează și în weekend | ore multe, bani buni"),
    role("contact", "Sunați la {contact} | Doar WhatsApp {contact} | trimiteți mesaj {contact}"),
)
BG: Bank = (
    role(
        "open",
        "Търсим {job} за {city}! | СПЕШНО: {job} за Белгия | Работа в {city} за {job} | Фирма {company} търси {job}",
    ),
    role(
        "!lure",
        "безплатна квартира и транспорт | не са нужни документи, без опит | пътят е платен, "
        "удържа се от заплатата | без език, ние уреждаме всичко",
    ),
    role("wage", "{wage}€ на час | заплата {wage_month}€ на месец, в брой | {wage_month} евро чисто"),
    role("?hours", "6 дни в седмицата, 10-12 часа | работа и през уикенда"),
    role("contact", "Обадете се на {contact} | Само Viber {contact} | пишете на {contact}"),
)
PL: Bank = (
    role(
        "open",
        "Zatrudnimy {job} w {city}! | PILNE: {job} do Belgii | Praca w {city} dla {job} | Firma {company} szuka {job}",
    ),
    role(
        "!lure",
        "darmowe zakwaterowanie i dojazd | bez dokumentów, bez doświadczenia | podróż opłacona, "
        "potrącana z wypłaty | bez języka, wszystko załatwiamy",
    ),
    role("wage", "{wage}€ na godzinę | pensja {wage_month}€ miesięcznie, gotówka | {wage_month} euro netto"),
    role("?hours", "6 dni w tygodniu, 10-12 godzin | praca też w weekendy"),
    role("contact", "Dzwoń {contact} | Tylko WhatsApp {contact} | napisz {contact}"),
)
ES: Bank = (
    role("open", "¡Buscamos {job} en {city}! | URGENTE: {job} para Bélgica | Trabajo en {city} para {job}"),
    role(
        "!lure",
        "alojamiento y transporte gratis | no hacen falta papeles, sin experiencia "
        "| viaje adelantado, se descuenta del sueldo | sin idioma, nosotros lo arreglamos todo",
    ),
    role("wage", "{wage}€ la hora | sueldo {wage_month}€ al mes, en efectivo | {wage_month} euros netos"),
    role("?hours", "6 días a la semana, 10-12 horas | también fines de semana"),
    role("contact", "Llama al {contact} | Solo WhatsApp {contact} | escribe al {contact}"),
)

LABOUR_BANKS: dict[tuple[str, str], Bank] = {
    ("labour", "en"): EN,
    ("labour", "nl"): NL,
    ("labour", "fr"): FR,
    ("labour", "ro"): RO,
    ("labour", "bg"): BG,
    ("labour", "pl"): PL,
    ("labour", "es"): ES,
}
