"""Smuggling offers in the style of Facebook groups and Telegram channels (Channel coast, E40)."""

from __future__ import annotations

from unveil_synth.phrases.words import Bank, role

EN: Bank = (
    role(
        "open",
        "🇬🇧 Trips to UK from {dep} 🇬🇧 | ✅ {dest} every week from {dep} | Going to {dest}? We have places "
        "| 🚤 New trip {dest} this week | Safe way to {dest} from {dep} | Family trips to {dest}, kids ok",
    ),
    role(
        "!transport",
        "by boat, small groups, life jackets included | in truck with driver, hidden place "
        "| by taxi car to {dep} then boat | lorry from Zeebrugge parking, 100% sure | VIP car with papers "
        "| by train with documents",
    ),
    role(
        "price",
        "{price_pp}€ per person | price {price_pp} euro for adult, children half | {price_pp} € one person "
        "| from {price_pp}€ pp | only {price_pp}€, group discount",
    ),
    role(
        "!payment",
        "payment on arrival | you pay after you arrive, money stays with the office "
        "| guarantee through the office, pay when you reach | deposit 500, rest on arrival "
        "| pay by hawala when you arrive",
    ),
    role(
        "?extra",
        "3 tries guaranteed | places limited | departure {date} | we take families and single "
        "| no risk, experienced driver | also documents and hotel",
    ),
    role(
        "contact",
        "WhatsApp {contact} | contact on Telegram {contact} | Viber/WhatsApp {contact} "
        "| write me {contact} | inbox or {contact}",
    ),
)
FR: Bank = (
    role(
        "open",
        "🇬🇧 Passages vers l'Angleterre depuis {dep} | ✅ {dest} chaque semaine depuis {dep} "
        "| Vous voulez aller en {dest} ? Il reste des places | 🚤 Nouveau départ {dest} cette semaine",
    ),
    role(
        "!transport",
        "en bateau, petits groupes, gilets fournis | en camion avec chauffeur, cachette sûre "
        "| en voiture jusqu'à {dep} puis bateau | camion depuis le parking de Zeebrugge, 100% sûr "
        "| en train avec papiers",
    ),
    role(
        "price",
        "{price_pp}€ par personne | prix {price_pp} euros adulte, enfants moitié | {price_pp} € la personne "
        "| à partir de {price_pp}€",
    ),
    role(
        "!payment",
        "paiement à l'arrivée | vous payez une fois arrivés, l'argent reste au bureau "
        "| garantie par le bureau | acompte 500, le reste à l'arrivée",
    ),
    role(
        "?extra",
        "3 essais garantis | places limitées | départ le {date} | familles acceptées "
        "| chauffeur expérimenté, sans risque",
    ),
    role(
        "contact", "WhatsApp {contact} | contact Telegram {contact} | Viber/WhatsApp {contact} | écrivez au {contact}"
    ),
)
AR: Bank = (
    role(
        "open",
        "🇬🇧 رحلات إلى بريطانيا من {dep} | ✅ رحلة إلى {dest} كل أسبوع من {dep} | تريد الذهاب إلى {dest}؟ لدينا أماكن "
        "| 🚤 رحلة جديدة إلى {dest} هذا الأسبوع | طريق آمن إلى {dest}",
    ),
    role(
        "!transport",
        "بالبلم، مجموعات صغيرة، سترات نجاة | بالشاحنة مع سائق، مكان مخفي | بالسيارة إلى {dep} ثم القارب "
        "| شاحنة من موقف زيبروغ، مضمون ١٠٠٪ | بالقطار مع أوراق",
    ),
    role("price", "{price_pp} يورو للشخص | السعر {price_pp} يورو للكبير والأطفال نصف السعر | {price_pp}€ للشخص الواحد"),
    role(
        "!payment",
        "الدفع عند الوصول | الدفع بعد الوصول، المبلغ يبقى عند المكتب | ضمان عن طريق المكتب "
        "| عربون ٥٠٠ والباقي عند الوصول | الدفع بالحوالة عند الوصول",
    ),
    role("?extra", "٣ محاولات مضمونة | الأماكن محدودة | الانطلاق يوم {date} | نقبل العائلات | سائق خبير"),
    role("contact", "واتساب {contact} | تواصل تلغرام {contact} | فايبر/واتساب {contact} | راسلني {contact}"),
)
FA: Bank = (
    role("open", "🇬🇧 سفر به انگلیس از {dep} | ✅ هر هفته {dest} از {dep} | می‌خواهید به {dest} بروید؟ جا داریم"),
    role("!transport", "با قایق، گروه کوچک، جلیقه نجات | با کامیون و راننده | با ماشین تا {dep} بعد قایق"),
    role("price", "{price_pp} یورو برای هر نفر | قیمت {price_pp} یورو، بچه‌ها نصف"),
    role("!payment", "پرداخت بعد از رسیدن | پول نزد دفتر می‌ماند | ضمانت از طریق دفتر"),
    role("?extra", "سه بار تضمینی | جا محدود است | حرکت {date}"),
    role("contact", "واتساپ {contact} | تلگرام {contact} | وایبر {contact}"),
)

SMUGGLING_BANKS: dict[tuple[str, str], Bank] = {
    ("smuggling", "en"): EN,
    ("smuggling", "fr"): FR,
    ("smuggling", "ar"): AR,
    ("smuggling", "fa"): FA,
}
