"""Escort and companionship ads, in the languages seen on Belgian and neighbouring ad sites."""

from __future__ import annotations

from unveil_synth.phrases.words import Bank, role

EN: Bank = (
    role(
        "open",
        "{name} {age} | 💋 {name} 💋 | Sweet {nat} {name} | {name}, {nat} beauty | ❤️ {name} ❤️ "
        "| Hello gentlemen, I am {name} | {name} - {age}y - {city}",
    ),
    role(
        "!hook",
        "NEW IN TOWN!! | Just arrived in {city}, only for {days} days | Young and fresh, first time here "
        "| Available 24/7, all services | New girls every week | Only this week in {city}! "
        "| New girl, very young, no limits",
    ),
    role(
        "?about",
        "{age} years old, slim, natural | I am {age}, sweet and discreet | Real photos, {age} y.o. "
        "| Elegant and educated, {age} years | Sexy {nat} girl, {age} years, 1m65 | Curvy, friendly, {age}",
    ),
    role(
        "?services",
        "GFE, massage, relax | Girlfriend experience, massage | Relaxing massage and more "
        "| Dinner dates and overnight | Soft and sensual, no rush",
    ),
    role(
        "place",
        "Incall in {city} centre | Private apartment near {city} station | Incall/outcall {city} "
        "| Hotel {hotel} {city}, incall only | Discreet place in {city}, parking nearby | Outcall to hotels in {city}",
    ),
    role(
        "price",
        "{price}€ 30min / {price2}€ 1h | 1h {price2} euro | Half hour {price}, hour {price2} "
        "| Prices on request | From {price}€",
    ),
    role(
        "contact",
        "Call or WhatsApp {contact} | Contact: {contact} | 📞 {contact} | Text me {contact} "
        "| Appointments at {contact} | No private numbers. {contact}",
    ),
)
NL: Bank = (
    role(
        "open",
        "{name} {age} | 💋 {name} 💋 | Lieve {nat} {name} | {name}, {nat} schoonheid "
        "| Hallo heren, ik ben {name} | {name} - {age}j - {city}",
    ),
    role(
        "!hook",
        "NIEUW IN {city}!! | Pas aangekomen in {city}, maar {days} dagen | Jong en fris, eerste keer hier "
        "| 24/7 beschikbaar, alle services | Elke week nieuwe meisjes | Alleen deze week in {city}!",
    ),
    role(
        "?about",
        "{age} jaar, slank en natuurlijk | Ik ben {age}, lief en discreet | Echte foto's, {age} jaar "
        "| Sexy {nat} meid van {age} | Vrolijk en verzorgd, {age} jaar",
    ),
    role(
        "?services",
        "GFE, massage, ontspanning | Erotische massage en meer | Gezellig samenzijn, geen haast "
        "| Ook dinnerdates en overnachtingen",
    ),
    role(
        "place",
        "Ontvangst in {city} centrum | Privé appartement vlakbij station {city} | Ontvangst en escort {city} "
        "| Hotel {hotel} {city} | Discreet adres in {city}, parking vlakbij",
    ),
    role(
        "price",
        "{price}€ half uur / {price2}€ uur | 1u {price2} euro | Half uur {price}, uur {price2} "
        "| Prijzen op aanvraag | Vanaf {price}€",
    ),
    role(
        "contact",
        "Bel of WhatsApp {contact} | Contact: {contact} | 📞 {contact} | Sms naar {contact} "
        "| Afspraak via {contact} | Geen anonieme nummers. {contact}",
    ),
)
FR: Bank = (
    role(
        "open",
        "{name} {age} ans | 💋 {name} 💋 | Douce {nat} {name} | {name}, belle {nat} "
        "| Bonjour messieurs, je suis {name} | {name} - {age}a - {city}",
    ),
    role(
        "!hook",
        "NOUVELLE À {city} !! | Juste arrivée à {city}, seulement {days} jours | Jeune et fraîche, "
        "première fois ici | Dispo 24h/24, tous services | Nouvelles filles chaque semaine "
        "| Seulement cette semaine à {city} !",
    ),
    role(
        "?about",
        "{age} ans, mince et naturelle | J'ai {age} ans, douce et discrète | Photos réelles, {age} ans "
        "| Sexy {nat} de {age} ans | Souriante et élégante, {age} ans",
    ),
    role(
        "?services",
        "GFE, massage, détente | Massage relaxant et plus | Moment complice sans chrono | Dîners et nuits possibles",
    ),
    role(
        "place",
        "Je reçois à {city} centre | Appartement privé près de la gare de {city} | Reçoit et se déplace {city} "
        "| Hôtel {hotel} {city} | Lieu discret à {city}, parking à côté",
    ),
    role(
        "price",
        "{price}€ 30min / {price2}€ 1h | 1h {price2} euros | Demi-heure {price}, heure {price2} "
        "| Tarifs sur demande | À partir de {price}€",
    ),
    role(
        "contact",
        "Appelle ou WhatsApp {contact} | Contact : {contact} | 📞 {contact} | SMS au {contact} "
        "| Rdv au {contact} | Pas de numéros masqués. {contact}",
    ),
)
ES: Bank = (
    role(
        "open",
        "{name} {age} | 💋 {name} 💋 | {name}, {nat} cariñosa | Hola caballeros, soy {name} "
        "| {name} - {age} años - {city}",
    ),
    role(
        "!hook",
        "¡NUEVA EN {city}! | Recién llegada a {city}, solo {days} días | Jovencita, primera vez aquí "
        "| Disponible 24 horas, todos los servicios | Solo esta semana en {city}",
    ),
    role(
        "?about",
        "{age} años, delgada y natural | Tengo {age} años, dulce y discreta | Fotos reales, {age} años "
        "| Morena {nat} de {age} años",
    ),
    role("?services", "Masaje relajante y más | Trato de novia, sin prisas | Cenas y noches completas"),
    role(
        "place",
        "Piso privado en {city} centro | Cerca de la estación de {city} | Hotel {hotel} {city} "
        "| Recibo y salgo en {city}",
    ),
    role(
        "price", "{price}€ media hora / {price2}€ la hora | 1h {price2} euros | Precios por teléfono | Desde {price}€"
    ),
    role("contact", "Llama o WhatsApp {contact} | Contacto: {contact} | 📞 {contact} | Citas al {contact}"),
)
RO: Bank = (
    role(
        "open",
        "{name} {age} ani | 💋 {name} 💋 | {name}, {nat} dulce | Bună, sunt {name} | {name} - {age} ani - {city}",
    ),
    role(
        "!hook",
        "NOUĂ ÎN {city}!! | Abia am ajuns în {city}, doar {days} zile | Tânără, prima dată aici "
        "| Disponibilă non-stop, toate serviciile | Doar săptămâna asta în {city}",
    ),
    role("?about", "{age} ani, slăbuță și naturală | Am {age} ani, dulce și discretă | Poze reale, {age} ani"),
    role("?services", "Masaj relaxant și mai mult | Experiență de iubită | Cine și nopți întregi"),
    role(
        "place",
        "Primesc în {city} centru | Apartament privat lângă gara din {city} | Hotel {hotel} {city} "
        "| Primesc și mă deplasez în {city}",
    ),
    role("price", "{price}€ 30 min / {price2}€ ora | 1 oră {price2} euro | Prețuri la telefon | De la {price}€"),
    role("contact", "Sună sau WhatsApp {contact} | Contact: {contact} | 📞 {contact} | Programări la {contact}"),
)
BG: Bank = (
    role(
        "open",
        "{name} {age} г. | 💋 {name} 💋 | {name}, сладка {nat} | Здравейте, аз съм {name} | {name} - {age} г. - {city}",
    ),
    role(
        "!hook",
        "НОВА В {city}!! | Току-що пристигнах в {city}, само {days} дни | Млада, за първи път тук "
        "| На разположение денонощно, всички услуги | Само тази седмица в {city}",
    ),
    role("?about", "{age} години, слаба и естествена | На {age} съм, нежна и дискретна | Реални снимки, {age} г."),
    role("?services", "Релаксиращ масаж и още | Приятелско отношение, без бързане | Вечери и цели нощи"),
    role("place", "Приемам в центъра на {city} | Частен апартамент до гарата на {city} | Хотел {hotel} {city}"),
    role("price", "{price}€ 30 мин / {price2}€ час | 1 час {price2} евро | Цени по телефона | От {price}€"),
    role("contact", "Обади се или Viber {contact} | Контакт: {contact} | 📞 {contact} | Записване на {contact}"),
)
DE: Bank = (
    role(
        "open",
        "{name} {age} | 💋 {name} 💋 | Süße {nat} {name} | Hallo Männer, ich bin {name} | {name} - {age}J - {city}",
    ),
    role(
        "!hook",
        "NEU IN {city}!! | Gerade angekommen in {city}, nur {days} Tage | Jung und frisch, zum ersten Mal hier "
        "| Rund um die Uhr, alle Services | Nur diese Woche in {city}!",
    ),
    role("?about", "{age} Jahre, schlank und natürlich | Ich bin {age}, lieb und diskret | Echte Fotos, {age} Jahre"),
    role("?services", "GFE, Massage, Entspannung | Erotische Massage und mehr | Ohne Zeitdruck"),
    role(
        "place",
        "Besuchbar in {city} Zentrum | Privatwohnung nahe Bahnhof {city} | Hotel {hotel} {city} "
        "| Haus- und Hotelbesuche {city}",
    ),
    role("price", "{price}€ 30min / {price2}€ 1Std | 1 Std {price2} Euro | Preise am Telefon | Ab {price}€"),
    role("contact", "Ruf an oder WhatsApp {contact} | Kontakt: {contact} | 📞 {contact} | Termine unter {contact}"),
)

ESCORT_BANKS: dict[tuple[str, str], Bank] = {
    ("escort", "en"): EN,
    ("escort", "nl"): NL,
    ("escort", "fr"): FR,
    ("escort", "es"): ES,
    ("escort", "ro"): RO,
    ("escort", "bg"): BG,
    ("escort", "de"): DE,
}
