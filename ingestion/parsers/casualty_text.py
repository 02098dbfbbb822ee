"""Casualty figures read from bulletin prose: which number counts which casualties, and how firmly.

Ministries, police and NGOs publish their counts as sentences, not tables, in English, Spanish,
Portuguese, Slovak, Polish and Russian. A figure is only worth keeping if the number is really in
the sentence and is really a count of people: dates, times, ages, durations, percentages and
parenthetical breakdowns are never figures, and a number without a casualty word in its clause is
dropped rather than guessed. Each figure keeps its sentence verbatim as evidence so a reader can
check the reading.

How a number finds its metric, in order:
1. a casualty word just before it ("the toll rose to 40", "detention of 12", "госпитализированы 30");
2. the first predicate after it in its clause ("30 wounded protesters were hospitalized" -> hospitalized);
3. a casualty word earlier in its clause ("the count of people hurt in the unrest has reached 300");
4. the same searches across commas, up to the neighbouring numbers (ellipsis: "4 arrested on Monday, and 9 on Tuesday");
5. "the police figure of 600" takes the metric of the previous figure in the text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

METRICS = ("dead", "injured", "hospitalized", "icu", "discharged", "detained")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to")
LANGUAGES = ("en", "es", "pt", "sk", "pl", "ru")
EXTRACTOR_VERSION = "1"  # bumped on every behaviour change: the derive stage re-reads every bulletin


class UnsupportedLanguage(ValueError):
    """The text is in a language the extractor does not read (the message names it and the languages read)."""


@dataclass(frozen=True)
class CasualtyFigure:
    metric: str        # one of METRICS
    value: int
    value_high: int | None   # upper end of a range ("10-15 injured"), else None
    qualifier: str     # one of QUALIFIERS
    evidence: str      # the sentence the figure came from, verbatim from the input


# --- lexicons -------------------------------------------------------------------------------
# (metric, kind, pattern). kind "verb" binds a number only when directly next to it
# ("arrested 12"); kind "noun" also across linking words ("the toll has reached 20").
_V, _N = "verb", "noun"
_METRIC_PATTERNS: list[tuple[str, str, str]] = [
    # dead
    ("dead", _V, r"killed|died|dead|perished|murdered|shot dead|fatally (?:shot|wounded|injured)"),
    ("dead", _V, r"lost (?:their|his|her) li(?:fe|ves)"),
    ("dead", _N, r"death tolls?|tolls?|deaths?|fatalit(?:y|ies)|murders?|lives"),
    ("dead", _V, r"muert[oa]s?|fallecid[oa]s?|falleci(?:ó|eron)|muri(?:ó|eron)|asesinad[oa]s?|perdi(?:ó|eron) la vida"),
    ("dead", _N, r"muertes?|asesinatos?|homicidios?|víctimas? mortal(?:es)?"),
    ("dead", _V, r"mort[oa]s?|morre(?:u|ram)|morrido|falece(?:u|ram)|assassinad[oa]s?|perde(?:u|ram) a vida"),
    ("dead", _N, r"mortes?|óbitos?|vítimas? mortai?s"),
    ("dead", _V, r"mŕtv\w*|zahynul\w*|zomrel\w*|prišl\w* o život|usmrten\w*"),
    ("dead", _N, r"obet\w*|obeť\w*|úmrt\w*"),
    ("dead", _V, r"zgin\w*|zabit\w*|zmarł\w*|zmarli|nie żyj\w*"),
    ("dead", _N, r"śmier[ćc]\w*|ofiar\w* śmierteln\w*|zabójstw\w*"),
    ("dead", _V, r"погиб\w*|скончал\w*|умер(?:ли|ла|ло)?|умерш\w*|убит\w*"),
    ("dead", _N, r"смерт\w*|летальн\w* исход\w*"),
    # injured
    ("injured", _V, r"injured|wounded|hurt|shot and (?:wounded|injured)"),
    ("injured", _V, r"shot(?! (?:at|was|were|fired|in the air))"),
    ("injured", _V, r"(?:sought|seeking|sought out|requested) (?:medical )?(?:help|assistance|attention|treatment|care)"),
    ("injured", _V, r"turned to (?:the )?(?:health(?:care)?|medical) (?:facilities|organi[sz]ations|institutions|centers|centres)"),
    ("injured", _V, r"applied for medical (?:help|assistance)|(?:received|sustained|suffered) health damage"),
    ("injured", _N, r"injur(?:y|ies)|health damage"),
    ("injured", _V, r"resultaron herid[oa]s|herid[oa]s?|lesionad[oa]s?|balead[oa]s?|ficaram ferid[oa]s|ferid[oa]s?"),
    ("injured", _N, r"lesiones"),
    ("injured", _V, r"zranen\w*|zranil\w*|ranen\w*|poranen\w*"),
    ("injured", _N, r"zraneni\w*"),
    ("injured", _V, r"rann\w*|poszkodowan\w*|zranion\w*|(?:zgłosił\w*|trafił\w*) po pomoc medyczn\w*"),
    ("injured", _N, r"obraże\w*"),
    ("injured", _V, r"пострада\w*|ранен\w*|травмирован\w*"),
    ("injured", _V, r"(?:обратил\w*|обращал\w*) за (?:медицинской |медицинскую |медико-санитарной )?(?:помощью|медпомощью)"),
    ("injured", _V, r"за (?:медицинской |медико-санитарной )?(?:помощью|медпомощью) обратил\w*"),
    ("injured", _V, r"обратил\w* в (?:организации здравоохранения|медицинские (?:учреждения|организации)|медучреждения|больниц\w*)"),
    ("injured", _V, r"в (?:организации здравоохранения|медицинские (?:учреждения|организации)|медучреждения) обратил\w*"),
    ("injured", _N, r"травм\w*|ранени\w*|(?:телесные )?повреждени\w*"),
    # hospitalized
    ("hospitalized", _V, r"hospitali[sz]ed|admitted to (?:the )?hospitals?|taken to (?:the )?hospitals?|"
                         r"(?:hospitals?|clinics?) (?:have |had )?admitted|"
                         r"admitted to (?:the |a )?(?:\w+ )?(?:hospitals?|centres?|centers?|clinics?|wards?)"),
    ("hospitalized", _V, r"in (?:the )?hospitals?|in (?:the )?(?:medical|health(?:care)?) (?:facilities|institutions)"),
    ("hospitalized", _N, r"hospitali[sz]ations?|hospital treatment"),
    ("hospitalized", _V, r"hospitalizad[oa]s?|ingresad[oa]s?|internad[oa]s?|en (?:el |los )?hospital(?:es)?|(?:em|nos|no) hospita(?:l|is)"),
    ("hospitalized", _N, r"internaç(?:ão|ões)"),
    ("hospitalized", _V, r"hospitalizova\w*|v nemocnic\w*|do nemocnice"),
    ("hospitalized", _N, r"nemocničn\w* (?:ošetreni\w*|starostlivos\w*)"),
    ("hospitalized", _V, r"hospitalizowan\w*|trafił\w* do szpital\w*|w szpital\w*"),
    ("hospitalized", _V, r"госпитализ\w*|в (?:больниц\w*|стационар\w*|медицинских учреждениях|медучреждениях)"),
    ("hospitalized", _N, r"стационарн\w* лечени\w*"),
    # icu
    ("icu", _N, r"intensive[- ]care(?: units?)?|icu|critical care"),
    ("icu", _N, r"(?:unidad(?:es)? de |unidade(?:s)? de )?(?:cuidados|terapia) intensiv[ao]s?|uci|uti"),
    ("icu", _N, r"(?:jednotk\w* |oddelen\w* )?intenzívn\w* starostlivos\w*|jis|ario"),
    ("icu", _N, r"(?:oddzia\w* )?intensywnej terapii|oiom\w*"),
    ("icu", _N, r"(?:отделени\w* )?реанимаци\w*|интенсивной терапии"),
    # discharged
    ("discharged", _V, r"discharged|released (?:from (?:the )?hospitals?|home)|sent home"),
    ("discharged", _V, r"dad[oa]s de alta|recibieron el alta|(?:receberam|tiveram) alta"),
    ("discharged", _V, r"prepusten\w* (?:z nemocnice|domov)|wypisan\w*|wypisano"),
    ("discharged", _V, r"выписан\w*|выписал\w*|отпущен\w* (?:домой|на амбулаторное лечение)"),
    # detained
    ("detained", _V, r"detained|arrested|apprehended|jailed|taken into custody"),
    ("detained", _N, r"detainees?|detentions?|arrests?"),
    ("detained", _V, r"detenid[oa]s?|arrestad[oa]s?|aprehendid[oa]s?|pres[oa]s|detid[oa]s?"),
    ("detained", _N, r"detenci(?:ón|ones)|arrestos?|detenç(?:ão|ões)"),
    ("detained", _V, r"zadrža\w*|zatknut\w*|zatrzyma\w*|aresztowa\w*"),
    ("detained", _V, r"задержа\w*|арестова\w*"),
    ("detained", _N, r"арест\w*"),
    # predicates that own a number without counting casualties ("350,000 others displaced")
    ("", _V, r"displaced|evacuated|missing|released|freed|rescued|affected|desplazad[oa]s|desaparecid[oa]s|"
             r"deslocad[oa]s|liberad[oa]s|libertad[oa]s|evacuad[oa]s|zaginęł\w*|zwolnion\w*|ewakuowan\w*|"
             r"nezvestn\w*|prepusten\w*|evakuovan\w*|эвакуирован\w*|пропал\w*|освобожден\w*|отпущен\w*"),
]
_METRIC_RES = [(m, k, re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I)) for m, k, p in _METRIC_PATTERNS]
# nouns that name the counted group itself ("40 detainees needed treatment in hospital")
_GROUP_NOUN = re.compile(r"detainees?", re.I)

_PERSON_NOUNS = (
    r"people|persons?|individuals|victims|protest[eo]rs?|demonstrators?|civilians?|officers?|police(?: ?(?:wo)?m[ae]n| officers?)?|"
    r"patients?|citizens?|m[ae]n|wom[ae]n|child(?:ren)?|students?|soldiers?|members?|employees|inmates|detainees|"
    r"journalists|residents|bystanders|youths|teenagers|others|"
    r"personas?|pessoas?|manifestantes|civiles|civis|policías|policiais|agentes|militares|ciudadanos|cidadãos|"
    r"hombres|homens|mujeres|mulheres|niños|crianças|menores|estudiantes|estudantes|"
    r"ľudí|ľudia|osôb|osoby|osób|ludzi|demonštrantov|policajtov|policajti|demonstrantów|policjantów|funkcjonariuszy|"
    r"человека?|людей|граждан|митингующих|протестующих|сотрудник\w*|полицейских|милиционеров"
)
_PERSON_AFTER = re.compile(rf"\s+(?:of (?:them|whom)\s+)?(?:{_PERSON_NOUNS})(?!\w)", re.I)
_SINGULAR_PERSON = {
    "en": r"man|woman|person|protest[eo]r|demonstrator|police(?:wo)?man|officer|soldier|child|boy|girl|student|"
          r"journalist|teenager|youth|voter|bystander|resident|citizen|civilian|member|guard|worker|driver",
    "es": r"hombre|mujer|persona|manifestante|policía|agente|militar|soldado|joven|niñ[oa]|menor|estudiante|periodista|"
          r"miembro",
    "pt": r"homem|mulher|pessoa|manifestante|policial|polícia|agente|militar|soldado|jovem|criança|menor|estudante|"
          r"jornalista|membro",
}
_ARTICLES = {"en": r"an?", "es": r"una?", "pt": r"uma?"}
_ARTICLE_FILLER_STOP = {"had", "has", "have", "was", "were", "is", "are", "been", "be", "and", "or", "of", "the",
                        "by", "who", "that", "which", "in", "on", "at", "with", "from", "to", "for", "number",
                        "lot", "total", "group", "crowd", "mob", "further", "few", "couple", "dozen", "que", "de",
                        "do", "da", "el", "la", "o"}

# qualifier phrases, matched just before the number
_QUALIFIER_PHRASES: dict[str, list[str]] = {
    "at_least": ["at least", "no fewer than", "no less than", "not less than", "a minimum of", "pelo menos",
                 "ao menos", "no mínimo", "al menos", "por lo menos", "como mínimo", "co najmniej",
                 "przynajmniej", "najmenej", "aspoň", "minimálne", "не менее", "не меньше", "по меньшей мере",
                 "как минимум", "минимум"],
    "more_than": ["more than", "over", "in excess of", "upwards of", "above", "mais de", "más de", "ponad",
                  "przeszło", "więcej niż", "powyżej", "viac ako", "viac než", "vyše", "более чем", "более",
                  "больше чем", "больше", "свыше"],
    "about": ["about", "around", "approximately", "approx.", "approx", "roughly", "some", "nearly", "almost",
              "close to", "an estimated", "estimated", "circa", "cerca de", "aproximadamente", "alrededor de",
              "unos", "unas", "casi", "quase", "por volta de", "em torno de", "około", "ok.", "blisko", "prawie",
              "niemal", "mniej więcej", "približne", "asi", "okolo", "takmer", "skoro", "около", "почти",
              "примерно", "порядка", "приблизительно"],
    "up_to": ["up to", "as high as", "as many as", "not more than", "no more than", "até", "hasta", "no más de",
              "não mais de", "až", "nie więcej niż", "не более", "не больше", "до"],
}
_QUALIFIER_RES = sorted(
    ((q, re.compile(rf"(?:^|(?<=[\s(,;:\"'«]))({re.escape(p)})\s*$", re.I)) for q, ps in _QUALIFIER_PHRASES.items() for p in ps),
    key=lambda item: -len(item[1].pattern),
)
_ABOUT_AS_TOPIC = re.compile(r"(?<!\w)(?:known|know|knows|spoke|speaks|talked|talks|learned|heard|wrote|writes|"
                             r"information|data|news)\s*$", re.I)
_POST_AT_LEAST = re.compile(r"\s*(?:\w+\s+)?(?:or more|and more|o más|ou mais|lub więcej|i więcej|alebo viac|a viac|"
                            r"и более|и больше|или более)(?!\w)", re.I)

_LINKERS = (r"of|to|at|is|was|were|are|stands?|stood|now|has|had|have|been|be|could|would|may|might|already|"
            r"officially|rose|risen|rising|rises|increased|increasing|increases|climbed|climbing|reached|reaching|"
            r"reach|put|totals?|totall?ed|amounted|amounts|then|de|en|em|para|ascendió|ascendía|asciende|ascende|"
            r"ascendeu|subió|subiu|aumentó|aumentou|chegou|chega|llegó|llega|alcanzó|alcançou|alcanza|é|es|fue|"
            r"foi|era|na|wyniosła|wynosi|wzrosła|wzrósł|sięga|sięgnęła|je|bolo|stúpol|stúpla|dosiahol|dosiahla|"
            r"составило|составляет|составил|составила|достигло|достиг|достигла|выросло|выросла|возросло|возросла|"
            r"увеличилось|увеличилась|уже|до")
_NOUN_GAP = re.compile(rf"(?:\s|[:—–]|(?<!\w)(?:{_LINKERS})(?!\w))*$", re.I)
_NOUN_GAP_ES_PT = re.compile(rf"(?:\s|[:—–]|(?<!\w)(?:{_LINKERS}|a)(?!\w))*$", re.I)
_VERB_GAP = re.compile(r"\s*(?:[:—–]\s*)?$")
_ANAPHORA = re.compile(r"(?<!\w)(?:figure|tally|count|cifra|número|число|liczba|počet)\s+(?:(?:of|at|is|was|stands? at|"
                       r"stood at|de|do|da|в|составляет|составило)\s+)?$", re.I)
_NEGATION = re.compile(r"(?<!\w)(?:no|not|none|ни|ani|nem|nenhum|ningún|ninguna|nikt)\s*$", re.I)
_ICU_FROM = re.compile(r"(?<!\w)(?:from|out of|из|z|zo|salieron de|saíram d[aoe])\s+(?:the\s+|la\s+|a\s+)?$", re.I)
_DELTA_AFTER = re.compile(r"\s*(?:more|additional|further|new|más|ещё|еще)(?!\w)", re.I)
_DELTA_BEFORE = re.compile(r"(?<!\w)(?:another|a further|an additional|ещё|еще)\s*$", re.I)
_RISE_FROM = re.compile(r"(?<!\w)(?:rose|risen|rising|increased|climbed|grew|went up|jumped|subió|aumentó|subiu|aumentou|"
                        r"wzrosła|wzrósł|stúpol|stúpla|вырос\w*|возрос\w*|увеличил\w*)\s+(?:\w+\s+){0,3}?(?:from|de|z|с)\s*$", re.I)

# --- numbers -------------------------------------------------------------------------------
_UNIT, _TEEN, _TEN, _HUND, _HMUL, _MUL = "unit", "teen", "ten", "hund", "hmul", "mul"
_WORD_TABLE: list[tuple[str, int, str]] = []


def _words(cls: str, value: int, *forms: str) -> None:
    for form in forms:
        _WORD_TABLE.append((form, value, cls))


for _v, _forms in {
    1: "one jeden jedna jedno jedného jednej jednemu jednego uno один одна одно одного одной одному",
    2: "two dos dois duas dva dve dvaja dvoch dvom dwa dwie dwóch dwoje dwaj dwu два две двое двух",
    3: "three tres três tri traja troch trzy trzej trzech troje три трое трех трёх",
    4: "four cuatro quatro štyri štyria štyroch cztery czterej czterech czworo четыре четверо четырех четырёх",
    5: "five cinco päť piati piatich pięć pięciu pięcioro пять пятеро пяти",
    6: "six seis šesť šiesti šiestich sześć sześciu шесть шестеро шести",
    7: "seven siete sete sedem siedmi siedmich siedem siedmiu семь семеро семи",
    8: "eight ocho oito osem ôsmi ôsmich osiem ośmiu восемь восьмеро восьми",
    9: "nine nueve nove deväť deviati deviatich dziewięć dziewięciu девять девяти",
}.items():
    _words(_UNIT, _v, *_forms.split())
for _v, _forms in {
    10: "ten diez dez desať desiati desiatich dziesięć dziesięciu десять десяти",
    11: "eleven once onze jedenásť jedenaście одиннадцать", 12: "twelve doce doze dvanásť dwanaście двенадцать",
    13: "thirteen trece treze trinásť trzynaście тринадцать", 14: "fourteen catorce quatorze štrnásť czternaście четырнадцать",
    15: "fifteen quince quinze pätnásť piętnaście пятнадцать", 16: "sixteen dieciséis dezesseis dezasseis šestnásť szesnaście шестнадцать",
    17: "seventeen diecisiete dezessete dezassete sedemnásť siedemnaście семнадцать",
    18: "eighteen dieciocho dezoito osemnásť osiemnaście восемнадцать",
    19: "nineteen diecinueve dezenove dezanove devätnásť dziewiętnaście девятнадцать",
}.items():
    _words(_TEEN, _v, *_forms.split())
for _v, _forms in {
    20: "twenty veinte vinte dvadsať dwadzieścia dwudziestu двадцать двадцати", 30: "thirty treinta trinta tridsať trzydzieści тридцать тридцати",
    40: "forty cuarenta quarenta štyridsať czterdzieści сорок сорока", 50: "fifty cincuenta cinquenta päťdesiat pięćdziesiąt пятьдесят",
    60: "sixty sesenta sessenta šesťdesiat sześćdziesiąt шестьдесят", 70: "seventy setenta sedemdesiat siedemdziesiąt семьдесят",
    80: "eighty ochenta oitenta osemdesiat osiemdziesiąt восемьдесят", 90: "ninety noventa deväťdesiat dziewięćdziesiąt девяносто",
}.items():
    _words(_TEN, _v, *_forms.split())
for _v, _forms in {
    100: "cien ciento cem cento sto stu сто ста", 200: "doscientos doscientas duzentos duzentas dvesto dwieście двести",
    300: "trescientos trescientas trezentos trezentas tristo trzysta триста", 400: "cuatrocientos cuatrocientas quatrocentos štyristo czterysta четыреста",
    500: "quinientos quinientas quinhentos päťsto pięćset пятьсот", 600: "seiscientos seiscentos šesťsto sześćset шестьсот",
    700: "setecientos setecentos sedemsto siedemset семьсот", 800: "ochocientos oitocentos osemsto osiemset восемьсот",
    900: "novecientos novecentos deväťsto dziewięćset девятьсот",
}.items():
    _words(_HUND, _v, *_forms.split())
_words(_HMUL, 100, "hundred", "сотни", "сотен")
_words(_MUL, 1000, "thousand", "thousands", "mil", "tisíc", "tisíce", "tysiąc", "tysiące", "tysięcy", "тысяча", "тысячи", "тысяч")
_words(_MUL, 1_000_000, "million", "millions", "millón", "millones", "milhão", "milhões", "milión", "milióny",
       "miliónov", "milion", "miliony", "milionów", "миллион", "миллиона", "миллионов")
_NUMBER_WORDS = {form: (value, cls) for form, value, cls in _WORD_TABLE}
_STANDALONE_MUL = {"mil", "tisíc", "tysiąc", "тысяча", "миллион", "millón", "milhão", "milión", "milion"}
_WORD_GATE = {"ten": "en", "once": "es", "dos": "es", "nove": "pt", "sete": "pt", "uno": "es"}
_JOIN = {_UNIT: {_HMUL, _MUL}, _TEEN: {_HMUL, _MUL}, _TEN: {_UNIT, _MUL}, _HUND: {_TEN, _TEEN, _UNIT, _MUL},
         _HMUL: {_TEN, _TEEN, _UNIT, _MUL}, _MUL: {_HUND, _TEN, _TEEN, _UNIT}}
_CONNECTORS = {"and", "y", "e"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "segunda": 2, "tercera": 3, "terceira": 3}
_ORDINAL_DEATH = re.compile(rf"(?<!\w)({'|'.join(_ORDINALS)})\s+(?:confirmed\s+|reported\s+)?"
                            r"(?:death|fatality|victim|muerte|morte|víctima|vítima)(?!\w)", re.I)
_HALF_HUNDRED = re.compile(r"(?<!\w)(?:one and a half (hundred|thousand)|полтор[аы] (сотни|тысячи)|półtor(?:a|ej) (setki|tysiąca))(?!\w)", re.I)
_HALF_VALUES = {"hundred": 150, "thousand": 1500, "сотни": 150, "тысячи": 1500, "setki": 150, "tysiąca": 1500}

_MULTIPLIER_AFTER = re.compile(
    r"\s*(thousand|tys\.|tys(?!\w)|tysięcy|tysiące|tysiąca|тыс\.|тыс(?!\w)|тысяч[аи]?|mil(?!\w)|tisíc[e]?|"
    r"millions?|mln\.?|млн\.?|миллион\w*|millón|millones|milhão|milhões|milión\w*|milion\w*)", re.I)
_MULTIPLIER_VALUES = {"thousand": 1000, "tys": 1000, "tysięcy": 1000, "tysiące": 1000, "tysiąca": 1000, "тыс": 1000,
                      "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "mil": 1000, "tisíc": 1000, "tisíce": 1000}
_DIGITS = re.compile(r"(?<![\w.,:/])(\d{1,3}(?:([,.\u00a0\u202f ])\d{3})(?:\2\d{3})*|\d+(?:[.,]\d+)?)(?!\d|[.,:/]\d)")

_MONTHS = (
    r"january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|"
    r"sept?|oct|nov|dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    r"diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|januára|februára|marca|"
    r"apríla|mája|júna|júla|augusta|septembra|októbra|novembra|decembra|január|február|marec|apríl|máj|jún|júl|"
    r"október|stycznia|lutego|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|styczeń|"
    r"luty|marzec|kwiecień|czerwiec|lipiec|sierpień|wrzesień|październik|listopad|grudzień|января|февраля|марта|"
    r"апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|январь|февраль|март|апрель|май|июнь|июль|август|"
    r"сентябрь|октябрь|ноябрь|декабрь"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\.?"
_NOT_COUNT_SPANS = [re.compile(p, re.I) for p in (
    rf"(?<![\d.,]){_DAY}(?:\s*(?:[-–—]|по|do|to|al|a|até|and|y|e|i|и)\s*{_DAY})?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?(?!\w)(?:,?\s+(?:de\s+)?\d{{4}})?",
    rf"(?<!\w)(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{{1,2}})?(?!\d)(?:,?\s+\d{{4}})?",
    r"(?<![\d.])\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)", r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)",
    r"(?<![\d.,])\d{1,2}[:]\d{2}(?!\d)",
    r"(?<![\d.,])\d{1,2}(?:[.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm|h|hrs|godz\.?|ч\.)(?!\w)",
    r"(?<!\w)(?:aged?|age of|№|no\.|nr\.?|#|article|art\.|section|paragraph|§|resolution|decree|статья|статьи|ст\.|čl\.)\s*\d+",
    r"[$€£]\s*\d[\d.,]*",
)] + [re.compile(r"(?<!\w)May\s+\d{1,2}(?!\d)"), re.compile(r"(?<![\d.,])\d{1,2}\s+May(?!\w)")]
_NOT_COUNT_AFTER = re.compile(
    r"(?:\s*-?\s*(?:year|yr)s?\s*-?\s*old|-?(?:летн|ročn|roční|letni|letn|годовал)\w*|(?:st|nd|rd|th)(?!\w)|\s*%|"
    r"\s+(?:percent|per cent|por ciento|por cento|procent\w*|percent\w*|процент\w*|"
    r"hours?|days?|weeks?|months?|years?|minutes?|nights?|decades?|horas?|días?|dias?|semanas?|meses|mes|mês|minutos?|"
    r"anos?|años?|hod(?:ín|iny|ina|in)?|dn(?:í|i|ia)|dni|dnia|týžd\w*|tygodni\w*|miesi\w*|godzin\w*|minut\w*|lat|lata|"
    r"rok(?:ov|y|u)?|час\w*|дн(?:ей|я)|день|сут\w*|недел\w*|месяц\w*|минут\w*|лет|год\w*|"
    r"km|kilomet\w*|miles?|met(?:er|re)s?|км|kg|tons?|"
    r"dollars?|usd|euros?|eur|€|рубл\w*|сом\w*|złot\w*|zł|reais|bolívares|pesos|meticais|shillings|tenge)(?!\w)|"
    rf"\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?(?!\w)|-[^\W\d_])",
    re.I)

# --- language ------------------------------------------------------------------------------
_STOPWORDS = {
    "en": {"the", "of", "and", "were", "was", "have", "has", "people", "in", "to", "at", "by", "with", "that"},
    "es": {"el", "los", "las", "del", "que", "y", "personas", "en", "se", "por", "según", "fueron", "unas", "hasta", "con"},
    "pt": {"os", "as", "do", "da", "dos", "das", "que", "e", "pessoas", "em", "não", "foram", "pelo", "ao", "são", "nos"},
    "sk": {"a", "sa", "v", "na", "že", "o", "ľudí", "sú", "bolo", "pri", "zo", "ich", "aj"},
    "pl": {"w", "się", "i", "że", "na", "nie", "osób", "z", "do", "jest", "przez", "oraz"},
}
_MARK_CHARS = {"sk": "ľĺŕôäťďňý", "pl": "łąęśźżńć", "pt": "ãõç", "es": "ñ¿¡"}


def detect_language(text: str) -> str | None:
    """Best guess among LANGUAGES from script, accents and stop words; None when nothing fits."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3:
        return "ru"
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    for lang, chars in _MARK_CHARS.items():
        scores[lang] += 2 * sum(text.lower().count(c) for c in chars)
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


# --- sentences -----------------------------------------------------------------------------
_ABBREVIATIONS = {"approx", "tys", "тыс", "чел", "mr", "mrs", "ms", "dr", "st", "no", "nr", "vs", "etc", "gen", "col",
                  "lt", "sgt", "prof", "ok", "ca", "cca", "tzv", "resp", "min", "max", "art", "p", "г", "гг", "ул",
                  "им", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc",
                  "jr", "sr", "ст", "mln", "млн", "sv", "č", "u.s", "a.m", "p.m", "ок", "incl"}
_BREAK = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+|\n")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence: a stop followed by a capital or digit, except after abbreviations."""
    start = 0
    for match in _BREAK.finditer(text):
        end = match.end()
        if match.group() != "\n":
            following = text[end:end + 1]
            if not following or not (following.isupper() or following.isdigit() or following in "\"'«“([¿¡"):
                continue
            if match.group().startswith("."):
                word = re.search(r"([\w.]+)$", text[start:match.start()])
                if word and word.group(1).lower() in _ABBREVIATIONS:
                    continue
        yield from _trimmed(text, start, match.start() + len(match.group().rstrip()))
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


_ASIDE = re.compile(r",\s*(?:including|among them|among whom|incl\.|в том числе|включая|среди них|"
                    r"incluid[oa]s?|entre ell[oa]s|incluindo|entre eles|w tym|vrátane)(?!\w)[^,;]*", re.I)


def _mask_brackets(sentence: str) -> str:
    """Blank out (...), [...] and ", including ...": breakdowns, glosses and clock times, not the reported counts."""
    masked = _ASIDE.sub(lambda m: " " * len(m.group()), sentence)
    for _ in range(3):
        new = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", lambda m: " " * len(m.group()), masked)
        if new == masked:
            break
        masked = new
    return masked


# --- the extraction ------------------------------------------------------------------------
@dataclass
class _Number:
    start: int
    end: int
    value: int
    kind: str = "count"  # count | article | ordinal
    approx: bool = False
    high: int | None = None


@dataclass
class _Mention:
    start: int
    end: int
    metric: str
    kind: str
    modifier: bool  # "injured people": names the group, the predicate after it decides


def _mentions(masked: str) -> list[_Mention]:
    """Casualty words (and blocking non-casualty predicates) in a sentence, longest match first."""
    found = [(m.start(), m.end(), metric, kind) for metric, kind, regex in _METRIC_RES for m in regex.finditer(masked)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    chosen: list[_Mention] = []
    last_end = -1
    for start, end, metric, kind in found:
        if start < last_end:
            continue
        before = masked[:start]
        last_end = end
        if metric == "icu" and _ICU_FROM.search(before):
            continue  # "moved out of intensive care"
        if _NEGATION.search(before):
            continue  # "not injured"
        modifier = bool(_GROUP_NOUN.fullmatch(masked[start:end]) or _PERSON_AFTER.match(masked, end))
        chosen.append(_Mention(start, end, metric, kind, modifier))
    return chosen


def _not_count_spans(masked: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for regex in _NOT_COUNT_SPANS for m in regex.finditer(masked)]


def _digit_numbers(masked: str) -> list[_Number]:
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
            multiplier = _MULTIPLIER_VALUES.get(word, 1_000_000 if word[0] in "mм" and word != "mil" else 1000)
            end = mult_match.end()
        if sep and not (multiplier > 1 and sep in ".," and raw.count(sep) == 1):
            value = int(re.sub(r"\D", "", raw)) * multiplier
        elif re.fullmatch(r"\d+[.,]\d+", raw):
            if multiplier == 1:
                continue  # a decimal is never a head count
            value = round(float(raw.replace(",", ".")) * multiplier)
        else:
            value = int(raw) * multiplier
        numbers.append(_Number(m.start(), end, value))
    return numbers


def _word_numbers(masked: str, lang: str | None) -> list[_Number]:
    numbers: list[_Number] = []
    taken: list[tuple[int, int]] = []
    for m in _HALF_HUNDRED.finditer(masked):
        unit = next(g for g in m.groups() if g).lower()
        numbers.append(_Number(m.start(), m.end(), _HALF_VALUES[unit], approx=True))
        taken.append((m.start(), m.end()))
    for m in _ORDINAL_DEATH.finditer(masked):
        numbers.append(_Number(m.start(1), m.end(1), _ORDINALS[m.group(1).lower()], kind="ordinal"))
        taken.append((m.start(1), m.end(1)))
    tokens = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"[^\W\d_]+", masked)
              if not any(s <= m.start() < e for s, e in taken)]
    i = 0
    while i < len(tokens):
        run, j, end = _word_run(masked, tokens, i, lang)
        if run:
            numbers.append(_Number(tokens[i][0], end, _combine(run)))
            i = j
        else:
            i += 1
    numbers.extend(_article_ones(masked, lang))
    return numbers


def _number_word(word: str, lang: str | None) -> tuple[int, str] | None:
    gate = _WORD_GATE.get(word)
    if word not in _NUMBER_WORDS or (gate and gate != lang):
        return None
    return _NUMBER_WORDS[word]


def _word_run(masked: str, tokens: list[tuple[int, int, str]], i: int, lang: str | None):
    """The longest well-formed number phrase starting at token i: (parts, next token, end offset)."""
    run: list[tuple[int, str]] = []
    j, end = i, tokens[i][1]
    if tokens[i][2] in ("a", "an", "un", "um") and i + 1 < len(tokens) and \
            tokens[i + 1][2] in ("hundred", "thousand", "million", "millón", "milhão") and \
            masked[end:tokens[i + 1][0]].strip() == "":
        run.append((1, _UNIT))
        j = i + 1
    while j < len(tokens):
        if j > i and masked[end:tokens[j][0]].strip() not in ("", "-"):
            break
        entry = _number_word(tokens[j][2], lang)
        if entry is None:
            if run and tokens[j][2] in _CONNECTORS and j + 1 < len(tokens) and \
                    masked[tokens[j][1]:tokens[j + 1][0]].strip() == "":
                following = _number_word(tokens[j + 1][2], lang)
                if following and run[-1][1] in (_TEN, _HUND, _HMUL, _MUL) and following[1] in _JOIN[run[-1][1]]:
                    end = tokens[j][1]
                    j += 1
                    continue
            break
        value, cls = entry
        if run and cls not in _JOIN[run[-1][1]]:
            break
        if not run and (cls == _HMUL or (cls == _MUL and tokens[j][2] not in _STANDALONE_MUL)):
            break
        run.append((value, cls))
        end = tokens[j][1]
        j += 1
    return run, j, end


def _combine(run: list[tuple[int, str]]) -> int:
    total = current = 0
    for value, cls in run:
        if cls == _MUL:
            total += (current or 1) * value
            current = 0
        elif cls == _HMUL:
            current = (current or 1) * value
        else:
            current += value
    return total + current


def _article_ones(masked: str, lang: str | None) -> list[_Number]:
    """ "an elderly woman died": the article counts one person when a person noun follows it."""
    code = lang if lang in _ARTICLES else ("en" if lang is None else None)
    if code is None:
        return []
    pattern = re.compile(rf"(?<!\w)({_ARTICLES[code]})\s+((?:[\w-]+\s+){{0,3}}?)(?:{_SINGULAR_PERSON[code]})(?!\w|['’]s\b)", re.I)
    numbers = []
    for m in pattern.finditer(masked):
        if any(f.lower() in _ARTICLE_FILLER_STOP or f.lower() in _NUMBER_WORDS for f in m.group(2).split()):
            continue
        numbers.append(_Number(m.start(1), m.end(1), 1, kind="article"))
    return numbers


def _qualifier(prefix: str, lang: str | None) -> tuple[str, int]:
    """(qualifier, length of the phrase) from the text just before a number."""
    best = ("exact", 0)
    for qualifier, regex in _QUALIFIER_RES:
        m = regex.search(prefix)
        if m and len(m.group(0)) > best[1]:
            best = (qualifier, len(m.group(0)))
    phrase = prefix[len(prefix) - best[1]:].strip().lower()
    if phrase == "about" and _ABOUT_AS_TOPIC.search(prefix[:len(prefix) - best[1]]):
        best = ("exact", 0)  # "officials spoke about three dead": about = concerning
    if best[1] == 0 and lang == "pl" and re.search(r"(?<!\w)do\s*$", prefix, re.I) and \
            not re.search(r"(?<!\w)od\s+\S+\s+do\s*$", prefix, re.I):
        best = ("up_to", len(re.search(r"do\s*$", prefix, re.I).group(0)))
    return best


def _merge_ranges(numbers: list[_Number], masked: str) -> list[_Number]:
    merged: list[_Number] = []
    for number in numbers:
        if merged and number.kind == "count" and merged[-1].kind == "count" and merged[-1].high is None:
            prev = merged[-1]
            gap = masked[prev.end:number.start]
            before = masked[:prev.start]
            plain = re.fullmatch(r"\s*(?:[-–—]|to)\s*", gap, re.I)
            paired = re.fullmatch(r"\s*(?:and|y|e|i|и|a|a až)\s*", gap, re.I) and \
                re.search(r"(?<!\w)(?:between|entre|między|medzi|между)\s*$", before, re.I)
            from_to = re.fullmatch(r"\s*(?:do|до|a|al|até|to)\s*", gap, re.I) and \
                re.search(r"(?<!\w)(?:from|od|от|de|desde)\s*$", before, re.I)
            either = re.fullmatch(r"\s*(?:or|o|ou|lub|alebo|или)\s*", gap, re.I)
            if (plain or paired or from_to or either) and prev.value < number.value:
                if from_to and _RISE_FROM.search(before):
                    merged[-1] = _Number(number.start, number.end, number.value)
                    continue
                prev.high = number.value
                prev.end = number.end
                continue
        merged.append(number)
    return merged


def _is_year(masked: str, number: _Number, mentions: list[_Mention]) -> bool:
    """A bare 19xx/20xx is a year unless people or a casualty word follow it ("2000 detained")."""
    if not re.fullmatch(r"(?:19|20)\d\d", masked[number.start:number.end]):
        return False
    after = masked[number.end:]
    if re.match(rf"\s+(?:{_PERSON_NOUNS})(?!\w)", after, re.I):
        return False
    next_word = number.end + len(after) - len(after.lstrip())
    return not any(m.start == next_word and m.metric for m in mentions)


def _sentence_numbers(masked: str, lang: str | None, mentions: list[_Mention]) -> list[_Number]:
    spans = _not_count_spans(masked)
    numbers = sorted(_digit_numbers(masked) + _word_numbers(masked, lang), key=lambda n: (n.start, -n.end))
    kept: list[_Number] = []
    for number in numbers:
        if kept and number.start < kept[-1].end:
            continue
        if any(s < number.end and number.start < e for s, e in spans):
            continue
        if _NOT_COUNT_AFTER.match(masked, number.end) or _is_year(masked, number, mentions):
            continue
        kept.append(number)
    return _merge_ranges(kept, masked)


# "40 detainees needed treatment in hospital", "90 пострадавших госпитализированы": a casualty noun
# right after the number names the group; a later predicate says what is counted.
_NOMINAL = re.compile(r"detainees?|injured|wounded|hurt|dead|detained|arrested|killed|пострадавш\w*|раненых|раненые|задержанных|погибших|"
                      r"herid[oa]s|ferid[oa]s|muert[oa]s|mort[oa]s|detenid[oa]s|detid[oa]s|rannych|zranených", re.I)
_GROUP_GAP = re.compile(rf"\s*(?:of\s+(?:those|these|them|the)\s+)?(?:(?:{_PERSON_NOUNS})\s+)?", re.I)
_PARTITIVE = re.compile(r"\s*(?:out of|of|из|spośród|spomedzi|z|zo|de|dos|das)\s+(?:the\s+|los\s+|las\s+)?", re.I)
_CLAUSE_BREAK = re.compile(r"[,;](?!\d)|\s[–—]\s")


def _clause_bounds(masked: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(masked, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(masked, end)), len(masked))
    return left, right


def _attach(masked: str, number: _Number, q_start: int, lo: int, hi: int, mentions: list[_Mention],
            lang: str | None) -> str | None:
    """The metric a number counts, searched outward from it (see the module docstring).

    Each search answers a metric, "" (a non-casualty predicate such as "displaced" owns the
    number: stop) or None (nothing there: keep looking).
    """
    before = [m for m in mentions if lo <= m.start and m.end <= q_start]
    if before:
        nearest = max(before, key=lambda m: m.end)
        noun_gap = _NOUN_GAP_ES_PT if lang in ("es", "pt") else _NOUN_GAP
        owned = lo > 0 and _GROUP_GAP.fullmatch(masked, lo, nearest.start)  # "300 пострадавших 40 ..."
        if not owned and (_VERB_GAP if nearest.kind == _V else noun_gap).match(masked, nearest.end, q_start):
            return nearest.metric or None
    clause_lo, clause_hi = _clause_bounds(masked, q_start, number.end)

    def forward(limit: int) -> str | None:
        after = [m for m in mentions if number.end <= m.start < min(limit, hi)]
        if len(after) > 1 and _GROUP_GAP.fullmatch(masked, number.end, after[0].start) and \
                _NOMINAL.fullmatch(masked, after[0].start, after[0].end):
            after[0] = _Mention(after[0].start, after[0].end, after[0].metric, after[0].kind, True)
        predicates = [m for m in after if not m.modifier]
        if predicates:
            return predicates[0].metric
        if after and number.kind != "article":
            return after[0].metric
        return None

    def backward(limit: int) -> str | None:
        earlier = [m for m in mentions if max(limit, lo) <= m.start and m.end <= q_start and not m.modifier]
        if number.kind == "article" or not earlier:
            return None
        return max(earlier, key=lambda m: m.end).metric

    for search in (lambda: forward(clause_hi), lambda: backward(clause_lo), lambda: forward(len(masked)),
                   lambda: backward(0)):
        found = search()
        if found is not None:
            return found or None
    return None


def _figures_in_sentence(sentence: str, lang: str | None, previous_metric: str | None) -> list[CasualtyFigure]:
    masked = _mask_brackets(sentence)
    mentions = _mentions(masked)
    numbers = _sentence_numbers(masked, lang, mentions)
    figures = []
    wholes: set[int] = set()
    for n, number in enumerate(numbers):
        if n in wholes:
            # "3 of the 10 injured ...": the 10 is counted only by the noun right after it
            first = next((m for m in mentions if m.start >= number.end), None)
            if first and first.metric and _GROUP_GAP.fullmatch(masked, number.end, first.start):
                figures.append(CasualtyFigure(first.metric, number.value, number.high, "exact", sentence))
            continue
        prefix_start = numbers[n - 1].end if n else 0
        prefix = masked[prefix_start:number.start]
        if _DELTA_BEFORE.search(prefix) or _DELTA_AFTER.match(masked, number.end):
            continue  # "13 more deaths" is an increment, not a count
        qualifier, q_len = _qualifier(prefix, lang) if number.kind == "count" else ("exact", 0)
        q_start = number.start - q_len
        if _NEGATION.search(masked, prefix_start, q_start):
            continue  # "no one was killed"
        target, after = number, n + 1
        if after < len(numbers) and _PARTITIVE.fullmatch(masked, number.end, numbers[after].start):
            wholes.add(after)  # the predicate after "of the 10 injured" belongs to this number
            target = _Number(number.start, numbers[after].end, number.value)
            after += 1
        hi = numbers[after].start if after < len(numbers) else len(masked)
        metric = _attach(masked, target, q_start, prefix_start, hi, mentions, lang)
        if metric is None and previous_metric and _ANAPHORA.search(masked, 0, q_start):
            metric = previous_metric  # "the official figure of 616" after a death toll
        if metric is None:
            continue
        if qualifier == "exact":
            if number.approx:
                qualifier = "about"
            elif _POST_AT_LEAST.match(masked, number.end):
                qualifier = "at_least"
        figures.append(CasualtyFigure(metric, number.value, number.high, qualifier, sentence))
        previous_metric = metric
    return figures


def extract_figures(text: str, language: str | None = None) -> list[CasualtyFigure]:
    """Every casualty figure stated in `text`, in reading order, each with its sentence as evidence.

    `language` (ISO 639-1) only settles words that mean different things in different languages
    ("ten", "dos", "do"); every lexicon is tried on every sentence, so None is fine.
    """
    lang = language.lower() if language and language.lower() in LANGUAGES else None
    fallback = lang or detect_language(text)
    figures: list[CasualtyFigure] = []
    previous_metric = None
    for start, end in _sentences(text):
        sentence = text[start:end]
        sentence_lang = lang or detect_language(sentence) or fallback
        for figure in _figures_in_sentence(sentence, sentence_lang, previous_metric):
            if figure not in figures:
                figures.append(figure)
            previous_metric = figure.metric
    return figures


def figures_as_json_lines(text: str, reported_at: str | date | datetime | None = None,
                          language: str | None = None) -> Iterator[str]:
    """One JSON object per figure, for `ecw extract-casualties` and other line-oriented consumers."""
    stamp = reported_at.isoformat() if isinstance(reported_at, (date, datetime)) else reported_at
    for figure in extract_figures(text, language):
        record: dict[str, object] = {"metric": figure.metric, "value": figure.value,
                                     "qualifier": figure.qualifier, "evidence": figure.evidence}
        if figure.value_high is not None:
            record["value_high"] = figure.value_high
        if stamp is not None:
            record["reported_at"] = stamp
        yield json.dumps(record, ensure_ascii=False)
