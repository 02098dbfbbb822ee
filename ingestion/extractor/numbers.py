"""Numbers as bulletins write them: digits with any locale's separators, number words, vague plurals.

A number is a span of the sentence with its value. Digits: "1,218", "4.201", "6 700", "1,5 тыс.",
"2 tys.". Words: compounds in every language read ("twenty-five", "ciento cuarenta y dos",
"vinte e três", "quatre-vingt-dix", "двухсот"), collectives ("a dozen" 12, "une dizaine" 10, both
approximate) and vague plurals ("hundreds of", "des dizaines de", "десятки"), read as the smallest
number they imply with qualifier at_least. Dates, clock times, ages, durations, percentages, money and
article numbers are spans that are never counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Number:
    start: int
    end: int
    value: int
    kind: str = "count"  # count | article | ordinal
    qualifier: str | None = None  # forced by the word itself: "a dozen" about, "hundreds of" at_least
    high: int | None = None
    high_end: int | None = None


UNIT, TEEN, TEN, HUND, HMUL, MUL = "unit", "teen", "ten", "hund", "hmul", "mul"
_TABLE: list[tuple[str, int, str]] = []


def _words(cls: str, value: int, *forms: str) -> None:
    _TABLE.extend((form, value, cls) for form in forms)


for _v, _forms in {
    1: "one jeden jedna jedno jedného jednej jednemu jednego uno один одна одно одного одной одному",
    2: "two dos dois duas dva dve dvaja dvoch dvom dwa dwie dwóch dwoje dwaj dwu deux два две двое двух двоих двоим двум",
    3: "three tres três tri traja troch trzy trzej trzech troje trois три трое трех трёх троих троим трем трём",
    4: "four cuatro quatro štyri štyria štyroch cztery czterej czterech czworo quatre четыре четверо четырех четырёх четверых четверым четырем четырём",
    0: "zero cero zéro ноль nula",
    5: "five cinco päť piati piatich pięć pięciu pięcioro cinq пять пятеро пяти пятерых пятерым",
    6: "six seis šesť šiesti šiestich sześć sześciu шесть шестеро шести шестерых шестерым",
    7: "seven siete sete sedem siedmi siedmich siedem siedmiu sept семь семеро семи семерых семерым",
    8: "eight ocho oito osem ôsmi ôsmich osiem ośmiu huit восемь восьмеро восьми восьмерых восьмерым",
    9: "nine nueve nove deväť deviati deviatich dziewięć dziewięciu neuf девять девяти девятеро девятерых девятерым",
}.items():
    _words(UNIT, _v, *_forms.split())
for _v, _forms in {
    10: "ten diez dez desať desiati desiatich dziesięć dziesięciu dix десять десяти десятеро десятерых десятерым",
    11: "eleven once onze jedenásť jedenaście одиннадцать одиннадцати jedenastu jedenástich",
    12: "twelve doce doze dvanásť dwanaście douze двенадцать двенадцати dwunastu dvanástich",
    13: "thirteen trece treze trinásť trzynaście treize тринадцать тринадцати trzynastu trinástich",
    14: "fourteen catorce quatorze catorze štrnásť czternaście четырнадцать четырнадцати czternastu štrnástich",
    15: "fifteen quince quinze pätnásť piętnaście пятнадцать пятнадцати piętnastu pätnástich",
    16: "sixteen dieciséis dezesseis dezasseis šestnásť szesnaście seize шестнадцать шестнадцати szesnastu šestnástich",
    17: "seventeen diecisiete dezessete dezassete sedemnásť siedemnaście семнадцать семнадцати siedemnastu sedemnástich",
    18: "eighteen dieciocho dezoito osemnásť osiemnaście восемнадцать восемнадцати osiemnastu osemnástich",
    19: "nineteen diecinueve dezenove dezanove devätnásť dziewiętnaście девятнадцать девятнадцати dziewiętnastu devätnástich",
    21: "veintiuno veintiún veintiuna", 22: "veintidós", 23: "veintitrés", 24: "veinticuatro", 25: "veinticinco",
    26: "veintiséis", 27: "veintisiete", 28: "veintiocho", 29: "veintinueve",
}.items():
    _words(TEEN, _v, *_forms.split())
for _v, _forms in {
    20: "twenty veinte vinte dvadsať dvadsiatich dwadzieścia dwudziestu vingt двадцать двадцати",
    30: "thirty treinta trinta tridsať tridsiatich trzydzieści trzydziestu trente тридцать тридцати",
    40: "forty cuarenta quarenta štyridsať štyridsiatich czterdzieści czterdziestu quarante сорок сорока",
    50: "fifty cincuenta cinquenta päťdesiat päťdesiatich pięćdziesiąt pięćdziesięciu cinquante пятьдесят пятидесяти",
    60: "sixty sesenta sessenta šesťdesiat sześćdziesiąt soixante шестьдесят шестидесяти sześćdziesięciu šesťdesiatich",
    70: "seventy setenta sedemdesiat siedemdziesiąt семьдесят семидесяти septante siedemdziesięciu sedemdesiatich",
    80: "eighty ochenta oitenta osemdesiat osiemdziesiąt восемьдесят восьмидесяти huitante octante osiemdziesięciu osemdesiatich",
    90: "ninety noventa deväťdesiat dziewięćdziesiąt девяносто девяноста nonante dziewięćdziesięciu deväťdesiatich",
}.items():
    _words(TEN, _v, *_forms.split())
for _v, _forms in {
    100: "cien ciento cem cento sto stu сто ста", 200: "doscientos doscientas duzentos duzentas dvesto dwieście dwustu двести двухсот",
    300: "trescientos trescientas trezentos trezentas tristo trzysta trzystu триста трехсот трёхсот",
    400: "cuatrocientos cuatrocientas quatrocentos štyristo czterysta czterystu четыреста четырехсот четырёхсот",
    500: "quinientos quinientas quinhentos quinhentas päťsto pięćset pięciuset пятьсот пятисот",
    600: "seiscientos seiscientas seiscentos seiscentas šesťsto sześćset sześciuset шестьсот шестисот",
    700: "setecientos setecientas setecentos setecentas sedemsto siedemset семьсот семисот",
    800: "ochocientos ochocientas oitocentos oitocentas osemsto osiemset восемьсот восьмисот",
    900: "novecientos novecientas novecentos novecentas deväťsto dziewięćset девятьсот девятисот",
}.items():
    _words(HUND, _v, *_forms.split())
_words(HMUL, 100, "hundred", "cents", "сотни", "сотен", "setki", "setek", "stovky", "stoviek")
_words(MUL, 1000, "thousand", "thousands", "mil", "mille", "tisíc", "tisíce", "tisícky", "tysiąc", "tysiąca", "tysiące", "tysięcy",
       "тысяча", "тысячи", "тысяч")
_words(MUL, 1_000_000, "million", "millions", "millón", "millones", "milhão", "milhões", "milión", "milióny",
       "miliónov", "milion", "miliony", "milionów", "миллион", "миллиона", "миллионов")
# Slovak writes 21-99 as one word: "dvadsaťpäť", "tridsaťjeden"
for _tens, _tv in (("dvadsať", 20), ("tridsať", 30), ("štyridsať", 40), ("päťdesiat", 50), ("šesťdesiat", 60),
                   ("sedemdesiat", 70), ("osemdesiat", 80), ("deväťdesiat", 90)):
    for _unit, _uv in (("jeden", 1), ("jedna", 1), ("dva", 2), ("dve", 2), ("tri", 3), ("štyri", 4), ("päť", 5),
                       ("šesť", 6), ("sedem", 7), ("osem", 8), ("deväť", 9)):
        _words(TEN, _tv + _uv, _tens + _unit)
WORDS = {form: (value, cls) for form, value, cls in _TABLE}
# "cent" is 100 on its own and a multiplier after a unit ("deux cent trente")
_DUAL = {"cent": ((100, HUND), (100, HMUL))}
# "un"/"une"/"um"/"uma"/"una" are articles, numbers only inside a compound ("vingt et un", "vinte e um",
# "treinta y una"): the article counts one only before a person noun (attach._article_ones)
_NO_START = {"un", "une", "um", "uma", "una"}
for _article in _NO_START:
    WORDS[_article] = (1, UNIT)
_STANDALONE_MUL = {"mil", "mille", "tisíc", "tysiąc", "tysiąca", "тысяча", "тысячи", "миллион", "millón", "milhão", "milión", "milion"}
# words that are numbers only in one language: "ten" is Slovak "that", "dos" Portuguese "of the"
_GATE = {"ten": "en", "once": "es", "dos": "es", "nove": "pt", "sete": "pt", "uno": "es",
         "six": "en fr", "sept": "fr", "dix": "fr", "cent": "fr", "cents": "fr", "mille": "fr", "vingt": "fr", "trente": "fr",
         "onze": "pt fr", "douze": "fr", "treize": "fr", "seize": "fr", "neuf": "fr", "huit": "fr", "cinq": "fr",
         "quatre": "fr", "trois": "fr", "deux": "fr", "quinze": "pt fr", "quarante": "fr", "cinquante": "fr",
         "soixante": "fr", "sto": "pl sk", "un": "fr es", "une": "fr", "um": "pt", "uma": "pt", "una": "es", "nula": "pl sk", "zero": "en pt", "stu": "pl", "tri": "sk", "do": "", "a": "", "e": ""}
_JOIN = {UNIT: {HMUL, MUL}, TEEN: {HMUL, MUL}, TEN: {UNIT, MUL}, HUND: {TEN, TEEN, UNIT, MUL},
         HMUL: {TEN, TEEN, UNIT, MUL}, MUL: {HUND, TEN, TEEN, UNIT}}
_CONNECTORS = {"and", "y", "e", "et"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "segunda": 2, "tercera": 3, "terceira": 3}
_ORDINAL_DEATH = re.compile(rf"(?<!\w)({'|'.join(ORDINALS)})\s+(?:confirmed\s+|reported\s+)?"
                            r"(?:death|fatality|victim|muerte|morte|víctima|vítima)(?!\w)", re.I)
_HALF = re.compile(r"(?<!\w)(?:one and a half (hundred|thousand)|полтор[аы] (сотни|тысячи)|półtor(?:a|ej) (setki|tysiąca))(?!\w)", re.I)
_HALF_VALUES = {"hundred": 150, "thousand": 1500, "сотни": 150, "тысячи": 1500, "setki": 150, "tysiąca": 1500}
# collectives: an approximate count ("a dozen", "une centaine", "около десятка")
_COLLECTIVES = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I), value, qualifier) for p, value, qualifier in (
    (r"(?:two|three|four|five) dozen", None, "about"), (r"an? dozen", 12, "about"), (r"half a dozen", 6, "about"),
    (r"medio centenar", 50, "about"), (r"un demi-millier", 500, "about"), (r"meia centena", 50, "about"),
    (r"полсотни|полусотни", 50, "about"), (r"полтысячи", 500, "about"), (r"полутора (?:тысяч|тысячи)", 1500, "about"),
    (r"полутора (?:сотен|сотни)", 150, "about"), (r"duas dezenas", 20, "about"), (r"dos decenas", 20, "about"),
    (r"une dizaine", 10, "about"), (r"une douzaine", 12, "about"), (r"une soixantaine", 60, "about"),
    (r"una cincuentena", 50, "about"), (r"uma vintena", 20, "about"), (r"uma trintena", 30, "about"), (r"une quinzaine", 15, "about"), (r"une vingtaine", 20, "about"),
    (r"une trentaine", 30, "about"), (r"une quarantaine", 40, "about"), (r"une cinquantaine", 50, "about"),
    (r"une centaine", 100, "about"), (r"un millier", 1000, "about"),
    (r"una decena", 10, "about"), (r"una docena", 12, "about"), (r"una veintena", 20, "about"), (r"una treintena", 30, "about"),
    (r"un centenar", 100, "about"), (r"un millar", 1000, "about"),
    (r"uma dezena", 10, "about"), (r"uma dúzia", 12, "about"), (r"uma vintena", 20, "about"), (r"uma centena", 100, "about"),
    (r"um milhar", 1000, "about"),
    (r"(?:два|двух|три|трех|трёх|четыре|четырех|четырёх|пять|пяти|полтора|полутора) десят(?:ка|ков|ок)", None, "about"),
    (r"десятка", 10, None), (r"десяток", 10, "about"), (r"дюжин[аы]", 12, "about"), (r"сотн[яю]", 100, "about"),
    (r"set(?:ka|kę)", 100, "about"), (r"stov(?:ka|ku)", 100, "about"), (r"tisíc(?:ka|ku)", 1000, "about"),
)]
# the genitive singular of a hundred/thousand noun is its plural's form in Russian, Polish and Slovak: "более тысячи",
# "около сотни", "około setki", "vyše stovky" are one thousand/hundred after a word that governs the genitive (a
# qualifier), "тысячи", "setki", "stovky" alone are the vague plural; after a number word they multiply ("две тысячи")
_GENITIVE_ONE = {"тысячи": 1000, "сотни": 100, "setki": 100, "stovky": 100, "tisícky": 1000}
_GENITIVE_GOVERNOR = re.compile(
    r"(?<!\w)(?:более|свыше|около|почти|больше|меньше|менее|порядка|примерно|приблизительно|ориентировочно|не менее|не более|"
    r"не меньше|не больше|до|по меньшей мере|как минимум|минимум|максимум|с лишним|około|ok\.|blisko|prawie|niemal|niespełna|"
    r"ponad|do|powyżej|przeszło|vyše|okolo|takmer|skoro|zhruba|približne|najmenej|aspoň|minimálne|do|najviac)\s*$", re.I)
_DOZENS = {"two": 24, "three": 36, "four": 48, "five": 60}
_RU_TENS = {"два": 20, "двух": 20, "три": 30, "трех": 30, "трёх": 30, "четыре": 40, "четырех": 40, "четырёх": 40,
            "пять": 50, "пяти": 50, "полтора": 15, "полутора": 15}  # "два десятка": about twenty
# vague plurals: the smallest number they imply, at_least
_VAGUE = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I), value) for p, value in (
    (r"tens of thousands of", 20000), (r"hundreds of thousands of", 200000),
    (r"decenas de miles de", 20000), (r"des dizaines de milliers de", 20000), (r"dezenas de milhares de", 20000),
    (r"десятки тысяч", 20000), (r"сотни тысяч", 200000), (r"dziesiątki tysięcy", 20000), (r"desiatky tisíc", 20000),
    (r"(?:several |many |a few )?dozens(?: of)?|(?:several|a few) dozen", 24), (r"scores(?: of)?", 40),
    (r"(?:several |many )?hundreds(?! of thousands)(?: of)?|a few hundred", 200),
    (r"(?:several |many )?thousands(?: of)?|a few thousand", 2000),
    (r"quelques dizaines de", 20), (r"quelques centaines de", 200), (r"algumas dezenas de|unas decenas de", 20),
    (r"kilkanaście|kilkunastu", 11), (r"kilkudziesięciu", 20), (r"kilkuset", 200), (r"niekoľko desiatok|desiatok", 20),
    (r"(?:several |many )?hundreds of|several hundred", 200), (r"(?:several |many )?thousands of|several thousand", 2000),
    (r"(?:несколько )?десятк(?:и|ов)", 20), (r"несколько сотен|сотни", 200), (r"несколько тысяч|тысячи", 2000),
    (r"decenas de|varias decenas de|docenas de", 20), (r"centenares de|cientos de|varios cientos de", 200), (r"miles de|varios miles de", 2000),
    (r"des dizaines de|plusieurs dizaines de", 20), (r"des centaines de|plusieurs centaines de", 200),
    (r"des milliers de|plusieurs milliers de", 2000),
    (r"dezenas de|várias dezenas de", 20), (r"centenas de|várias centenas de", 200), (r"milhares de|vários milhares de", 2000),
    (r"dziesiątki|kilkadziesiąt", 20), (r"setki|kilkaset", 200), (r"tysiące|kilka tysięcy", 2000),
    (r"desiatky|niekoľko desiatok", 20), (r"stovky|niekoľko stoviek", 200), (r"tisíce|tisícky|niekoľko tisíc", 2000),
)]
_ANY_COLLECTIVE = re.compile("|".join(r.pattern for r, _, _ in _COLLECTIVES), re.I)
_ANY_VAGUE = re.compile("|".join(r.pattern for r, _ in _VAGUE), re.I)

_MULTIPLIER_AFTER = re.compile(
    r"\s*(thousand|tys\.|tys(?!\w)|tysięcy|tysiące|tysiąca|тыс\.|тыс(?!\w)|тысяч[аи]?|mil(?!\w)|mille(?!\w)|tisíc[e]?|tis\.|tis(?!\w)|(?<=\d)k(?!\w)|"
    r"millions?|mln\.?|млн\.?|миллион\w*|millón|millones|milhão|milhões|milión\w*|milion\w*)", re.I)
_MULTIPLIER_VALUES = {"thousand": 1000, "tys": 1000, "tysięcy": 1000, "tysiące": 1000, "tysiąca": 1000, "тыс": 1000,
                      "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "mil": 1000, "mille": 1000, "tisíc": 1000, "tisíce": 1000,
                      "tis": 1000, "k": 1000}  # "1,2 tis. osôb", "1.2k detained"
_DIGITS = re.compile(r"(?<![\w.,:/])(\d{1,3}(?:([,.\u00a0\u202f ])\d{3})(?:\2\d{3})*|\d+(?:[.,]\d+)?)(?!\d|[.,:/]\d)")

MONTHS = (
    r"january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|"
    r"sept?|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    r"diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|januára|februára|marca|"
    r"apríla|mája|júna|júla|augusta|septembra|októbra|novembra|decembra|január|február|marec|apríl|máj|jún|júl|"
    r"október|stycznia|lutego|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|styczeń|"
    r"luty|marzec|kwiecień|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień|января|февраля|марта|"
    r"апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|январь|февраль|март|апрель|май|июнь|июль|август|"
    r"сентябрь|октябрь|ноябрь|декабрь|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|er)?\.?"
_NOT_COUNT_SPANS = [re.compile(p, re.I) for p in (
    rf"(?<![\d.,]){_DAY}(?:\s*(?:[-–—]|по|do|to|al|a|au|até|and|y|e|et|i|и)\s*(?:el\s+|le\s+|o\s+|the\s+)?{_DAY})?"
    rf"\s+(?:of\s+|de\s+)?(?:{MONTHS})\.?(?!\w)(?:,?\s+(?:de\s+)?\d{{4}})?",
    rf"(?<!\d )(?<!\d\. )(?<!\w)(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{{1,2}})?(?!\d)(?:,?\s+\d{{4}})?",
    r"(?<!\w)(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira)\s+\d{1,2}(?!\d)(?![.,]\d)",
    r"(?<![\d.])\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)", r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)",
    r"(?<![\d.,])\d{1,2}[:h]\d{2}(?!\d)",
    r"(?<![\d.,])\d{1,2}(?:[.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm|h|hrs|heures|godz\.?|ч\.)(?!\w)",
    r"(?<!\w)(?:(?:aged?|âgé(?:e|s|es)?|(?:de|con|com) (?:edad(?:es)?|idade(?:s)?)|в возрасте|w wieku|vo veku)"
    r"(?:\s+(?:between|de|entre|от|od|from))?|ages of|between the ages of|age of|de \d+ ans|№|no\.|nr\.?|n°|#|article|art\.|section|paragraph|§|resolution|decree|"
    r"статья|статьи|ст\.|čl\.|godz\.?|o godz\.|rue|calle|rua|ulica|ul\.|ул\.|дом|house|box|route|km)\s*\d+"
    r"(?:\s*(?:-|to|and|a|y|à|et|e|и|до|do)\s*\d+(?!\d))?",
    r"[$€£]\s*\d[\d.,]*",
    r"(?<!\w)(?:at|à|a las|às|в)\s+\d{1,2}(?:[.:]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm|o'clock|h(?!\w)|heures|horas|часов|час)",
    # a numbered place: "polling station 47", "colegio electoral 12", "bureau de vote 3", "участок 47", "okrsok 5"
    r"(?<!\w)(?:polling (?:station|place|booth|centre|center)|precinct|school|room|building|gate|block|platform|bus|"
    r"colegio electoral|mesa|escuela|bureau de vote|salle|école|seção eleitoral|seção|escola|sala|"
    r"(?:избирательн\w+ )?участ(?:ок|ка|ке|ку)|школ[аеуы]|корпус[ае]?|okręg\w*|obwod\w*|lokal\w* wyborcz\w*|szkoł\w*|"
    r"okrs(?:ok|ku)|volebn\w+ miestnost\w*|škol[aey])\s+\d{1,4}(?![\d.,]\d)"
    r"(?=\s*(?:[.,;:)]|$)|\s+(?:in|on|at|of|de|du|en|em|в|на|w|v|z|and|et|y|e|и|i|a)\s)",  # not "в школе 12 человек"
    # an address, the street named before its number: "на улице Садовой, 14.", "calle Mayor 12,", "rua Augusta, 300"
    r"(?<!\w)(?:улиц[аеуы]|ул\.|проспект[ае]?|переулк[ае]|переулок|площад[ьи]|calle|avenida|av\.|rua|travessa|praça|plaza|"
    r"ulic[ayę]|ul\.|ulici|ulica|námest\w*|rue|avenue|boulevard)\s+(?:[^\W\d]+\s+){0,3}?[^\W\d]+,?\s*\d{1,4}(?!\d)"
    r"(?=\s*(?:[.,;:)]|$))",
    # the start of a range of durations: "for between 5 and 15 days", "de 10 a 15 días", "на 10-15 суток"
    r"(?<![\d.,])\d+\s*(?:[-–—]|to|and|or|a|y|à|et|e|ou|o|i|lub|alebo|или|и|до|do|až)\s*(?=\d+\s*(?:hours?|days?|weeks?|months?|"
    r"years?|horas?|días?|dias?|semanas?|meses|heures?|jours?|semaines?|mois|ans|godzin\w*|dni|tygodni\w*|hod(?:ín|iny)|"
    r"dn(?:í|i)|týždňov|час\w*|дн(?:ей|я)|сут\w*|недел\w*|месяц\w*|лет)(?!\w))",
)] + [re.compile(r"(?<!\w)May\s+\d{1,2}(?!\d)"), re.compile(r"(?<![\d.,])\d{1,2}\s+May(?!\w)"),
      # an address, the number before the street: "at 3 Canal Street", "au 15, rue de la Paix"
      re.compile(r"(?<![\w.,])\d{1,4}\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:Street|Road|Avenue|Lane|Boulevard|Square|Drive|Way|Place|St|Rd|Ave)"
                 r"(?!\w)"),
      re.compile(r"(?<![\w.,])\d{1,4}(?:\s*bis)?,?\s+(?:rue|avenue|boulevard|allée|impasse|chemin|place) (?:de|du|des|d['’])", re.I)]
_NOT_COUNT_AFTER = re.compile(
    r"\.[IVX]{1,4}(?![\w.]?\d)(?!\w)|"  # "12.XI": a day and a Roman-numeral month
    r"(?:\s*-?\s*(?:year|yr)s?\s*-?\s*old|-?(?:летн|ročn|roční|letni|letn|годовал)\w*|(?:st|nd|rd|th|er|e|º|ª)(?!\w)|\s*%|"
    r"\s+(?:percent|per cent|por ciento|por cento|pour cent|procent\w*|percent\w*|процент\w*|"
    r"hours?|days?|weeks?|months?|years?|minutes?|nights?|decades?|horas?|días?|dias?|semanas?|meses|mes|mês|minutos?|"
    r"heures?|jours?|semaines?|mois|ans|années?|nuits?|"
    r"anos?|años?|hod(?:ín|iny|ina|in)?|dn(?:í|i|ia)|dni|dnia|týžd\w*|tygodni\w*|miesi\w*|godzin\w*|minut\w*|lat|lata|"
    r"rok(?:ov|y|u)?|час\w*|дн(?:ей|я)|день|сут\w*|недел\w*|месяц\w*|минут\w*|лет|год\w*|"
    r"km|kilomet\w*|miles?|met(?:er|re)s?|mètres|км|kg|tons?|tonnes|votes?|votos|voix|голос\w*|głos\w*|hlas\w*|"
    r"polling (?:stations?|places|booths|cent(?:re|er)s)|precincts?|seats?|escaños|sièges|мест|mandat\w*|"
    r"cases|incidents?|complaints?|reports|claims|cars|vehicles|buildings|shops|stores|offices|homes|houses|stations|"
    r"districts|regions|cities|towns|provinces|villages|videos|photos|statements|times|rounds|shots|"
    r"casos|denuncias|incidentes|vehículos|edificios|comercios|ciudades|provincias|disparos|"
    r"cas|plaintes|véhicules|voitures|bâtiments|magasins|villes|communes|tirs|"
    r"denúncias|veículos|carros|edifícios|lojas|cidades|províncias|tiros|"
    r"случа\w*|жалоб\w*|автомобил\w*|машин\w*|здани\w*|магазин\w*|город\w*|област\w*|район\w*|выстрел\w*|"
    r"przypadk\w*|skarg\w*|samochod\w*|budyn\w*|miast\w*|prípad\w*|sťažnost\w*|áut|budov|miest|"
    r"dollars?|usd|euros?|eur|€|рубл\w*|сом\w*|złot\w*|zł|reais|bolívares|pesos|meticais|shillings|tenge|francs?|dirhams?)(?!\w)|"
    rf"\s+(?:of\s+|de\s+)?(?:{MONTHS})\.?(?!\w)|-[^\W\d_])",
    re.I)


def _gate_ok(word: str, lang: str | None) -> bool:
    gate = _GATE.get(word)
    return gate is None or (lang is not None and lang in gate.split())


def _entry(word: str, lang: str | None, previous: str | None):
    if not _gate_ok(word, lang):
        return None
    if word in _DUAL:
        return _DUAL[word][1] if previous == UNIT else _DUAL[word][0]
    return WORDS.get(word)


def not_count_spans(masked: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for regex in _NOT_COUNT_SPANS for m in regex.finditer(masked)]


def digit_numbers(masked: str) -> list[Number]:
    numbers = []
    for m in _DIGITS.finditer(masked):
        raw, sep = m.group(1), m.group(2)
        if m.start() >= 2 and masked[m.start() - 1] == "-" and masked[m.start() - 2].isalpha():
            continue  # COVID-19, Su-25
        end = m.end()
        mult_match = _MULTIPLIER_AFTER.match(masked, end)
        multiplier = 1
        if mult_match:
            word = mult_match.group(1).lower().rstrip(".")
            multiplier = _MULTIPLIER_VALUES.get(word, 1_000_000 if word[0] in "mм" and word not in ("mil", "mille") else 1000)
            end = mult_match.end()
        if sep and not (multiplier > 1 and sep in ".," and raw.count(sep) == 1):
            value = int(re.sub(r"\D", "", raw)) * multiplier
        elif re.fullmatch(r"\d+[.,]\d+", raw):
            if multiplier == 1:
                continue  # a decimal is never a head count
            value = round(float(raw.replace(",", ".")) * multiplier)
        else:
            value = int(raw) * multiplier
        numbers.append(Number(m.start(), end, value))
    return numbers


def word_numbers(masked: str, lang: str | None) -> list[Number]:
    numbers: list[Number] = []
    taken: list[tuple[int, int]] = []

    def take(start: int, end: int, value: int, **kw) -> None:
        if not any(s < end and start < e for s, e in taken):
            numbers.append(Number(start, end, value, **kw))
            taken.append((start, end))

    for m in _HALF.finditer(masked):
        unit = next(g for g in m.groups() if g).lower()
        take(m.start(), m.end(), _HALF_VALUES[unit], qualifier="about")
    collectives = _COLLECTIVES if _ANY_COLLECTIVE.search(masked) else []
    vague = _VAGUE if _ANY_VAGUE.search(masked) else []
    # longest first: "half a dozen" is six, not "a dozen" with a word before it
    found = sorted(((m, value, qualifier) for regex, value, qualifier in collectives for m in regex.finditer(masked)),
                   key=lambda f: (f[0].start() - f[0].end(), f[0].start()))
    for m, value, qualifier in found:
        text = m.group().lower()
        if value is None and "dozen" in text:
            take(m.start(), m.end(), _DOZENS[text.split()[0]], qualifier=qualifier)
        elif value is None and "десят" in text:
            take(m.start(), m.end(), _RU_TENS[text.split()[0]], qualifier=qualifier)
        else:
            take(m.start(), m.end(), value, qualifier=qualifier)
    for regex, value in vague:
        for m in regex.finditer(masked):
            word = m.group().lower()
            if word in _GENITIVE_ONE:
                following = re.match(r"\s+([^\W\d_]+)", masked[m.end():])
                preceding = re.search(r"([^\W\d_]+)\s+$", masked[:m.start()])
                if (following and is_number_word(following.group(1), lang)) or \
                        (preceding and is_number_word(preceding.group(1), lang)):
                    continue  # "более тысячи двухсот", "две тысячи", "одной тысячи": a number phrase, not "thousands"
                if _GENITIVE_GOVERNOR.search(masked, 0, m.start()):
                    take(m.start(), m.end(), _GENITIVE_ONE[word])  # "более тысячи": more than one thousand
                    continue
            take(m.start(), m.end(), value, qualifier="at_least")
    for m in _ORDINAL_DEATH.finditer(masked):
        take(m.start(1), m.end(1), ORDINALS[m.group(1).lower()], kind="ordinal")
    tokens = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[^\W\d_]+", masked)
              if not any(s <= m.start() < e for s, e in taken)]
    i = 0
    while i < len(tokens):
        run, j, end = _word_run(masked, tokens, i, lang)
        if run:
            numbers.append(Number(tokens[i][0], end, _combine(run)))
            i = j
        else:
            i += 1
    return numbers


def _word_run(masked: str, tokens: list[tuple[int, int, str]], i: int, lang: str | None):
    """The longest well-formed number phrase starting at token i: (parts, next token, end offset)."""
    run: list[tuple[int, str]] = []
    j, end = i, tokens[i][1]
    if tokens[i][2] in ("a", "an", "un", "um") and i + 1 < len(tokens) and \
            tokens[i + 1][2] in ("hundred", "thousand", "million", "millón", "milhão") and \
            masked[end:tokens[i + 1][0]].strip() == "":
        run.append((1, UNIT))
        j = i + 1
    while j < len(tokens):
        if j > i and masked[end:tokens[j][0]].strip() not in ("", "-"):
            break
        word = tokens[j][2]
        # French vigesimals: quatre-vingt(s) 80, soixante-dix 70, quatre-vingt-dix 90
        if word == "quatre" and j + 1 < len(tokens) and tokens[j + 1][2] in ("vingt", "vingts") and \
                masked[tokens[j][1]:tokens[j + 1][0]] in ("-", " "):
            if run and TEN not in _JOIN[run[-1][1]]:
                break
            run.append((80, TEN))
            end = tokens[j + 1][1]
            j += 2
            continue
        entry = _entry(word, lang, run[-1][1] if run else None)
        if entry is None:
            if run and word in _CONNECTORS and j + 1 < len(tokens) and \
                    masked[tokens[j][1]:tokens[j + 1][0]].strip() == "":
                following = _entry(tokens[j + 1][2], lang, run[-1][1])
                if following and run[-1][1] in (TEN, HUND, HMUL, MUL) and \
                        (following[1] in _JOIN[run[-1][1]] or (run[-1] == (60, TEN) and following == (11, TEEN))):
                    end = tokens[j][1]
                    j += 1
                    continue
            break
        value, cls = entry
        if run and run[-1] in ((60, TEN), (80, TEN)) and (cls == TEEN or (value, cls) == (10, TEN)) and value < 20:
            run[-1] = (run[-1][0] + value, TEN)  # soixante-dix, quatre-vingt-douze
            end = tokens[j][1]
            j += 1
            continue
        if run and run[-1] == (10, TEEN) and tokens[j - 1][2] == "dix" and cls == UNIT and 7 <= value <= 9:
            run[-1] = (10 + value, TEEN)  # dix-sept, dix-huit, dix-neuf
            end = tokens[j][1]
            j += 1
            continue
        if run and cls not in _JOIN[run[-1][1]]:
            break
        if not run and (cls == HMUL or (cls == MUL and word not in _STANDALONE_MUL) or word in _NO_START):
            break
        run.append((value, cls))
        end = tokens[j][1]
        j += 1
    return run, j, end


def _combine(run: list[tuple[int, str]]) -> int:
    total = current = 0
    for value, cls in run:
        if cls == MUL:
            total += (current or 1) * value
            current = 0
        elif cls == HMUL:
            current = (current or 1) * value
        else:
            current += value
    return total + current


def is_number_word(word: str, lang: str | None) -> bool:
    return word.lower() in WORDS and _gate_ok(word.lower(), lang)


# things, not people, even with an adjective between: "the 3 largest cities", "at 3 hospitals"
_THINGS_AFTER = re.compile(
    r"\s+(?:[^\W\d]+\s+)?(?:cities|towns|hospitals|clinics|stations|districts|regions|provinces|villages|streets|buildings|"
    r"ciudades|hospitales|clínicas|provincias|barrios|calles|villes|hôpitaux|cliniques|quartiers|rues|régions|"
    r"cidades|hospitais|bairros|ruas|províncias|больниц(?:ы|ах|ам)?(?!\w)|город\w*|област\w*|район\w*|улиц\w*|"
    r"szpital\w*|miast\w*|województw\w*|nemocnic\w*|miest\w*|krajov\w*)(?!\w)", re.I)


def not_count_after(masked: str, end: int) -> bool:
    return bool(_NOT_COUNT_AFTER.match(masked, end) or _THINGS_AFTER.match(masked, end))
