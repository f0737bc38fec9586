"""Benign look-alikes: massage salons, dating, migration information, travel agencies, real jobs, students."""

from __future__ import annotations

from unveil_synth.phrases.words import Bank, role

MASSAGE: dict[str, Bank] = {
    "en": (
        role("open", "{salon} massage {city} | Welcome to {salon} | Traditional Thai massage in {city}"),
        role("!hook", "new young masseuses every week | open late, 7/7 | all nationalities, new staff"),
        role(
            "about",
            "Certified therapists, hot stone, aromatherapy | Sports and relaxing massage "
            "| Foot reflexology and oil massage | Couple massage possible",
        ),
        role("price", "60 min {price2}€, 90 min {price3}€ | 30 min {price}€ | Gift vouchers available"),
        role("contact", "Open Mon-Sat 10:00-20:00. Book: {contact} | Reservations {contact} | Tel {contact}"),
    ),
    "nl": (
        role("open", "{salon} massage {city} | Welkom bij {salon} | Traditionele Thaise massage in {city}"),
        role("!hook", "elke week nieuwe jonge masseuses | 7/7 open tot laat | alle nationaliteiten"),
        role(
            "about",
            "Gediplomeerde therapeuten, hotstone, aromatherapie | Sport- en ontspanningsmassage "
            "| Voetreflexologie en oliemassage",
        ),
        role("price", "60 min {price2}€, 90 min {price3}€ | 30 min {price}€ | Cadeaubonnen verkrijgbaar"),
        role("contact", "Open ma-za 10-20u. Reserveren: {contact} | Afspraak {contact} | Tel {contact}"),
    ),
    "fr": (
        role("open", "{salon} massage {city} | Bienvenue chez {salon} | Massage thaï traditionnel à {city}"),
        role("!hook", "nouvelles jeunes masseuses chaque semaine | ouvert tard 7j/7 | toutes nationalités"),
        role(
            "about",
            "Thérapeutes diplômées, pierres chaudes, aromathérapie | Massage sportif et relaxant "
            "| Réflexologie plantaire et massage à l'huile",
        ),
        role("price", "60 min {price2}€, 90 min {price3}€ | 30 min {price}€ | Bons cadeaux disponibles"),
        role("contact", "Ouvert lun-sam 10h-20h. Réservation : {contact} | Rdv {contact} | Tél {contact}"),
    ),
    "de": (
        role("open", "{salon} Massage {city} | Willkommen im {salon} | Traditionelle Thai-Massage in {city}"),
        role("!hook", "jede Woche neue junge Masseurinnen | 7 Tage geöffnet bis spät"),
        role("about", "Zertifizierte Therapeutinnen, Hot Stone | Sport- und Entspannungsmassage"),
        role("price", "60 Min {price2}€, 90 Min {price3}€ | 30 Min {price}€"),
        role("contact", "Mo-Sa 10-20 Uhr. Termine: {contact} | Tel {contact}"),
    ),
}
DATING: dict[str, Bank] = {
    "en": (
        role("open", "Hi, I'm {name}, {age} | {name} ({age}) from {city} | Hello there 👋 {name} here"),
        role("!hook", "new in town, looking for someone to show me around | lonely, available any time"),
        role("about", "I love hiking, cooking and bad movies | looking for something serious | coffee first?"),
        role("contact", "add me on snap {contact} | message me here | my insta {contact}"),
    ),
    "nl": (
        role("open", "Hoi, ik ben {name}, {age} | {name} ({age}) uit {city}"),
        role("!hook", "nieuw in de stad, wie toont me de leuke plekjes? | alleen en altijd vrij"),
        role("about", "Ik hou van wandelen, koken en slechte films | op zoek naar iets serieus | eerst een koffie?"),
        role("contact", "voeg me toe op snap {contact} | stuur me hier een bericht"),
    ),
    "fr": (
        role("open", "Salut, moi c'est {name}, {age} ans | {name} ({age}) de {city}"),
        role("!hook", "nouvelle en ville, qui me fait visiter ? | seule et dispo tout le temps"),
        role("about", "J'aime la rando, la cuisine et les films nuls | je cherche du sérieux | un café d'abord ?"),
        role("contact", "ajoute-moi sur snap {contact} | écris-moi ici"),
    ),
    "es": (
        role("open", "Hola, soy {name}, {age} | {name} ({age}) de {city}"),
        role("!hook", "nueva en la ciudad, ¿quién me enseña {city}?"),
        role("about", "Me encanta bailar y cocinar | busco algo serio | ¿un café primero?"),
        role("contact", "agrégame en insta {contact} | escríbeme aquí"),
    ),
    "ro": (
        role("open", "Bună, sunt {name}, {age} ani | {name} ({age}) din {city}"),
        role("!hook", "nouă în oraș, cine îmi arată {city}?"),
        role("about", "Îmi place să gătesc și să călătoresc | caut ceva serios | o cafea întâi?"),
        role("contact", "adaugă-mă pe insta {contact} | scrie-mi aici"),
    ),
}
MIGRATION_INFO: dict[str, Bank] = {
    "en": (
        role(
            "open",
            "ℹ️ Information for people in {dep} | Important update for people on the move "
            "| Warning from volunteers in {dep}",
        ),
        role(
            "!hook",
            "boats leaving {dep} are very dangerous, prices of {price_pp}€ per person are a scam "
            "| do not pay on arrival to anyone, it is a trap | trucks from Zeebrugge: people died this year",
        ),
        role(
            "about",
            "Free food distribution every day at 12:00 | Asylum in Belgium: register at the "
            "arrival centre in Brussels | Free legal advice on Tuesday | Medical help without papers",
        ),
        role("contact", "Helpline {contact} | Ask the volunteers, number {contact} | Info: {contact}"),
    ),
    "fr": (
        role("open", "ℹ️ Informations pour les personnes à {dep} | Mise à jour importante pour les exilés"),
        role(
            "!hook",
            "les bateaux depuis {dep} sont très dangereux, {price_pp}€ par personne c'est une arnaque "
            "| ne payez personne à l'arrivée, c'est un piège",
        ),
        role(
            "about",
            "Distribution de repas tous les jours à 12h | Demande d'asile en Belgique : centre "
            "d'arrivée à Bruxelles | Permanence juridique gratuite le mardi",
        ),
        role("contact", "Ligne d'aide {contact} | Infos : {contact}"),
    ),
    "ar": (
        role("open", "ℹ️ معلومات للأشخاص في {dep} | تحديث مهم للمهاجرين | تحذير من المتطوعين في {dep}"),
        role("!hook", "القوارب من {dep} خطيرة جداً، سعر {price_pp} يورو للشخص احتيال | لا تدفع لأحد عند الوصول"),
        role(
            "about",
            "توزيع طعام مجاني كل يوم الساعة ١٢ | اللجوء في بلجيكا: التسجيل في مركز الوصول في بروكسل "
            "| استشارة قانونية مجانية يوم الثلاثاء",
        ),
        role("contact", "خط المساعدة {contact} | للمعلومات {contact}"),
    ),
    "fa": (
        role("open", "ℹ️ اطلاعات برای افراد در {dep} | هشدار داوطلبان"),
        role("!hook", "قایق‌ها از {dep} بسیار خطرناک است، {price_pp} یورو کلاهبرداری است"),
        role("about", "توزیع غذای رایگان هر روز ساعت ۱۲ | مشاوره حقوقی رایگان سه‌شنبه"),
        role("contact", "خط کمک {contact}"),
    ),
}
TRAVEL: dict[str, Bank] = {
    "en": (
        role("open", "Bus Brussels - {origin} every Friday | Cheap tickets to {origin} | Minibus {city} - {origin}"),
        role("!hook", "door to door, {price_pp}€ per person, pay the driver | we also carry parcels and money"),
        role("about", "Licensed operator, comfortable seats, wifi | Departure {date} from {city} North station"),
        role("contact", "Bookings {contact} | Viber/WhatsApp {contact}"),
    ),
    "fr": (
        role("open", "Bus Bruxelles - {origin} chaque vendredi | Billets pas chers pour {origin}"),
        role("!hook", "porte à porte, {price_pp}€ par personne, paiement au chauffeur | colis et argent acceptés"),
        role("about", "Agence agréée, sièges confortables, wifi | Départ le {date} de {city} gare du Nord"),
        role("contact", "Réservations {contact} | Viber/WhatsApp {contact}"),
    ),
    "nl": (
        role("open", "Bus Brussel - {origin} elke vrijdag | Goedkope tickets naar {origin}"),
        role("!hook", "van deur tot deur, {price_pp}€ per persoon, betalen aan de chauffeur"),
        role("about", "Erkend reisbureau, comfortabele zetels, wifi | Vertrek {date} vanuit {city}"),
        role("contact", "Reservaties {contact} | Viber/WhatsApp {contact}"),
    ),
    "ro": (
        role("open", "Transport persoane Belgia - {origin} | Microbuz {city} - {origin} săptămânal"),
        role("!hook", "de la ușă la ușă, {price_pp}€ de persoană, plata la șofer | transportăm și colete"),
        role("about", "Firmă autorizată, plecare {date} din {city} | Locuri confortabile, aer condiționat"),
        role("contact", "Rezervări {contact} | WhatsApp {contact}"),
    ),
    "bg": (
        role("open", "Превоз Белгия - {origin} всеки петък | Микробус {city} - {origin}"),
        role("!hook", "от врата до врата, {price_pp}€ на човек, плащане на шофьора | пренасяме и пратки"),
        role("about", "Лицензиран превозвач, тръгване {date} от {city}"),
        role("contact", "Резервации {contact} | Viber {contact}"),
    ),
    "ar": (
        role("open", "رحلات بروكسل - {origin} كل جمعة | تذاكر رخيصة إلى {origin}"),
        role("!hook", "من الباب إلى الباب، {price_pp} يورو للشخص، الدفع للسائق"),
        role("about", "وكالة مرخصة، الانطلاق يوم {date} من {city}"),
        role("contact", "للحجز {contact} | واتساب {contact}"),
    ),
}
JOB: dict[str, Bank] = {
    "en": (
        role("open", "Vacancy: {job} (m/f/x) in {city} | {company} hires {job} | Job offer {city}: {job}"),
        role("!hook", "accommodation can be arranged, travel costs reimbursed | no experience needed, training given"),
        role(
            "about",
            "Employment contract via agency, joint committee 124 | 38 hours/week, meal vouchers "
            "| Gross {wage}€/h + mobility allowance | Permanent contract after 6 months",
        ),
        role("contact", "Apply with CV at {contact} | Info and applications: {contact}"),
    ),
    "nl": (
        role("open", "Vacature: {job} (m/v/x) in {city} | {company} zoekt {job} | Jobaanbieding {city}: {job}"),
        role("!hook", "huisvesting mogelijk, reiskosten terugbetaald | geen ervaring nodig, opleiding voorzien"),
        role(
            "about",
            "Contract via interimkantoor, PC 124 | 38 uur/week, maaltijdcheques | Bruto {wage}€/u "
            "+ mobiliteitsvergoeding | Vast contract na 6 maanden",
        ),
        role("contact", "Solliciteer met cv via {contact} | Info: {contact}"),
    ),
    "fr": (
        role("open", "Offre d'emploi : {job} (h/f/x) à {city} | {company} engage des {job}"),
        role("!hook", "logement possible, frais de voyage remboursés | sans expérience, formation assurée"),
        role(
            "about",
            "Contrat via agence intérim, CP 124 | 38 h/semaine, chèques-repas | Brut {wage}€/h | CDI après 6 mois",
        ),
        role("contact", "Postulez avec CV à {contact} | Infos : {contact}"),
    ),
    "ro": (
        role("open", "Ofertă de muncă legală: {job} în {city} | {company} angajează {job} cu contract"),
        role("!hook", "cazare asigurată contra cost, transport decontat | fără experiență, oferim instruire"),
        role("about", "Contract de muncă belgian, asigurare medicală | 38 ore pe săptămână, {wage}€ brut pe oră"),
        role("contact", "Trimiteți CV la {contact} | Informații: {contact}"),
    ),
    "pl": (
        role("open", "Oferta pracy: {job} w {city} | {company} zatrudni {job} na umowę"),
        role("!hook", "zakwaterowanie możliwe, zwrot kosztów podróży | bez doświadczenia, szkolenie"),
        role("about", "Umowa belgijska przez agencję, 38 godzin tygodniowo | {wage}€ brutto na godzinę"),
        role("contact", "CV na {contact} | Informacje: {contact}"),
    ),
}
STUDENT: dict[str, Bank] = {
    "en": (
        role("open", "Study in Belgium! | Student jobs in {city} | Erasmus and exchange help desk {city}"),
        role("!hook", "we arrange visa, travel and housing, pay later from your student job"),
        role(
            "about",
            "Bachelor and master programmes in English | Student job up to 650 hours a year "
            "| Flexible hours, weekend shifts in retail",
        ),
        role("contact", "Free consultation {contact} | More info {contact}"),
    ),
    "nl": (
        role("open", "Studentenjob in {city}! | Studeren in België | Jobstudenten gezocht {city}"),
        role("!hook", "wij regelen visum, reis en kot, terugbetalen via je studentenjob"),
        role("about", "Tot 650 uur per jaar aan verminderde bijdragen | Flexibele uren, weekendwerk in de retail"),
        role("contact", "Meer info {contact} | Solliciteer via {contact}"),
    ),
    "fr": (
        role("open", "Job étudiant à {city} ! | Étudier en Belgique | Étudiants recherchés à {city}"),
        role("!hook", "nous organisons visa, voyage et logement, remboursement via votre job étudiant"),
        role("about", "Jusqu'à 650 heures par an | Horaires flexibles, week-ends en magasin"),
        role("contact", "Plus d'infos {contact} | Postulez via {contact}"),
    ),
}

BENIGN_BANKS: dict[tuple[str, str], Bank] = {
    **{("massage", lang): bank for lang, bank in MASSAGE.items()},
    **{("dating", lang): bank for lang, bank in DATING.items()},
    **{("migration_info", lang): bank for lang, bank in MIGRATION_INFO.items()},
    **{("travel", lang): bank for lang, bank in TRAVEL.items()},
    **{("job", lang): bank for lang, bank in JOB.items()},
    **{("student", lang): bank for lang, bank in STUDENT.items()},
}
