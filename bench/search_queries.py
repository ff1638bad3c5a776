"""The queries of bench/search.py: a labelled set and the timed queries besides it.

Each labelled line is `query | concept | country filter or - | kind`, under a `# xx` line
naming the query's language (or with an `xx: ` prefix). The concept is a vocabulary key
without its kind ("nurse": profession.nurse), or `name:TEXT` for a query that means an
authority by its name (right: an authority whose name holds TEXT, folded). Kinds: plain (a
vocabulary term), form (plurals, cases, other genders), compound, typo (one edit from 5
letters, two from 10), accents (typed without accents or diacritics), translit (letters
written as two: ae for ä, ...), paraphrase (an everyday word for the concept), name.

One query in five is held out (HELD_OUT): it is looked at only at the end, so that the
search is not tuned on it; bench/search.py prints both parts.
"""

from __future__ import annotations

import zlib

KINDS = ("plain", "form", "compound", "typo", "accents", "translit", "paraphrase", "name")

_SET = """
# the first set (kept as it was)
cs: zdravotní sestra | nurse | DE | plain
el: νοσηλευτής | nurse | FR | plain
bg: медицинска сестра | nurse | - | plain
pl: pielęgniarki | nurse | IT | form
en: nurses | nurse | ES | form
de: Krankenpflegerin | nurse | - | form
bg: архитект | architect | IT | plain
fr: architectes | architect | - | form
de: Zahnärzte | dentist | PL | form
et: hambaarst | dentist | LT | plain
pl: lekarz weterynarii | veterinarian | ES | plain
el: κτηνίατρος | veterinarian | - | plain
fr: sage-femme | midwife | SE | plain
de: Hebammen | midwife | - | form
es: farmacéutico | pharmacist | FI | plain
hr: ljekarnik | pharmacist | BE | plain
it: avvocato | lawyer | NL | plain
de: Rechtsanwälte | lawyer | - | form
nl: leraar | teacher | PT | plain
pt: engenheiro | engineer | AT | plain
sv: fysioterapeut | physiotherapist | RO | plain
fi: psykologi | psychologist | HU | plain
hu: könyvvizsgáló | statutory_auditor | IE | plain
ro: electrician | electrician | SK | plain
sk: kaderník | hairdresser | SI | plain
da: ejendomsmægler | real_estate_agent | HR | plain
lt: gidas | tourist_guide | LV | plain
sl: učitelj smučanja | ski_instructor | AT | plain
en: doctor | doctor | GR | plain
cs: lékaři | doctor | - | form
ga: altra | nurse | MT | plain
mt: perit | architect | CY | plain
de: Güterkraftverkehr | road_transport | CZ | plain
fr: transport routier | road_transport | PL | plain
pl: budownictwo | construction | DE | plain
de: Leiharbeit | temporary_agency_work | NL | plain
en: food safety | food_safety | IT | plain
it: sicurezza dei prodotti | product_safety | FR | plain
nl: rijbewijs | driving_licences | ES | plain
es: productos sanitarios | medical_devices | DE | plain
de: Sozialversicherung | social_security | BG | plain
en: business register | business_register | LU | plain
pl: nostryfikacja | academic_recognition | SK | plain
el: αναγνώριση επαγγελματικών προσόντων | professional_qualifications | DK | plain
fr: travailleurs détachés | posting_of_workers | PL | form
cs: vysílání pracovníků | posting_of_workers | - | plain
en: SOLVIT | solvit | NO | plain
de: Patientenrechte | patients_rights | PT | form
bg: културни ценности | cultural_goods | GR | plain
sv: e-handel | e_commerce | IE | plain
it: appalti pubblici | public_procurement | SE | plain
pt: defesa do consumidor | consumer_protection | FI | plain
hu: adatvédelem | data_protection | LV | plain
fi: pimeä työ | undeclared_work | EE | plain
lv: darba inspekcija | labour_inspection | LT | plain
ro: arme de foc | firearms | AT | plain
en: nurce | nurse | ES | typo
de: Krankenpflger | nurse | - | typo
fr: arhcitecte | architect | BE | typo
en: dentsit | dentist | IE | typo
pl: fizjoterpeuta | physiotherapist | - | typo
fr: veterinaire | veterinarian | LU | accents
es: farmacuetico | pharmacist | PT | typo
hr: ljkearnik | pharmacist | SI | typo
de: Zahnaerzte | dentist | FR | translit
de: Tieraerztin | veterinarian | - | translit
# bg
лекари | doctor | DE | form
лекарите | doctor | - | form
зъболекари | dentist | FR | form
зъболекаря | dentist | - | form
фармацевти | pharmacist | IT | form
аптекар | pharmacist | - | paraphrase
акушерки | midwife | AT | form
ветеринари | veterinarian | NL | form
архитекти | architect | - | form
адвокати | lawyer | ES | form
учители | teacher | - | form
инженери | engineer | SE | form
медицински сестри | nurse | - | form
медицинската сестра | nurse | CZ | form
фризьори | hairdresser | CZ | form
електротехници | electrician | - | form
строителството | construction | RO | form
командировани работници | posting_of_workers | DE | plain
обществените поръчки | public_procurement | PL | form
огнестрелно оръжие | firearms | - | paraphrase
шофьорски книжки | driving_licences | - | form
архитетк | architect | ES | typo
фармацефт | pharmacist | - | typo
психоллог | psychologist | HU | typo
физиотерапефт | physiotherapist | - | typo
Министерство на здравеопазването | name:министерство на здравеопазването | BG | name
Автомобилна администрация София | name:автомобилна администрация софия | - | name
# cs
zdravotní sestry | nurse | AT | form
zdravotních sester | nurse | - | form
sestřička | nurse | - | paraphrase
lékařka | doctor | FR | form
zubař | dentist | DE | paraphrase
zubní lékařka | dentist | PL | form
lékárníci | pharmacist | SK | form
porodní asistentky | midwife | - | form
veterináři | veterinarian | HU | form
architekti | architect | - | form
advokáti | lawyer | IT | form
učitelé | teacher | - | form
kadeřnice | hairdresser | AT | form
elektrikáři | electrician | - | form
řidičák | driving_licences | - | paraphrase
práce na černo | undeclared_work | - | paraphrase
architekr | architect | DE | typo
farmaceutt | pharmacist | - | typo
fyzioterapaut | physiotherapist | PL | typo
psychollog | psychologist | - | typo
lekarka | doctor | - | accents
porodni asistentka | midwife | DE | accents
ucitel | teacher | - | accents
kadernik | hairdresser | FR | accents
ochrana osobnich udaju | data_protection | - | accents
verejne zakazky | public_procurement | SK | accents
ministerstvo zdravotnictvi | name:ministerstvo zdravotnictvi | CZ | name
Stavební úřad Brno | name:stavebni urad brno | - | name
# da
sygeplejersker | nurse | DE | form
sygeplejerskerne | nurse | - | form
læger | doctor | SE | form
lægerne | doctor | - | form
tandlæger | dentist | - | form
tandlægen | dentist | NL | form
jordemødre | midwife | - | form
dyrlæger | veterinarian | FR | form
arkitekter | architect | - | form
advokater | lawyer | DE | form
skolelærer | teacher | - | paraphrase
elektrikere | electrician | NO | form
frisører | hairdresser | - | form
tandlægeforening | dentist | - | compound
sygeplejerskeuddannelse | nurse | PL | compound
dyrlægeautorisation | veterinarian | - | compound
sygeplejeske | nurse | - | typo
fysioterapaut | physiotherapist | ES | typo
ejendomsmæglre | real_estate_agent | - | typo
tandlaege | dentist | - | translit
laeger | doctor | AT | translit
frisoer | hairdresser | - | translit
jordemoder | midwife | - | plain
kørekort | driving_licences | SE | plain
sort arbejde | undeclared_work | - | plain
Sundhedsstyrelsen | name:sundhedsstyrelsen | - | name
faerdselsstyrelsen | name:faerdselsstyrelsen | DK | name
# de
Zahnärztin | dentist | FR | form
Zahnarztpraxis | dentist | - | compound
Zahnärztekammer | dentist | AT | compound
Ärztekammer | doctor | - | compound
Ärzte | doctor | IT | form
Tierärzte | veterinarian | - | form
Tierarztpraxis | veterinarian | - | compound
Apothekerkammer | pharmacist | PL | compound
Architektenkammer | architect | - | compound
Ingenieurkammer | engineer | - | compound
Rechtsanwaltskammer | lawyer | ES | compound
Krankenschwestern | nurse | - | form
Pflegekräfte | nurse | SE | form
Hebammenverband | midwife | - | compound
Lehrern | teacher | - | form
Lehrerinnen | teacher | NL | form
Friseurhandwerk | hairdresser | - | compound
Elektrikerin | electrician | - | form
Immobilienmaklerin | real_estate_agent | DK | form
Arzt für Zahnheilkunde | dentist | - | paraphrase
Physiotherapeutn | physiotherapist | - | typo
Psycholgoe | psychologist | BE | typo
Wirtschaftsprüfr | statutory_auditor | - | typo
Fuehrerschein | driving_licences | - | translit
Gaestefuehrer | tourist_guide | AT | translit
Aerztin | doctor | - | translit
Friseur | hairdresser | - | plain
entsandte Arbeitnehmer | posting_of_workers | - | plain
Mindestlohn entsandter Arbeitnehmer | posting_of_workers | BE | paraphrase
Kulturgüterschutz | cultural_goods | - | compound
Innenministerium Wien | name:innenministerium wien | - | name
Landesamt fur Gesundheit | name:landesamt fur gesundheit | DE | name
# el
γιατροί | doctor | DE | form
ιατρών | doctor | - | form
νοσηλευτές | nurse | - | form
νοσηλευτριες | nurse | IT | accents
οδοντίατροι | dentist | - | form
οδοντιατρος | dentist | FR | accents
φαρμακοποιοί | pharmacist | - | form
μαίες | midwife | - | form
κτηνιατροι | veterinarian | AT | accents
αρχιτέκτονες | architect | - | form
αρχιτεκτονας | architect | PL | accents
δικηγόροι | lawyer | - | form
δικηγορος | lawyer | ES | accents
ηλεκτρολογοι | electrician | - | accents
μηχανικοί | engineer | - | form
ψυχολογος | psychologist | FR | accents
φυσικοθεραπευτες | physiotherapist | - | accents
δάσκαλοι | teacher | - | form
αρχιτέκτοας | architect | - | typo
φαρμακοιπός | pharmacist | IT | typo
φυσικοθεραπετής | physiotherapist | - | typo
οδοντογιατρός | dentist | - | paraphrase
δίπλωμα οδήγησης | driving_licences | DE | plain
αποσπασμενοι εργαζομενοι | posting_of_workers | - | accents
προστασια δεδομενων | data_protection | - | accents
υπουργείο υγείας | name:υπουργειο υγειας | GR | name
υπουργειο εσωτερικων | name:υπουργειο εσωτερικων | CY | name
# en
nurses | nurse | DE | form
nursing | nurse | - | form
doctors | doctor | FR | form
physicians | doctor | - | form
GP | doctor | - | paraphrase
general practitioner | doctor | PL | paraphrase
dentists | dentist | - | form
pharmacists | pharmacist | IT | form
chemist | pharmacist | - | paraphrase
midwives | midwife | - | form
vets | veterinarian | NL | form
architects | architect | - | form
lawyers | lawyer | ES | form
attorney | lawyer | - | paraphrase
teachers | teacher | SE | form
engineers | engineer | - | form
electricians | electrician | - | form
hairdressers | hairdresser | - | form
barber | hairdresser | AT | paraphrase
estate agents | real_estate_agent | - | form
nurse registration | nurse | - | paraphrase
dentist registration | dentist | DE | paraphrase
posted workers wages | posting_of_workers | - | paraphrase
posted worker | posting_of_workers | FR | form
driving licences | driving_licences | - | form
driver license | driving_licences | - | paraphrase
undeclared work | undeclared_work | - | plain
physiotherapists | physiotherapist | BE | form
psycologist | psychologist | - | typo
pharmasist | pharmacist | - | typo
electrican | electrician | IE | typo
architecht | architect | - | typo
hairdreser | hairdresser | - | typo
physiotherapsit | physiotherapist | - | typo
Department of Health | name:department of health | IE | name
road safety authority | name:road safety authority | - | name
# es
médicos | doctor | DE | form
medica | doctor | - | accents
enfermeras | nurse | FR | form
enfermeros | nurse | - | form
dentistas | dentist | IT | form
odontologos | dentist | - | accents
farmaceuticos | pharmacist | PT | accents
matronas | midwife | - | form
veterinarios | veterinarian | - | form
arquitectos | architect | AT | form
abogados | lawyer | - | form
profesores | teacher | PL | form
ingenieros | engineer | - | form
electricistas | electrician | SE | form
peluqueras | hairdresser | - | form
psicologos | psychologist | - | accents
fisioterapeutas | physiotherapist | NL | form
trabajadores desplazados | posting_of_workers | - | plain
proteccion de datos | data_protection | - | accents
carnet de conducir | driving_licences | DE | accents
carné de conducir | driving_licences | - | plain
trabajo en negro | undeclared_work | - | paraphrase
arquitceto | architect | - | typo
fisioterapueta | physiotherapist | BE | typo
electrisista | electrician | - | typo
Dirección General de Tráfico | name:direccion general de trafico | ES | name
consejeria de sanidad | name:consejeria de sanidad | - | name
# et
arstid | doctor | FI | form
arsti | doctor | - | form
õed | nurse | - | form
meditsiiniõed | nurse | LV | form
hambaarstid | dentist | - | form
hambaarsti | dentist | - | form
hambaravi | dentist | DE | paraphrase
ämmaemandad | midwife | - | form
loomaarstid | veterinarian | SE | form
arhitektid | architect | - | form
advokaadid | lawyer | - | form
õpetajad | teacher | LT | form
insenerid | engineer | - | form
juuksurid | hairdresser | - | form
hambaarstide register | dentist | - | compound
ammaemand | midwife | - | accents
opetaja | teacher | FI | accents
fusioterapeut | physiotherapist | - | accents
psuhholoog | psychologist | - | accents
arhitetk | architect | LV | typo
farmatsuet | pharmacist | - | typo
kinnisvaramkaler | real_estate_agent | - | typo
juhiload | driving_licences | - | form
Terviseamet | name:terviseamet | EE | name
transpordiamet tartu | name:transpordiamet tartu | - | name
# fi
lääkärit | doctor | SE | form
lääkäriä | doctor | - | form
sairaanhoitajat | nurse | - | form
sairaanhoitajan | nurse | DE | form
hoitaja | nurse | - | paraphrase
hammaslääkärit | dentist | - | form
hammaslääkäriliitto | dentist | - | compound
kätilöt | midwife | EE | form
eläinlääkärit | veterinarian | - | form
arkkitehdit | architect | - | form
asianajajat | lawyer | NL | form
opettajat | teacher | - | form
sähköasentajat | electrician | - | form
kampaajat | hairdresser | SE | form
laakari | doctor | - | accents
hammaslaakari | dentist | - | accents
elainlaakari | veterinarian | DE | accents
katilo | midwife | - | accents
sairaanhoitja | nurse | - | typo
fysioterapeuti | physiotherapist | - | typo
arkkitehiti | architect | SE | typo
ajokortit | driving_licences | - | form
pimeää työtä | undeclared_work | - | form
Ruokavirasto | name:ruokavirasto | FI | name
sisaministerio | name:sisaministerio | - | name
# fr
infirmières | nurse | DE | form
infirmiers | nurse | - | form
médecins | doctor | IT | form
médecin généraliste | doctor | - | paraphrase
dentistes | dentist | - | form
chirurgiens-dentistes | dentist | PL | form
pharmaciens | pharmacist | - | form
sages-femmes | midwife | BE | form
vétérinaires | veterinarian | - | form
avocats | lawyer | - | form
enseignants | teacher | ES | form
ingénieurs | engineer | - | form
électriciens | electrician | - | form
coiffeuse | hairdresser | AT | form
kinés | physiotherapist | - | paraphrase
kinesitherapeute | physiotherapist | - | accents
medecin | doctor | DE | accents
infirmiere | nurse | - | accents
electricien | electrician | LU | accents
securite sociale | social_security | - | accents
travailleurs detaches | posting_of_workers | PL | accents
salaire des travailleurs détachés | posting_of_workers | - | paraphrase
permis de conduire | driving_licences | - | plain
pharmacein | pharmacist | - | typo
infirmeire | nurse | NL | typo
psychologeu | psychologist | - | typo
kinésithérapeutes | physiotherapist | - | form
Agence régionale de santé | name:agence regionale de sante | FR | name
prefecture lyon | name:prefecture lyon | - | name
# ga
altraí | nurse | - | form
dochtúirí | doctor | DE | form
dochtuir | doctor | - | accents
fiaclóirí | dentist | - | form
fiacloir | dentist | FR | accents
cógaiseoirí | pharmacist | - | form
cnaimhseach | midwife | - | accents
tréidliaí | veterinarian | - | form
ailtirí | architect | IT | form
dlíodóirí | lawyer | - | form
dliodoir | lawyer | - | accents
múinteoirí | teacher | PL | form
muinteoir | teacher | - | accents
innealtóirí | engineer | - | form
leictreoirí | electrician | - | form
gruagairí | hairdresser | - | form
siceolai | psychologist | DE | accents
ceadunas tiomana | driving_licences | - | accents
cosaint sonrai | data_protection | - | accents
fiaclóri | dentist | - | typo
múinteor | teacher | - | typo
innealtóiri | engineer | NL | typo
An Roinn Sláinte | name:an roinn slainte | IE | name
udaras boithre | name:udaras boithre | - | name
# hr
liječnici | doctor | DE | form
lijecnik | doctor | - | accents
medicinske sestre | nurse | - | form
stomatolozi | dentist | IT | form
zubar | dentist | - | paraphrase
ljekarnici | pharmacist | - | form
ljekarnik | pharmacist | - | plain
primalje | midwife | AT | form
veterinari | veterinarian | - | form
arhitekti | architect | - | form
odvjetnici | lawyer | - | form
odvjetnik | lawyer | SI | plain
učitelji | teacher | - | form
ucitelj | teacher | - | accents
inženjeri | engineer | - | form
električari | electrician | PL | form
elektricar | electrician | - | accents
frizeri | hairdresser | - | form
fizioterapeuti | physiotherapist | - | form
vozacka dozvola | driving_licences | - | accents
upuceni radnici | posting_of_workers | DE | accents
fizioterpeut | physiotherapist | - | typo
arhitkt | architect | - | typo
psiholgo | psychologist | SK | typo
Ministarstvo zdravstva | name:ministarstvo zdravstva | HR | name
drzavni inspektorat | name:drzavni inspektorat | - | name
# hu
orvosok | doctor | AT | form
orvost | doctor | - | form
ápolók | nurse | - | form
apolo | nurse | DE | accents
ápolónők | nurse | - | form
fogorvosok | dentist | - | form
fogorvosi kamara | dentist | - | compound
gyógyszerészek | pharmacist | - | form
gyogyszeresz | pharmacist | SK | accents
szülésznők | midwife | - | form
állatorvosok | veterinarian | - | form
allatorvos | veterinarian | RO | accents
építészek | architect | - | form
ügyvédek | lawyer | - | form
ugyved | lawyer | - | accents
tanárok | teacher | AT | form
mérnökök | engineer | - | form
mernok | engineer | - | accents
villanyszerelők | electrician | - | form
fodrászok | hairdresser | - | form
pszichologus | psychologist | - | accents
konyvvizsgalo | statutory_auditor | - | accents
kiküldött munkavállalók | posting_of_workers | DE | plain
jogositvany | driving_licences | - | accents
gyógyszerés | pharmacist | - | typo
szülészno | midwife | - | typo
idegenvezeto | tourist_guide | - | accents
Oktatási Hivatal | name:oktatasi hivatal | HU | name
belugyminiszterium | name:belugyminiszterium | - | name
# it
medici | doctor | DE | form
infermieri | nurse | - | form
infermiere professionale | nurse | FR | paraphrase
dentisti | dentist | - | form
odontoiatri | dentist | AT | form
farmacisti | pharmacist | - | form
ostetriche | midwife | - | form
veterinari | veterinarian | - | form
architetti | architect | ES | form
avvocati | lawyer | - | form
insegnanti | teacher | - | form
ingegneri | engineer | SE | form
elettricisti | electrician | - | form
parrucchieri | hairdresser | - | form
psicologi | psychologist | DE | form
fisioterapisti | physiotherapist | - | form
lavoratori distaccati | posting_of_workers | - | plain
lavoro nero | undeclared_work | - | plain
sicurezza alimentare | food_safety | FR | plain
patente | driving_licences | - | paraphrase
infermeire | nurse | - | typo
fisioterpista | physiotherapist | - | typo
architteto | architect | BE | typo
Ministero della Salute | name:ministero della salute | IT | name
motorizzazione civile milano | name:motorizzazione civile milano | - | name
# lv
ārsti | doctor | DE | form
arsts | doctor | - | accents
medmāsas | nurse | - | form
medmasa | nurse | FR | accents
zobārsti | dentist | - | form
zobarsts | dentist | LT | accents
farmaceiti | pharmacist | - | form
vecmātes | midwife | - | form
veterinārārsti | veterinarian | - | form
veterinararsts | veterinarian | PL | accents
arhitekti | architect | - | form
advokāti | lawyer | EE | form
skolotāji | teacher | - | form
skolotaja | teacher | - | accents
inženieri | engineer | - | form
elektriķi | electrician | - | form
friziere | hairdresser | - | form
psihologi | psychologist | DE | form
fizioterapeiti | physiotherapist | - | form
norīkotie darbinieki | posting_of_workers | - | paraphrase
autovadītāja apliecība | driving_licences | - | paraphrase
darba inspekcija | labour_inspection | - | plain
farmaceits | pharmacist | - | plain
fizioterapets | physiotherapist | - | typo
arhitekst | architect | - | typo
Veselības ministrija | name:veselibas ministrija | LV | name
iekslietu ministrija | name:iekslietu ministrija | - | name
# lt
gydytojai | doctor | DE | form
gydytoja | doctor | - | form
slaugytojai | nurse | - | form
slaugytoja | nurse | PL | form
odontologai | dentist | - | form
vaistininkai | pharmacist | - | form
akušerės | midwife | - | form
akuseris | midwife | LV | accents
veterinarai | veterinarian | - | form
architektai | architect | - | form
advokatai | lawyer | FI | form
mokytojai | teacher | - | form
mokytoja | teacher | - | form
inžinieriai | engineer | - | form
inzinierius | engineer | - | accents
elektrikai | electrician | - | form
kirpejas | hairdresser | - | accents
kirpėja | hairdresser | EE | form
psichologai | psychologist | - | form
komandiruoti darbuotojai | posting_of_workers | - | plain
vairuotojo pažymėjimas | driving_licences | - | paraphrase
vaistinninkas | pharmacist | - | typo
slaugytjas | nurse | - | typo
Sveikatos apsaugos ministerija | name:sveikatos apsaugos ministerija | LT | name
vidaus reikalu ministerija | name:vidaus reikalu ministerija | - | name
# mt
tobba | doctor | - | form
infermiera | nurse | - | plain
infermiera registrata | nurse | DE | paraphrase
dentisti | dentist | IT | form
spiżjara | pharmacist | - | form
spizjar | pharmacist | - | accents
qwiebel | midwife | - | form
veterinarji | veterinarian | - | form
periti | architect | - | form
avukati | lawyer | FR | form
għalliema | teacher | - | form
ghalliem | teacher | - | accents
inġiniera | engineer | - | form
inginier | engineer | NL | accents
elettriċisti | electrician | - | form
elettricista | electrician | - | accents
parrukkiera | hairdresser | - | form
psikologi | psychologist | - | form
fiżjoterapisti | physiotherapist | - | form
ħaddiema stazzjonati | posting_of_workers | - | plain
haddiema stazzjonati | posting_of_workers | BE | accents
liċenzja tas-sewqan | driving_licences | - | plain
infermeir | nurse | - | typo
fizjoterapsta | physiotherapist | - | typo
Ministeru għas-Saħħa | name:ministeru ghas-sahha | MT | name
awtorita tal-bini | name:awtorita tal-bini | - | name
# nl
tandartsen | dentist | DE | form
tandartsenregister | dentist | - | compound
tandartspraktijk | dentist | - | compound
huisarts | doctor | BE | paraphrase
artsen | doctor | - | form
verpleegkundigen | nurse | - | form
verpleegkundigenregister | nurse | FR | compound
apothekers | pharmacist | - | form
verloskundigen | midwife | - | form
dierenartsen | veterinarian | AT | form
dierenartsenpraktijk | veterinarian | - | compound
architecten | architect | - | form
advocaten | lawyer | - | form
advocatenkantoor | lawyer | DE | compound
leraren | teacher | - | form
ingenieurs | engineer | - | form
kappers | hairdresser | - | form
fysiotherapeuten | physiotherapist | SE | form
psychologen | psychologist | - | form
gedetacheerde werknemers | posting_of_workers | - | plain
verpleegkundge | nurse | - | typo
fysiotherapuet | physiotherapist | - | typo
tandarst | dentist | BE | typo
patientenrechten | patients_rights | - | accents
rijbewijzen | driving_licences | - | form
Dienst Wegverkeer | name:dienst wegverkeer | NL | name
ministerie van volksgezondheid | name:ministerie van volksgezondheid | - | name
# pl
lekarze | doctor | DE | form
lekarza | doctor | - | form
pielęgniarek | nurse | - | form
pielegniarka | nurse | FR | accents
pielegniarki | nurse | - | accents
dentyści | dentist | - | form
stomatolodzy | dentist | AT | form
farmaceuci | pharmacist | - | form
położne | midwife | - | form
polozna | midwife | CZ | accents
weterynarze | veterinarian | - | form
architekci | architect | - | form
adwokaci | lawyer | ES | form
nauczyciele | teacher | - | form
nauczycielka | teacher | - | form
inżynierowie | engineer | - | form
inzynier | engineer | SE | accents
elektrycy | electrician | - | form
fryzjerka | hairdresser | - | form
psycholodzy | psychologist | - | form
fizjoterapeuci | physiotherapist | - | form
pracownicy delegowani | posting_of_workers | DE | plain
wynagrodzenie pracowników delegowanych | posting_of_workers | - | paraphrase
prawo jazdy | driving_licences | - | plain
pielęgniarrka | nurse | - | typo
fizjoterapueta | physiotherapist | - | typo
architkt | architect | - | typo
Ministerstwo Zdrowia | name:ministerstwo zdrowia | PL | name
glowny urzad nadzoru budowlanego | name:glowny urzad nadzoru budowlanego | - | name
# pt
médicos | doctor | FR | form
enfermeiras | nurse | - | form
enfermeiros | nurse | ES | form
dentistas | dentist | - | form
medico dentista | dentist | - | accents
farmacêuticos | pharmacist | IT | form
farmaceutico | pharmacist | - | accents
parteiras | midwife | - | form
veterinarios | veterinarian | DE | accents
arquitetos | architect | - | form
arquitecto | architect | - | paraphrase
advogados | lawyer | - | form
professores | teacher | - | form
engenheiros | engineer | AT | form
eletricistas | electrician | - | form
cabeleireira | hairdresser | - | form
psicologos | psychologist | - | accents
fisioterapeutas | physiotherapist | - | form
trabalhadores destacados | posting_of_workers | PL | plain
carta de conducao | driving_licences | - | accents
protecao de dados | data_protection | - | accents
enfermiera | nurse | - | typo
fisioterapueta | physiotherapist | - | typo
engenhiero | engineer | - | typo
Direção-Geral da Saúde | name:direcao-geral da saude | PT | name
ministerio da justica | name:ministerio da justica | - | name
# ro
medici | doctor | DE | form
medicii | doctor | - | form
asistente medicale | nurse | - | form
asistenta medicala | nurse | IT | accents
asistentele medicale | nurse | - | form
medici dentiști | dentist | - | form
stomatologi | dentist | FR | form
farmaciști | pharmacist | - | form
farmacisti | pharmacist | - | accents
moașe | midwife | - | form
moasa | midwife | AT | accents
medici veterinari | veterinarian | - | form
arhitecți | architect | - | form
avocați | lawyer | - | form
avocati | lawyer | ES | accents
profesori | teacher | - | form
ingineri | engineer | - | form
electricieni | electrician | - | form
frizeri | hairdresser | - | form
psihologi | psychologist | DE | form
fizioterapeuți | physiotherapist | - | form
lucratori detasati | posting_of_workers | - | accents
permis auto | driving_licences | - | paraphrase
muncă la negru | undeclared_work | - | plain
farmacsit | pharmacist | - | typo
arhitetc | architect | - | typo
Ministerul Sănătății | name:ministerul sanatatii | RO | name
ministerul afacerilor interne | name:ministerul afacerilor interne | - | name
# sk
lekári | doctor | CZ | form
lekara | doctor | - | accents
zdravotné sestry | nurse | - | form
sestry | nurse | AT | form
zubári | dentist | - | paraphrase
zubny lekar | dentist | - | accents
lekárnici | pharmacist | DE | form
pôrodné asistentky | midwife | - | form
porodna asistentka | midwife | - | accents
veterinári | veterinarian | - | form
architekti | architect | HU | form
advokati | lawyer | - | accents
učitelia | teacher | - | form
ucitel | teacher | PL | accents
inžinieri | engineer | - | form
elektrikári | electrician | - | form
kaderníčka | hairdresser | - | form
psychológovia | psychologist | - | form
fyzioterapeuti | physiotherapist | - | form
vyslaní pracovníci | posting_of_workers | DE | plain
vodicsky preukaz | driving_licences | - | accents
fyzioteraput | physiotherapist | - | typo
psycholg | psychologist | - | typo
Ministerstvo zdravotníctva | name:ministerstvo zdravotnictva | SK | name
stavebny urad kosice | name:stavebny urad kosice | - | name
# sl
zdravniki | doctor | AT | form
zdravnica | doctor | - | form
medicinske sestre | nurse | - | form
zobozdravniki | dentist | - | form
zobozdravnik | dentist | HR | plain
farmacevti | pharmacist | - | form
babice | midwife | - | form
veterinarji | veterinarian | IT | form
arhitekti | architect | - | form
odvetniki | lawyer | - | form
ucitelj | teacher | - | accents
učiteljica | teacher | - | form
inženirji | engineer | DE | form
električarji | electrician | - | form
frizerka | hairdresser | - | form
psihologi | psychologist | - | form
fizioterapevti | physiotherapist | - | form
napoteni delavci | posting_of_workers | - | plain
vozniško dovoljenje | driving_licences | - | plain
vozniski izpit | driving_licences | - | paraphrase
delo na crno | undeclared_work | - | accents
zobozdravik | dentist | - | typo
fizioterapet | physiotherapist | - | typo
Ministrstvo za zdravje | name:ministrstvo za zdravje | SI | name
ministrstvo za notranje zadeve | name:ministrstvo za notranje zadeve | - | name
# sv
sjuksköterskor | nurse | DE | form
sjuksköterskan | nurse | - | form
läkarna | doctor | - | form
tandläkare | dentist | - | plain
tandläkarna | dentist | FI | form
tandläkarförbundet | dentist | - | compound
sjuksköterskeutbildning | nurse | - | compound
barnmorskor | midwife | - | form
veterinärer | veterinarian | - | form
arkitekter | architect | NO | form
advokater | lawyer | - | form
lärarna | teacher | - | form
lärarlegitimation | teacher | - | compound
ingenjörer | engineer | - | form
elektriker | electrician | - | plain
frisörer | hairdresser | - | form
psykologer | psychologist | - | form
fysioterapeuter | physiotherapist | - | form
utstationerade arbetstagare | posting_of_workers | - | plain
korkort | driving_licences | - | accents
sjukskoterska | nurse | - | accents
lakare | doctor | DK | accents
tandlakare | dentist | - | accents
sjuksöterska | nurse | - | typo
fysioterapuet | physiotherapist | - | typo
Socialstyrelsen | name:socialstyrelsen | SE | name
trafikverket goteborg | name:trafikverket goteborg | - | name
"""


def _parse(text: str) -> list[tuple[str, str, str, str | None, str]]:
    from app import vocabulary

    keys = {key.split(".", 1)[1]: key for key in vocabulary.concepts()}
    rows, language = [], ""
    for line in text.strip().splitlines():
        if line.startswith("#"):
            header = line[1:].strip()
            language = header if len(header) == 2 else language
            continue
        if line[2:4] == ": ":
            language, line = line[:2], line[4:]
        query, concept, country, kind = (part.strip() for part in line.split("|"))
        assert kind in KINDS, line
        concept = concept if concept.startswith("name:") else keys[concept]
        rows.append((query, language, concept, None if country == "-" else country, kind))
    return rows


# (query, its language, the concept it means or name:TEXT, a country filter or None, kind)
LABELLED = _parse(_SET)


def held_out(query: str, language: str) -> bool:
    """One query in five, always the same ones."""
    return zlib.crc32(f"{language}:{query}".encode()) % 5 == 0


# Timed queries besides the labelled ones: names, cities, starts of words, nothing.
TIMED_EXTRA = ["", "Berlin", "kammer", "zdravotn", "Urząd Warszawa", "ministry", "xyzzy", "a"]
# No authority matches every word: those that match some, the most first.
TIMED_EXTRA += ["Krankenpfleger xyzzy", "nurses Wien qqqzz", "architekt Praha registr xyzzy"]
