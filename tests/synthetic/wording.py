# ruff: noqa: E501  (phrase tables: one language per line reads better than wrapped strings)
"""The generator's own words, per language: ads, profiles, job offers, indicators, chat lines.

Written for these tests in eight languages (en, de, nl, pl, ro, es, fr, it). Slots: {name} {age}
{city} {price} {fee} {salary} {job} {company} {item} {hobby}. Indicator phrases are grouped by
the code a reader would give them; `benign` are innocent sentences that share words with an
indicator (a young team, crypto accepted, new in town, passport, fees) and must not make a page
suspect.
"""

from __future__ import annotations

LANGUAGES = ("en", "de", "nl", "pl", "ro", "es", "fr", "it")

COUNTRY_OF = {"en": "GB", "de": "DE", "nl": "NL", "pl": "PL", "ro": "RO", "es": "ES", "fr": "FR", "it": "IT"}

CITIES = {
    "GB": ["Leeds", "Bristol", "Glasgow", "Cardiff"],
    "DE": ["Leipzig", "Dortmund", "Bremen", "Nürnberg"],
    "NL": ["Utrecht", "Eindhoven", "Groningen", "Tilburg"],
    "PL": ["Gdańsk", "Poznań", "Wrocław", "Łódź"],
    "RO": ["Cluj-Napoca", "Iași", "Timișoara", "Constanța"],
    "ES": ["Valencia", "Bilbao", "Zaragoza", "Alicante"],
    "FR": ["Lille", "Nantes", "Bordeaux", "Toulouse"],
    "IT": ["Torino", "Bologna", "Napoli", "Verona"],
}

NAMES = ["Alina", "Bianca", "Carla", "Daria", "Elena", "Flavia", "Greta", "Hanna", "Irene", "Jana",
         "Klara", "Lidia", "Marta", "Nadia", "Oana", "Paula", "Romy", "Sanne", "Tessa", "Vera",
         "Wanda", "Yara", "Zoe", "Noemi"]  # fmt: skip

HOBBIES = {
    "en": ["hiking", "baking bread", "jazz", "board games", "sailing", "yoga", "old films", "cycling",
           "photography", "gardening", "chess", "travelling"],
    "de": ["Wandern", "Brotbacken", "Jazz", "Brettspiele", "Segeln", "Yoga", "alte Filme", "Radfahren",
           "Fotografie", "Gärtnern", "Schach", "Reisen"],
    "nl": ["wandelen", "brood bakken", "jazz", "bordspellen", "zeilen", "yoga", "oude films", "fietsen",
           "fotografie", "tuinieren", "schaken", "reizen"],
    "pl": ["góry", "pieczenie chleba", "jazz", "planszówki", "żeglarstwo", "joga", "stare filmy", "rower",
           "fotografia", "ogród", "szachy", "podróże"],
    "ro": ["drumeții", "gătit", "jazz", "jocuri de societate", "navigație", "yoga", "filme vechi",
           "ciclism", "fotografie", "grădinărit", "șah", "călătorii"],
    "es": ["senderismo", "hacer pan", "jazz", "juegos de mesa", "vela", "yoga", "cine clásico",
           "bicicleta", "fotografía", "jardinería", "ajedrez", "viajar"],
    "fr": ["la randonnée", "faire du pain", "le jazz", "les jeux de société", "la voile", "le yoga",
           "les vieux films", "le vélo", "la photo", "le jardinage", "les échecs", "les voyages"],
    "it": ["escursionismo", "fare il pane", "jazz", "giochi da tavolo", "vela", "yoga", "film d'epoca",
           "bicicletta", "fotografia", "giardinaggio", "scacchi", "viaggiare"],
}  # fmt: skip

JOBS = {
    "en": ["warehouse operatives", "fruit pickers", "meat packers", "cleaners", "care assistants"],
    "de": ["Lagerhelfer", "Erntehelfer", "Fleischzerleger", "Reinigungskräfte", "Pflegehelfer"],
    "nl": ["orderpickers", "tuinbouwmedewerkers", "vleesverwerkers", "schoonmakers", "zorghulpen"],
    "pl": ["pracownicy magazynu", "zbieracze owoców", "pakowacze mięsa", "sprzątacze", "opiekunki"],
    "ro": ["lucrători depozit", "culegători de fructe", "ambalatori carne", "personal curățenie",
           "îngrijitoare"],
    "es": ["mozos de almacén", "recolectores de fruta", "envasadores de carne", "limpiadores",
           "cuidadoras"],
    "fr": ["préparateurs de commandes", "cueilleurs", "ouvriers en abattoir", "agents d'entretien",
           "aides-soignantes"],
    "it": ["magazzinieri", "raccoglitori di frutta", "addetti alla carne", "addetti pulizie", "badanti"],
}  # fmt: skip

ITEMS = {
    "en": ["a child's bicycle", "an oak dining table", "a used road bike", "a pram", "a sofa bed"],
    "de": ["ein Kinderfahrrad", "einen Esstisch aus Eiche", "ein gebrauchtes Rennrad", "einen Kinderwagen",
           "ein Schlafsofa"],
    "nl": ["een kinderfiets", "een eiken eettafel", "een gebruikte racefiets", "een kinderwagen",
           "een slaapbank"],
    "pl": ["rowerek dziecięcy", "dębowy stół", "używany rower szosowy", "wózek dziecięcy", "sofę z funkcją spania"],
    "ro": ["o bicicletă de copii", "o masă de stejar", "o cursieră folosită", "un cărucior", "o canapea extensibilă"],
    "es": ["una bici infantil", "una mesa de roble", "una bici de carretera usada", "un carrito de bebé",
           "un sofá cama"],
    "fr": ["un vélo enfant", "une table en chêne", "un vélo de route d'occasion", "une poussette",
           "un canapé-lit"],
    "it": ["una bici da bambino", "un tavolo in rovere", "una bici da corsa usata", "un passeggino",
           "un divano letto"],
}  # fmt: skip

# An escort ad's opening and closing (a network chooses one pair and keeps it).
ESCORT = {
    "en": [("Hello gentlemen, I am {name}, {age}, an elegant companion for your evenings in {city}.",
            "Dinner dates, long walks and quiet nights. {price} GBP per hour."),
           ("Sweet {name} ({age}) welcomes you in a discreet flat in central {city}.",
            "Relaxing massage and good company, {price} GBP for the hour, {price2} GBP for two.")],
    "de": [("Hallo, ich bin {name}, {age} Jahre, charmante Begleitung für deine Abende in {city}.",
            "Gemeinsames Essen, Spaziergänge und entspannte Stunden. {price} € pro Stunde."),
           ("Die süße {name} ({age}) empfängt dich diskret in {city}-Mitte.",
            "Entspannende Massage und nette Gesellschaft, {price} € die Stunde, {price2} € für zwei.")],
    "nl": [("Hoi, ik ben {name}, {age} jaar, een stijlvol gezelschap voor je avond in {city}.",
            "Samen uit eten, wandelen of gezellig thuis. {price} euro per uur."),
           ("Lieve {name} ({age}) ontvangt je discreet in het centrum van {city}.",
            "Ontspannende massage en fijn gezelschap, {price} euro per uur, {price2} voor twee uur.")],
    "pl": [("Cześć, jestem {name}, mam {age} lat, elegancka towarzyszka na wieczory w {city}.",
            "Kolacje, spacery i spokojne noce. {price} zł za godzinę."),
           ("Słodka {name} ({age}) zaprasza dyskretnie do mieszkania w centrum {city}.",
            "Relaksujący masaż i miłe towarzystwo, {price} zł za godzinę, {price2} zł za dwie.")],
    "ro": [("Bună, sunt {name}, am {age} ani, o companie elegantă pentru serile tale în {city}.",
            "Cine romantice, plimbări și nopți liniștite. {price} lei pe oră."),
           ("Dulcea {name} ({age}) te așteaptă discret în centrul orașului {city}.",
            "Masaj relaxant și companie plăcută, {price} lei ora, {price2} lei pentru două ore.")],
    "es": [("Hola, soy {name}, tengo {age} años, una acompañante elegante para tus noches en {city}.",
            "Cenas, paseos y veladas tranquilas. {price} € la hora."),
           ("La dulce {name} ({age}) te recibe con discreción en el centro de {city}.",
            "Masaje relajante y buena compañía, {price} € la hora, {price2} € dos horas.")],
    "fr": [("Bonjour, je suis {name}, {age} ans, une accompagnatrice élégante pour vos soirées à {city}.",
            "Dîners, promenades et nuits calmes. {price} € l'heure."),
           ("La douce {name} ({age}) vous reçoit discrètement au centre de {city}.",
            "Massage relaxant et agréable compagnie, {price} € l'heure, {price2} € les deux heures.")],
    "it": [("Ciao, sono {name}, ho {age} anni, un'accompagnatrice elegante per le tue serate a {city}.",
            "Cene, passeggiate e notti tranquille. {price} € all'ora."),
           ("La dolce {name} ({age}) ti riceve con discrezione in centro a {city}.",
            "Massaggio rilassante e buona compagnia, {price} € l'ora, {price2} € per due ore.")],
}  # fmt: skip

LABOUR = {
    "en": ("{job} wanted immediately for sites near {city}.", "Pay {salary} GBP a month, start next week."),
    "de": ("Wir suchen sofort {job} für Betriebe bei {city}.", "Lohn {salary} € im Monat, Beginn nächste Woche."),
    "nl": ("Per direct gezocht: {job} voor bedrijven rond {city}.", "Loon {salary} euro per maand, start volgende week."),
    "pl": ("Pilnie poszukujemy: {job} do zakładów koło {city}.", "Wynagrodzenie {salary} € miesięcznie, start od przyszłego tygodnia."),
    "ro": ("Căutăm urgent {job} pentru firme din zona {city}.", "Salariu {salary} € pe lună, începem săptămâna viitoare."),
    "es": ("Se buscan {job} urgentemente para empresas cerca de {city}.", "Sueldo {salary} € al mes, incorporación la semana que viene."),
    "fr": ("Recherche urgente : {job} pour des sites autour de {city}.", "Salaire {salary} € par mois, début la semaine prochaine."),
    "it": ("Cerchiamo subito {job} per aziende vicino a {city}.", "Paga {salary} € al mese, si parte la prossima settimana."),
}  # fmt: skip

# Benign pages: several sentence pools each, so two pages are never copies of each other.
DATING = {
    "en": ["I am {name}, {age}, living in {city}.", "My weekends are for {hobby} and {hobby2}.",
           "Looking for someone kind who laughs easily.", "Not into games, let's meet for coffee first.",
           "Friends say I am a good listener.", "I work as a nurse and love my job."],
    "de": ["Ich bin {name}, {age}, und wohne in {city}.", "Am Wochenende: {hobby} und {hobby2}.",
           "Ich suche jemanden mit Herz und Humor.", "Lass uns zuerst auf einen Kaffee treffen.",
           "Meine Freunde sagen, ich kann gut zuhören.", "Ich arbeite als Lehrerin und liebe meinen Beruf."],
    "nl": ["Ik ben {name}, {age}, en woon in {city}.", "In het weekend: {hobby} en {hobby2}.",
           "Op zoek naar iemand die lief is en graag lacht.", "Eerst samen koffie drinken, dan zien we verder.",
           "Vrienden noemen me een goede luisteraar.", "Ik werk in de zorg en doe dat met plezier."],
    "pl": ["Jestem {name}, mam {age} lat, mieszkam w {city}.", "W weekendy: {hobby} i {hobby2}.",
           "Szukam kogoś życzliwego z poczuciem humoru.", "Najpierw kawa, potem zobaczymy.",
           "Przyjaciele mówią, że umiem słuchać.", "Pracuję jako księgowa."],
    "ro": ["Sunt {name}, am {age} ani și locuiesc în {city}.", "În weekend: {hobby} și {hobby2}.",
           "Caut pe cineva blând, care râde ușor.", "Întâi o cafea, apoi vedem.",
           "Prietenii spun că știu să ascult.", "Lucrez ca asistentă medicală."],
    "es": ["Soy {name}, tengo {age} años y vivo en {city}.", "Los fines de semana: {hobby} y {hobby2}.",
           "Busco a alguien amable que se ría fácil.", "Primero un café y luego ya veremos.",
           "Mis amigos dicen que sé escuchar.", "Trabajo como enfermera."],
    "fr": ["Je suis {name}, {age} ans, j'habite à {city}.", "Le week-end : {hobby} et {hobby2}.",
           "Je cherche quelqu'un de gentil qui rit facilement.", "D'abord un café, ensuite on verra.",
           "Mes amis disent que je sais écouter.", "Je suis infirmière."],
    "it": ["Sono {name}, ho {age} anni e vivo a {city}.", "Nel fine settimana: {hobby} e {hobby2}.",
           "Cerco una persona gentile che rida facilmente.", "Prima un caffè, poi vediamo.",
           "Gli amici dicono che so ascoltare.", "Lavoro come infermiera."],
}  # fmt: skip

JOB = {
    "en": ["{company} is hiring {job} in {city}.", "Permanent contract, {salary} GBP gross a month, 38 hours a week.",
           "Send your CV through the form below.", "Paid holidays and a pension scheme."],
    "de": ["{company} stellt {job} in {city} ein.", "Unbefristeter Vertrag, {salary} € brutto im Monat, 38 Stunden pro Woche.",
           "Bewerbung mit Lebenslauf über das Formular.", "Bezahlter Urlaub und Betriebsrente."],
    "nl": ["{company} zoekt {job} in {city}.", "Vast contract, {salary} euro bruto per maand, 38 uur per week.",
           "Solliciteer met je cv via het formulier.", "Vakantiegeld en pensioenregeling."],
    "pl": ["{company} zatrudni: {job}, {city}.", "Umowa o pracę, {salary} zł brutto miesięcznie, 40 godzin tygodniowo.",
           "CV prosimy przesłać przez formularz.", "Płatny urlop i prywatna opieka medyczna."],
    "ro": ["{company} angajează {job} în {city}.", "Contract pe perioadă nedeterminată, {salary} lei brut pe lună.",
           "Trimite CV-ul prin formularul de mai jos.", "Concediu plătit și tichete de masă."],
    "es": ["{company} contrata {job} en {city}.", "Contrato indefinido, {salary} € brutos al mes, 38 horas semanales.",
           "Envía tu CV con el formulario.", "Vacaciones pagadas y plan de pensiones."],
    "fr": ["{company} recrute des {job} à {city}.", "CDI, {salary} € brut par mois, 35 heures par semaine.",
           "Envoyez votre CV via le formulaire.", "Congés payés et mutuelle."],
    "it": ["{company} assume {job} a {city}.", "Contratto a tempo indeterminato, {salary} € lordi al mese.",
           "Invia il tuo CV tramite il modulo.", "Ferie pagate e fondo pensione."],
}  # fmt: skip

# What a vacancy adds about the work: each page picks two, so two vacancies are never copies.
JOB_EXTRA = {
    "en": ["Early shifts from 6 am, weekends off.", "A forklift licence is an advantage.", "You will join a team of twelve in our new depot.",
           "Training on the job in the first two weeks.", "Free parking and a canteen on site.", "Overtime is paid at time and a half."],
    "de": ["Frühschicht ab 6 Uhr, Wochenenden frei.", "Ein Staplerschein ist von Vorteil.", "Sie arbeiten in einem Team von zwölf Kollegen im neuen Lager.",
           "Einarbeitung in den ersten zwei Wochen.", "Kostenlose Parkplätze und Kantine vor Ort.", "Überstunden werden mit Zuschlag bezahlt."],
    "nl": ["Vroege dienst vanaf 6 uur, weekenden vrij.", "Een heftruckcertificaat is een pré.", "Je komt in een team van twaalf collega's in ons nieuwe magazijn.",
           "De eerste twee weken word je ingewerkt.", "Gratis parkeren en een kantine op het terrein.", "Overuren worden extra betaald."],
    "pl": ["Poranna zmiana od 6:00, wolne weekendy.", "Uprawnienia na wózek widłowy będą atutem.", "Dołączysz do dwunastoosobowego zespołu w nowym magazynie.",
           "Szkolenie stanowiskowe przez pierwsze dwa tygodnie.", "Bezpłatny parking i stołówka na miejscu.", "Nadgodziny płatne dodatkowo."],
    "ro": ["Tura de dimineață de la ora 6, weekendurile libere.", "Permisul de stivuitorist este un avantaj.", "Vei lucra într-o echipă de doisprezece oameni în noul depozit.",
           "Instruire la locul de muncă în primele două săptămâni.", "Parcare gratuită și cantină.", "Orele suplimentare se plătesc separat."],
    "es": ["Turno de mañana desde las 6, fines de semana libres.", "Se valorará el carné de carretillero.", "Te unirás a un equipo de doce personas en el nuevo almacén.",
           "Formación en el puesto las dos primeras semanas.", "Aparcamiento gratuito y comedor en el centro.", "Las horas extra se pagan aparte."],
    "fr": ["Poste du matin dès 6 h, week-ends libres.", "Le CACES est un plus.", "Vous rejoindrez une équipe de douze personnes dans notre nouvel entrepôt.",
           "Formation sur le poste pendant les deux premières semaines.", "Parking gratuit et cantine sur place.", "Heures supplémentaires majorées."],
    "it": ["Turno del mattino dalle 6, weekend liberi.", "Il patentino del muletto è un vantaggio.", "Entrerai in una squadra di dodici persone nel nuovo magazzino.",
           "Formazione sul posto nelle prime due settimane.", "Parcheggio gratuito e mensa interna.", "Gli straordinari sono pagati a parte."],
}  # fmt: skip

MARKET = {
    "en": ["Selling {item}, good condition, {price} GBP.", "Collection in {city} only.", "Smoke-free home."],
    "de": ["Verkaufe {item}, guter Zustand, {price} €.", "Nur Abholung in {city}.", "Nichtraucherhaushalt."],
    "nl": ["Te koop: {item}, goede staat, {price} euro.", "Ophalen in {city}.", "Rookvrij huis."],
    "pl": ["Sprzedam {item}, stan dobry, {price} zł.", "Odbiór osobisty w {city}.", "Dom bez palaczy."],
    "ro": ["Vând {item}, stare bună, {price} lei.", "Ridicare personală din {city}.", "Casă de nefumători."],
    "es": ["Vendo {item}, buen estado, {price} €.", "Recogida en {city}.", "Casa sin humo."],
    "fr": ["Vends {item}, bon état, {price} €.", "À retirer à {city}.", "Maison non-fumeur."],
    "it": ["Vendo {item}, buone condizioni, {price} €.", "Ritiro a {city}.", "Casa di non fumatori."],
}  # fmt: skip

# A local news article (the "other" pages): city council, roadworks, a market, a match.
NEWS = {
    "en": ["The council in {city} approved the new cycle lanes on Tuesday evening.", "Roadworks on the ring road will last until the end of April.",
           "The weekly farmers' market moves to the old station square.", "The local team won 3-1 in front of 4,200 fans."],
    "de": ["Der Stadtrat von {city} hat am Dienstagabend die neuen Radwege beschlossen.", "Die Bauarbeiten an der Ringstraße dauern bis Ende April.",
           "Der Wochenmarkt zieht auf den Platz am alten Bahnhof um.", "Die Heimmannschaft gewann vor 4.200 Zuschauern mit 3:1."],
    "nl": ["De gemeenteraad van {city} stemde dinsdagavond in met de nieuwe fietspaden.", "De werkzaamheden aan de ringweg duren tot eind april.",
           "De weekmarkt verhuist naar het plein bij het oude station.", "De thuisploeg won met 3-1 voor 4200 toeschouwers."],
    "pl": ["Rada miasta {city} przyjęła we wtorek wieczorem plan nowych ścieżek rowerowych.", "Remont obwodnicy potrwa do końca kwietnia.",
           "Targ przenosi się na plac przy starym dworcu.", "Gospodarze wygrali 3:1 przy 4200 kibicach."],
    "ro": ["Consiliul local din {city} a aprobat marți seara noile piste de biciclete.", "Lucrările pe centură durează până la sfârșitul lui aprilie.",
           "Piața săptămânală se mută în piața de lângă gara veche.", "Echipa gazdă a câștigat cu 3-1 în fața a 4.200 de spectatori."],
    "es": ["El ayuntamiento de {city} aprobó el martes por la noche los nuevos carriles bici.", "Las obras de la circunvalación durarán hasta finales de abril.",
           "El mercado semanal se traslada a la plaza de la antigua estación.", "El equipo local ganó 3-1 ante 4.200 aficionados."],
    "fr": ["Le conseil municipal de {city} a adopté mardi soir les nouvelles pistes cyclables.", "Les travaux sur la rocade dureront jusqu'à fin avril.",
           "Le marché hebdomadaire déménage sur la place de l'ancienne gare.", "L'équipe locale s'est imposée 3-1 devant 4 200 spectateurs."],
    "it": ["Il consiglio comunale di {city} ha approvato martedì sera le nuove piste ciclabili.", "I lavori sulla tangenziale dureranno fino a fine aprile.",
           "Il mercato settimanale si sposta nella piazza della vecchia stazione.", "La squadra di casa ha vinto 3-1 davanti a 4.200 spettatori."],
}  # fmt: skip

INDICATORS = {
    "third_party": {
        "en": ["Bookings only through my manager.", "My driver arranges every appointment."],
        "de": ["Termine nur über meinen Fahrer.", "Buchung ausschließlich über meinen Manager."],
        "nl": ["Afspraken alleen via mijn chauffeur.", "Boeken uitsluitend via mijn manager."],
        "pl": ["Spotkania tylko przez mojego menedżera.", "Rezerwacje wyłącznie przez mojego kierowcę."],
        "ro": ["Programări doar prin șoferul meu.", "Rezervări numai prin managerul meu."],
        "es": ["Citas solo a través de mi chófer.", "Reservas exclusivamente con mi representante."],
        "fr": ["Rendez-vous uniquement par mon chauffeur.", "Réservations seulement via mon manager."],
        "it": ["Appuntamenti solo tramite il mio autista.", "Prenotazioni esclusivamente tramite il mio manager."],
    },
    "new_in_town": {
        "en": ["Just arrived in {city} this week."], "de": ["Ganz neu in {city}, nur diese Woche."],
        "nl": ["Net aangekomen in {city}, maar een paar dagen."], "pl": ["Dopiero przyjechałam, nowa w mieście."],
        "ro": ["Abia am ajuns, nouă în oraș."], "es": ["Recién llegada a {city}, nueva en la ciudad."],
        "fr": ["Tout juste arrivée, nouvelle en ville."], "it": ["Appena arrivata, nuova in città."],
    },
    "youth_emphasis": {
        "en": ["Very young and fresh, new to this."], "de": ["Ganz jung und frisch, neu in diesem Job."],
        "nl": ["Heel jong en fris, nieuw in dit werk."], "pl": ["Bardzo młoda i świeża, nowa w tym."],
        "ro": ["Foarte tânără și proaspătă, nouă în domeniu."], "es": ["Muy jovencita y fresca, nueva en esto."],
        "fr": ["Toute jeune et fraîche, débutante."], "it": ["Giovanissima e fresca, alle prime armi."],
    },
    "restricted": {
        "en": ["I cannot go out alone."], "de": ["Ich darf nicht allein rausgehen."],
        "nl": ["Ik mag niet alleen naar buiten."], "pl": ["Nie mogę wychodzić sama."],
        "ro": ["Nu am voie să ies singură."], "es": ["No puedo salir sola."],
        "fr": ["Je ne peux pas sortir seule."], "it": ["Non posso uscire da sola."],
    },
    "crypto_only": {
        "en": ["Payment only in USDT or bitcoin."], "de": ["Bezahlung nur in Bitcoin oder USDT."],
        "nl": ["Betalen alleen met bitcoin of USDT."], "pl": ["Płatność tylko w bitcoinach lub USDT."],
        "ro": ["Plata doar în bitcoin sau USDT."], "es": ["Pago solo en bitcoin o USDT."],
        "fr": ["Paiement uniquement en bitcoin ou USDT."], "it": ["Pagamento solo in bitcoin o USDT."],
    },
    "job_lure": {
        "en": ["No experience and no English needed, travel and housing paid.",
               "A registration fee of {fee} GBP is paid before departure."],
        "de": ["Keine Erfahrung und keine Sprachkenntnisse nötig, Reise und Unterkunft bezahlt.",
               "Vor der Abreise ist eine Vermittlungsgebühr von {fee} € zu zahlen."],
        "nl": ["Geen ervaring en geen taal nodig, reis en huisvesting betaald.",
               "Voor vertrek betaal je {fee} euro inschrijfgeld."],
        "pl": ["Bez doświadczenia i bez znajomości języka, podróż i zakwaterowanie opłacone.",
               "Przed wyjazdem trzeba wpłacić opłatę rekrutacyjną {fee} zł."],
        "ro": ["Fără experiență și fără limbă străină, transport și cazare plătite.",
               "Înainte de plecare se achită o taxă de înscriere de {fee} lei."],
        "es": ["Sin experiencia y sin idioma, viaje y alojamiento pagados.",
               "Antes del viaje se paga una cuota de inscripción de {fee} €."],
        "fr": ["Sans expérience et sans langue, voyage et logement payés.",
               "Des frais d'inscription de {fee} € sont à régler avant le départ."],
        "it": ["Senza esperienza e senza lingua, viaggio e alloggio pagati.",
               "Prima della partenza si paga una quota di iscrizione di {fee} €."],
    },
    "debt": {
        "en": ["Travel costs are deducted from your first wages."],
        "de": ["Die Reisekosten werden vom ersten Lohn abgezogen."],
        "nl": ["De reiskosten worden ingehouden op je eerste loon."],
        "pl": ["Koszty podróży są potrącane z pierwszych wypłat."],
        "ro": ["Costul drumului se reține din primele salarii."],
        "es": ["El billete se descuenta de los primeros sueldos."],
        "fr": ["Le billet est retenu sur les premiers salaires."],
        "it": ["Il biglietto viene trattenuto dai primi stipendi."],
    },
}  # fmt: skip

BENIGN_OVERLAPS = {
    "en": ["We are a young, friendly team.", "We also accept bitcoin.", "New in town and keen to meet people.",
           "Bring your passport or ID card to sign the contract.", "No fees for applicants, ever."],
    "de": ["Wir sind ein junges, freundliches Team.", "Wir akzeptieren auch Bitcoin.",
           "Neu in der Stadt und offen für Bekanntschaften.", "Zur Vertragsunterzeichnung bitte Reisepass oder Ausweis mitbringen.",
           "Für Bewerber fallen keine Gebühren an."],
    "nl": ["We zijn een jong, gezellig team.", "Betalen met bitcoin kan ook.", "Nieuw in de stad en benieuwd naar nieuwe mensen.",
           "Neem je paspoort of ID-kaart mee om het contract te tekenen.", "Sollicitanten betalen nooit kosten."],
    "pl": ["Jesteśmy młodym, przyjaznym zespołem.", "Akceptujemy też bitcoin.", "Nowa w mieście, chętnie poznam ludzi.",
           "Do podpisania umowy prosimy zabrać paszport lub dowód.", "Kandydaci nie ponoszą żadnych opłat."],
    "ro": ["Suntem o echipă tânără și prietenoasă.", "Acceptăm și bitcoin.", "Nouă în oraș, îmi doresc prieteni noi.",
           "Pentru contract aduceți pașaportul sau buletinul.", "Candidații nu plătesc nicio taxă."],
    "es": ["Somos un equipo joven y simpático.", "También aceptamos bitcoin.", "Nueva en la ciudad, con ganas de conocer gente.",
           "Trae tu pasaporte o DNI para firmar el contrato.", "Los candidatos nunca pagan nada."],
    "fr": ["Nous sommes une équipe jeune et sympathique.", "Nous acceptons aussi le bitcoin.",
           "Nouvelle en ville, envie de rencontrer du monde.", "Apportez votre passeport ou carte d'identité pour signer le contrat.",
           "Aucun frais pour les candidats."],
    "it": ["Siamo un team giovane e simpatico.", "Accettiamo anche bitcoin.", "Nuova in città, voglio conoscere gente.",
           "Porta passaporto o carta d'identità per firmare il contratto.", "Nessun costo per i candidati."],
}  # fmt: skip

CONTACT = {"en": "Contact", "de": "Kontakt", "nl": "Contact", "pl": "Kontakt", "ro": "Contact",
           "es": "Contacto", "fr": "Contact", "it": "Contatti"}  # fmt: skip
# How e-mail obfuscation spells "at" and "dot" in each language.
AT_DOT = {"en": ("at", "dot"), "de": ("at", "punkt"), "nl": ("apenstaartje", "punt"), "pl": ("małpa", "kropka"),
          "ro": ("arond", "punct"), "es": ("arroba", "punto"), "fr": ("arobase", "point"), "it": ("chiocciola", "punto")}  # fmt: skip
DIGIT_WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
    "nl": ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
    "pl": ["zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"],
    "ro": ["zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "it": ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"],
}
PLUS_WORD = {
    "en": "plus",
    "de": "plus",
    "nl": "plus",
    "pl": "plus",
    "ro": "plus",
    "es": "más",
    "fr": "plus",
    "it": "più",
}

CHAT_NOISE = [
    "morning all, coffee is in the kitchen ☕", "Guten Morgen zusammen!", "Goedemorgen, ik begin met de vacatures",
    "Dzień dobry, biorę dziś ogłoszenia z Polski", "Bună dimineața, mă uit la anunțurile din Cluj",
    "Buenos días, sigo con las páginas de Valencia", "Bonjour à tous, je reprends les annonces de Lille",
    "Buongiorno, oggi controllo i siti italiani", "lunch break, back in 30", "who has the spreadsheet for Tuesday?",
    "reminder: do not contact anyone from the ads", "Pause, bin gleich zurück", "ik stop voor vandaag, tot morgen",
    "czy ktoś sprawdzał już ten numer?", "mulțumesc pentru ajutor!", "¿alguien tiene acceso a la hoja?",
    "merci pour le récap d'hier", "grazie a tutti, ottimo lavoro",
]  # fmt: skip
CHAT_PREFIX = ["", "", "", "found this: ", "another one ", "check pls ", "Neu: ", "nog een: ", "zobaczcie ",
               "uită-te aici ", "mirad esto ", "regardez ", "guardate ", "same network? "]  # fmt: skip
