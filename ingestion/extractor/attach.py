"""Which number counts which casualties, of whom, and how firmly: the reading of one sentence.

How a number finds its metric, in order:
1. a casualty word just before it ("the toll rose to 40", "detention of 12", "госпитализированы 30");
2. the first predicate after it in its clause ("30 wounded protesters were hospitalized" -> hospitalized);
3. a casualty word earlier in its clause ("the count of people hurt in the unrest has reached 300");
4. the same searches across commas, up to the neighbouring numbers (ellipsis: "4 arrested on Monday, and 9 on Tuesday");
5. "the police figure of 600" takes the metric of the previous figure in the text.

Around the metric the sentence says more, read by class rather than by example:
- who was counted: a group noun right after the number ("20 police officers"), after a copula
  ("12 of the hospitalised are police officers") or between the metric word and the number
  ("the number of injured journalists rose to 14");
- scope: a part marker ("of them", "including", "из них", "dont", "de ellos") or a severity word with
  no metric of its own ("5 in critical condition") makes a part candidate; an increment marker
  ("another", "more", "ещё", "otros", "autres") an increment;
- a revision "from 40 to 35" keeps only the new figure; "down from 40", "not 3,000" and a denied
  clause ("denied that 3,000 were detained") drop the number;
- a negator with a metric ("no one was killed", "никто не погиб", "personne n'a été blessé") is that
  metric's zero, unless it is about a sub-group ("none of them").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.extractor import lexicon
from ingestion.extractor.lexicon import ANY_GROUP, GROUP_RES, NOUN, PERSON_NOUNS, VERB, metric_res, per_language
from ingestion.extractor.numbers import Number, digit_numbers, not_count_after, not_count_spans, word_numbers
from ingestion.extractor.layouts import TOTAL_LABEL


@dataclass
class Mention:
    start: int
    end: int
    metric: str
    kind: str
    modifier: bool  # "injured people": names the group, the predicate after it decides
    negated: bool = False


@dataclass
class Draft:
    """A figure of one sentence before the text-wide pass settles part_of."""
    metric: str
    value: int
    value_high: int | None
    qualifier: str
    counted: str
    scope: str
    start: int  # of the number, in the sentence
    end: int
    part_hint: bool = False
    anaphoric: bool = False  # "of them", "из них": the number is about the people of the figure before
    whole: "Draft | None" = None  # the explicit whole of a part ("3 of the 10 injured")
    corrects: bool = False  # "the toll has been revised to 35": supersedes an earlier figure of its metric
    old_values: tuple[int, ...] = ()  # "corrected from 12 to 14": the old figures a correction names (only those go)
    provisional: bool = False  # "An earlier version said 14 had died": replaced by a later figure of its metric
    cues: dict = field(default_factory=dict)


# --- per-language markers ------------------------------------------------------------------
def _end_anchored(attribute: str) -> dict[str, re.Pattern[str]]:
    return {code: re.compile(rf"(?<!\w)(?:{getattr(lex, attribute)})\s*[:,—–-]?\s*$", re.I)
            for code, lex in lexicon.LEXICONS.items()}


def _start_anchored(attribute: str) -> dict[str, re.Pattern[str]]:
    return {code: re.compile(rf"\s*(?:{getattr(lex, attribute)})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}


_NEGATORS = {code: re.compile(rf"(?<!\w)(?:{lex.NEGATORS})(?:(?<=\s)|(?!\w))", re.I) for code, lex in lexicon.LEXICONS.items()}
_SUBGROUP_ZERO = per_language("SUBGROUP_ZERO")
_DENIALS = {code: re.compile(rf"(?<!\w)(?:{lex.DENIALS})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_INCREMENT_BEFORE = _end_anchored("INCREMENT_BEFORE")
_INCREMENT_AFTER = _start_anchored("INCREMENT_AFTER")
_PART_BEFORE = _end_anchored("PART_BEFORE")
_PART_AFTER = _start_anchored("PART_AFTER")
_SEVERITY = {code: re.compile(rf"(?<!\w)(?:{lex.SEVERITY})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_REVISION = {code: re.compile(rf"(?<!\w)(?:{lex.REVISION})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_OLD_FIGURE = _end_anchored("OLD_FIGURE")
_CORRECTION = {code: re.compile(rf"(?<!\w)(?:{lex.CORRECTION})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_EARLIER_REPORT = {code: re.compile(rf"(?<!\w)(?:{lex.EARLIER_REPORT})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_REVISION_BEFORE = {code: re.compile(rf"(?<!\w)(?:{lex.REVISION})\s+(?:\w+\s+){{0,2}}$", re.I) for code, lex in lexicon.LEXICONS.items()}
_RISE_BEFORE = {code: re.compile(rf"(?<!\w)(?:{lex.RISE})\s+(?:\w+\s+)?$", re.I) for code, lex in lexicon.LEXICONS.items()}
_RISE_IN = {code: re.compile(rf"(?<!\w)(?:{lex.RISE})(?!\w)", re.I) for code, lex in lexicon.LEXICONS.items()}
_QUALIFIER_PHRASES = lexicon.qualifier_phrases()
_AMBIGUOUS_QUALIFIERS = {"до", "do", "až", "cez", "asi", "minimum"}  # read only in their own language


def _phrase_regex(pairs) -> tuple[re.Pattern[str], dict[str, str]]:
    phrases = sorted({p for _, p in pairs}, key=len, reverse=True)
    alternation = "|".join(re.escape(p) for p in phrases)
    # "approximately between 150 and 200", "aproximadamente entre", "environ entre", "około od": the range's word after it
    return (re.compile(rf"(?:^|(?<=[\s(,;:\"'’«]))({alternation})\s*(?:(?:between|entre|między|medzi|между|от|od)\s+)?$", re.I),
            {p.lower(): q for q, p in pairs})


_QUALIFIER_RES = {code: _phrase_regex(pairs + [(q, p) for other in _QUALIFIER_PHRASES.values() for q, p in other
                                               if p not in _AMBIGUOUS_QUALIFIERS and (q, p) not in pairs])
                  for code, pairs in _QUALIFIER_PHRASES.items()}
_ABOUT_AS_TOPIC = re.compile(r"(?<!\w)(?:known|know|knows|spoke|speaks|talked|talks|learned|heard|wrote|writes|"
                             r"information|data|news|reports?|asked|questions?)\s*$", re.I)
_POST_AT_LEAST = re.compile(r"\s*(?:\w+\s+)?(?:or more|and more|o más|ou mais|ou plus|lub więcej|i więcej|alebo viac|"
                            r"a viac|и более|и больше|или более)(?!\w)(?!\s+(?:than|que|de|niż|ako|чем|\d))", re.I)

_LINKERS = (r"of|to|at|is|was|were|are|stands?|stood|now|has|had|have|been|be|could|would|may|might|already|"
            r"officially|rose|risen|rising|rises|increased|increasing|increases|climbed|climbing|reached|reaching|"
            r"reach|put|totals?|totall?ed|amounted|amounts|then|de|en|em|para|ascendió|ascendía|asciende|ascende|"
            r"ascendeu|subió|subiu|aumentó|aumentou|chegou|chega|llegó|llega|alcanzó|alcançou|alcanza|é|es|fue|"
            r"foi|era|na|wyniosła|wynosi|wzrosła|wzrósł|sięga|sięgnęła|je|bolo|stúpol|stúpla|dosiahol|dosiahla|"
            r"составило|составляет|составил|составила|достигло|достиг|достигла|выросло|выросла|возросло|возросла|"
            r"увеличилось|увеличилась|уже|до|est|s'élève|s’élève|à|passé|atteint|désormais|sont|au|du|des|le|la|"
            r"les|d'au|ya|já|atingiu|se|eleva|elevó|porte|porté|nombre|now stands at|passou|pour|contre|por|fallen|fell|"
            r"dropped|decreased|declined|gone|down|снизилось|уменьшилось|сократилось|bajó|descendió|disminuyó|baissé|"
            r"diminué|caiu|diminuiu|baixou|spadła|spadło|klesol|klesla|kleslo|"
            # "the number of detainees was later adjusted to 1,204": a correction, and when it came, link a noun to its number
            r"later|since|subsequently|again|afterwards|upwards?|downwards?|позднее|позже|затем|впоследствии|después|"
            r"posteriormente|luego|depois|ensuite|depuis|plus tard|później|następnie|neskôr|potom|"
            + "|".join(lex.CORRECTION for lex in lexicon.LEXICONS.values()))
_NOUN_GAP = re.compile(rf"(?:\s|[:—–]|(?<!\w)(?:{_LINKERS})(?!\w))*$", re.I)
_NOUN_GAP_ROMANCE = re.compile(rf"(?:\s|[:—–]|(?<!\w)(?:{_LINKERS}|a|a\s+las|a\s+los)(?!\w))*$", re.I)
_VERB_GAP = re.compile(r"\s*(?:[:—–]\s*)?(?:(?:ещё|еще|another|a further|otr[oa]s?|encore|mais|outr[oa]s|kolejn\w*|ďalš\w*)\s+)?$", re.I)
_ANAPHORA = re.compile(r"(?<!\w)(?:figure|tally|count|number|total|toll|cifra|número|numero|nombre|число|количество|цифра|liczba|počet|chiffre|bilan|всего|итого|"
                       r"łącznie|celkovo|celkom)(?:\s+[^\W\d]+){0,3}\s*:?\s*$", re.I)
# "that figure was later revised down to 260", "ce chiffre a été revu à la hausse, à 71": the figure named
# a few words before a correction verb is the previous one, revised
_ANAPHORA_CORRECTED = re.compile(r"(?<!\w)(?:figure|tally|count|number|total|toll|cifra|número|numero|nombre|число|количество|цифра|"
                                 r"liczba|liczbę|počet|chiffre|bilan|dane|údaj\w*)(?:[\s,:—–-]+[^\W\d]+){0,7}[\s,:—–-]*$", re.I)
_GROUP_WORDS = re.compile(rf"(?<!\w)(?:{ANY_GROUP}|{PERSON_NOUNS})(?!\w)", re.I)
_COUNT_NOUN_BEFORE = re.compile(r"(?<!\w)(?:number|count|total|число|количество|численность|número|numero|nombre|cifra|liczba|liczbę|počet)"
                                r"(?:\s+(?:of|de|d['’]|des|dos|das|de los|de las))?\s*$", re.I)
_FRAME_BEFORE = re.compile(r"(?:^|[\s,;:(])(?:из числа|из|среди|of the|among the|of those|parmi les|d['’]entre les|de los|de las|"
                           r"entre los|entre las|dos|das|entre os|entre as|spośród|wśród|spomedzi|zo|z)\s*$", re.I)
_COLON_GAP = re.compile(r"\s*(?:[^\W\d]+\s+){0,5}?(?:[^\W\d]+)?\s*:\s*", re.I)
_CORRECTION_GAP = re.compile(r"(?:[\s,:—–-]+[^\W\d]+){0,3}[\s,:—–-]*", re.I)  # "corrected it to 57", "la rebajó a"
# "not 300", and "there were not 360 (but 36)", "il n'y a pas eu 360", "no hubo 360 sino 36": negator, then a copula
_NEGATION = re.compile(r"(?<!\w)(?:no|not|none|ни|не|ani|nem|nenhum|ningún|ninguna|nikt|pas|non|nie|não|sino que no|et non)"
                       r"(?:\s+(?:eu|été|been|be|hubo|habido|houve|havido|было|были|był[oy]?|były|bolo|boli))?\s*$", re.I)
_ICU_FROM = re.compile(r"(?<!\w)(?:from|out of|из|z|zo|salieron de|saíram d[aoe]|sortis? de|sont sortis des?)\s+(?:the\s+|la\s+|a\s+|des\s+)?$", re.I)
_RANGE_FROM = re.compile(r"(?<!\w)(?:от|od)\s*$", re.I)
_FROM = re.compile(r"(?<!\w)(?:from|с|de|desde|od|z|zo|от)\s*$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;](?!\d)|\s[–—]\s|(?<!\w)(?:but|pero|mais|mas|но|а|ale|ale|while|whereas)(?!\w)")
_STRONG_BREAK = re.compile(r";|\s[–—]\s|:\s")
_DENIAL_BREAK = re.compile(r"[;]|,(?!\s*(?:что|чтобы|будто|якобы|que|qu['’]|że|iż|jakoby|jakby|že|žeby|that|o tom|о том))|(?<!\w)(?:but|pero|mais|mas|но|а|ale|saying|said)(?!\w)|"
                           r"(?<!\w)(?:and|et|y|e|и|i)\s+(?:(?:has|have|had|a|ont|avait|ha|han|había|tem|têm|tinha)\s+)?(?:said|says|added|confirmed|put|indique\w*|précise\w*|affirme\w*|ajoute\w*|"
                           r"assure\w*|évoque\w*|fait état|dijo|afirmó|señaló|informó|aseguró|confirmó|cifró|disse|afirmou|informou|"
                           r"confirmou|сообщил\w*|заявил\w*|указал\w*|назвал\w*|называ\w*|говор\w*|"
                           # acknowledging or counting verbs: "desmintió que la policía disparara y reconoció 27 heridos"
                           r"acknowledged|admitted|conceded|recogni[sz]ed|recorded|counted|reconoci\w*|admiti\w*|registró|contabilizó|"
                           r"reconnu|reconnaît|admis|admet|recensé|dénombr\w*|reconheceu|admitiu|registrou|registou|contabilizou|"
                           r"признал\w*|насчитал\w*|przyznał\w*|odnotował\w*|priznal\w*)(?!\w)", re.I)
# a denial about an event ("dément que des manifestants aient été tués et évoque 12 blessés"): its metric word, then "and"
_AND_AFTER_EVENT = re.compile(r"(?<!\w)(?:and|et|y|e|и|i|oraz)(?!\w)", re.I)
_SEGMENT_BREAK = re.compile(r"[,;](?!\d)|\s[–—]\s")

_PERSON_AFTER = re.compile(rf"\s+(?:of (?:them|whom)\s+)?(?:{PERSON_NOUNS}|{ANY_GROUP})(?!\w)", re.I)
_GROUP_GAP = re.compile(rf"\s*(?:of\s+(?:those|these|them|the)\s+)?(?:(?:{PERSON_NOUNS}|{ANY_GROUP})\s+)?", re.I)
# "Trois autres blessés sont décédés", "two more wounded protesters died": more of a state, named before the predicate
_OTHER_GAP = re.compile(r"\s+(?:autres|other|others|more|further|additional|otr[oa]s|outr[oa]s|други[ех]|ещё|еще|nouveaux|nouvelles|"
                        r"kolejn\w*|ďalš\w*)\s+", re.I)
_EN_CLITIC = re.compile(r"(?<!\w)(?:en|y en)\s+(?!(?:tout|total|moyenne|plus|outre|effet|ville|cours|fin|début|hausse|baisse)(?!\w))"
                        r"(?:a\s+|avait\s+|aurait\s+)?(?:[^\W\d]+\s+){0,2}$", re.I)  # "en compte 27", "il y en a 27"
_PARTITIVE = re.compile(r"\s*(?:out of|of|из|spośród|spomedzi|z|zo|de|dos|das|des|sur)\s+(?:the\s+|los\s+|las\s+|les\s+|os\s+|as\s+)?", re.I)
_PARTITIVE_NOUN = re.compile(r"\s+(?:out of|of|из(?:\s+числа)?|spośród|z|zo|de|dos|das|des|parmi|entre)\s+"
                             r"(?:the\s+|those\s+|these\s+|los\s+|las\s+|les\s+|os\s+as\s+|os\s+|as\s+)?$", re.I)
# "40 detainees needed treatment in hospital", "90 пострадавших госпитализированы": a casualty noun right
# after the number names the group; a later predicate says what is counted.
_NOMINAL = re.compile(r"detainees?|injured|wounded|hurt|dead|detained|arrested|killed|пострадавш\w*|раненых|раненые|"
                      r"задержанных|погибших|herid[oa]s|ferid[oa]s|muert[oa]s|mort[oa]s|detenid[oa]s|detid[oa]s|rannych|"
                      r"zranených|blessés|blessées|morts|interpellé(?:e|s|es)?|arrêté(?:e|s|es)?|tués|détenu(?:e|s|es)?|pres[oa]s|zatrzyman\w*|zadržan\w*|"
                      r"arrestad[oa]s|aprehendid[oa]s|capturad[oa]s|hospitalizad[oa]s|internad[oa]s|hospitalisé(?:e|s|es)?|"
                      r"hospitali[sz]ed|госпитализированных|arrested|apprehended", re.I)
_COORDINATED = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:,|and|y|e|et|и|i|a|oraz|as well as)\s*", re.I)
_FRAME = re.compile(r"(?:^|[,;:]\s*)(?:of|out of|among|из|среди|de|entre|sur|parmi|dos|das|z|spośród|wśród|zo|spomedzi)\s+"
                    r"(?:the\s+|those\s+|los\s+|las\s+|les\s+|os\s+|as\s+)?$", re.I)
_THEN_AND = re.compile(r"\s*(?:and|e|y|et|и|i|a|oraz)\s+(?:[^\W\d]+\s+){0,3}", re.I)
_EARLIER = re.compile(r"(?<!\w)(?:initially|originally|previously|earlier|first|initial|original|inicialmente|originalmente|"
                      r"anteriormente|previamente|inicial|initialement|précédemment|auparavant|d['’]abord|initiale?|"
                      r"первоначально|первоначальн\w*|ранее|сначала|изначально|początkowo|wcześniej|pierwotn\w*|"
                      r"pôvodne|pôvodn\w*|predtým)(?!\w)[^,;.]{0,30}$", re.I)
_RISE_BY = re.compile(r"(?<!\w)(?:rose|risen|increased|grew|climbed|went up|jumped|вырос\w*|возросл\w*|увеличил\w*|стало больше|стал больше|"
                       r"aumentó|subió|creció|aumentou|subiu|cresceu|augmenté|a augmenté|alourdi|wzrosł\w*|zwiększył\w*|stúpol|stúpla|"
                       r"stúplo|zvýšil\w*)\s+(?:(?:ещё|еще|another|further)\s+)?(?:by|на|en|em|de|o)\s*$", re.I)
_FALSE_AFTER = re.compile(r"(?<!\w)(?:(?:are|were|was|is) (?:false|untrue|fabricated|baseless|unfounded|incorrect|not true|fake)|"
                           r"не соответству\w* действительности|не подтвердил\w*|не подтвержда\w*|"
                           r"(?:назвал\w* )?(?:недостоверн\w*|ложн\w*)|"
                           r"(?:являются|является|были) ложн\w*|фейк\w*|"
                           r"(?:es|son|era|eran) (?:falsa|falsas|falso|falsos|infundad\w*)|(?:est|sont|était|étaient) (?:faux|fausses|infondé\w*)|"
                           r"(?:é|são|era|eram) (?:falsa|falsas|falso|falsos|infundad\w*)|(?:jest|są) nieprawdziw\w*|(?:je|sú) nepravdiv\w*|"
                           # "called reports that 50 had been killed 'pure invention'", "calificó de invento", "назвал выдумкой"
                           r"['‘\"«]?\s*(?:(?:a |an |pure |complete |total |utter |una |un |pura |une |pure |uma )?(?:invention|fabrication|fiction|lies|a lie|"
                           r"fake news|invención|invento|mentira|falsedad|affabulation|mensonge|invenção|fantasia)|выдумк\w*|вымысл\w*|"
                           r"wymysł\w*|kłamstw\w*|výmysl\w*|klamstv\w*)(?!\w))", re.I)
_COUNTED_STOP = re.compile(r"were|was|are|is|have|has|had|been|be|will|would|who|that|which|and|or|in|on|at|by|for|with|from|"
                           # a subordinate clause's subject is the agent: "200 wounded as security forces fired", "cuando la policía"
                           r"as|when|while|after|before|because|since|where|once|cuando|mientras|tras|quand|lorsque|alors|après|"
                           r"quando|enquanto|após|когда|пока|после|gdy|kiedy|podczas|keď|počas|"
                           r"sont|ont|été|est|a|qui|et|ou|dans|par|fueron|han|son|que|y|en|por|con|foram|são|e|em|por|"
                           r"были|был|была|было|и|в|на|из|byli|były|i|w|na|boli|bolo|a|v|na", re.I)
_DETAINEES = re.compile(r"detainees?", re.I)  # a noun for the counted group, never a predicate
_INCLUDING = re.compile(r"(?<!d['’])(?:including|incl\.|в том числе|включая|incluid|incluyendo|y compris|notamment|incluindo|w tym|"
                        r"vrátane|among|среди|entre|parmi|wśród|medzi)", re.I)
_DASH_COPULA = {"ru", "pl", "sk"}
_DASH = re.compile(r"(?<=\s)[—–](?=\s)")
_PRONOUN_ZERO = re.compile(r"none|neither|ningun[oa]|aucune?|nenhum[a]?|żaden|żadna|žiadn\w*|ни один|ни одного", re.I)
_AGE_WORD = re.compile(r"\d+-(?:year-old|летн\w*|letn\w*|ročn\w*)|\d+-[^\W\d]+", re.I)
_DEMONSTRATIVE = re.compile(r"(?<!\w)(?:этот|эта|тот|та|ten|tá|tento|táto|ów|tamten|ten sam)$", re.I)
_TRAILING_ADJECTIVES = re.compile(r"(?:\s*(?:\d+-[^\W\d]+|[^\W\d]+(?:ый|ий|ой|ая|яя|ny|ni|ý|á)))+\s*$", re.I)
_BARE_TALLY = re.compile(r"tolls?|bilan|balance|balanço|saldo|bilans?", re.I)
_DEATH_BEFORE = re.compile(r"(?<!\w)(?:death|casualty)\s*$", re.I)
_TALLY = re.compile(r"(?:death )?tolls?|bilan|balance|balanço|saldo|bilans?", re.I)  # a tally, of whatever follows
_INCREMENT_AFTER_NOUN = re.compile(r"\s+[^\W\d]+\s+(?:más|de plus|supplémentaires|a mais|adicionales|adicionais)(?!\w)", re.I)
# the old figure named after it: "the 1,000 announced earlier", "25 anunciados inicialmente"
_OLD_AFTER = re.compile(r"\s+(?:[^\W\d]+\s+)?(?:(?:announced|reported|given|cited|stated|claimed)\s+(?:earlier|previously|initially|before|at first)|"
                        r"as (?:first|initially|earlier|previously) reported|"
                        r"(?:anunciad[oa]s|informad[oa]s|reportad[oa]s|divulgad[oa]s)\s+(?:inicialmente|anteriormente|antes|previamente)|"
                        r"(?:annoncé|avancé|rapporté)(?:e|s|es)?\s+(?:initialement|précédemment|auparavant|plus tôt)|"
                        r"comme (?:annoncé|indiqué|rapporté|avancé) (?:initialement|précédemment|auparavant|plus tôt|d['’]abord)|"
                        r"como (?:se )?(?:informó|anunció|indicó|divulgó|informado|anunciado|divulgado) (?:inicialmente|antes|previamente|anteriormente)|"
                        r"как сообщалось ранее|заявленных ранее|объявленных ранее)(?!\w)", re.I)
# "the dead include a ...", "parmi les morts figurent un gendarme", "entre los fallecidos hay un policía": a list of them
_INCLUDE_GAP = re.compile(r"\s*(?:include[sd]?|included|including|were|are|was|is|among them|figur(?:e|ent|aient|ait)|se trouv(?:e|ent|aient)|"
                          r"on compte|(?:il )?y a|hay|había|figuran|se encuentran|se cuentan|estão|estavam|figuram|há|havia|"
                          r"encontram-se|:|—|-)\s*", re.I)
_COPULA_POLICE = re.compile(r"(?<!\w)(?:were|are|was|is)\s+((?:riot )?police|policía|polícia|полиция|милиция)(?!\w)", re.I)
_REPORTING = re.compile(r"(?<!\w)(?:said|says|told|reported|announced|added|stated|confirmed|claimed|explained|"
                        r"сообщил\w*|заявил\w*|рассказал\w*|отметил\w*|уточнил\w*|dijo|afirmó|informó|declaró|señaló|"
                        r"déclaré|indiqué|affirmé|précisé|annoncé|disse|afirmou|informou|declarou|powiedział\w*|"
                        r"poinformował\w*|povedal\w*|informoval\w*|uviedol\w*)(?!\w)", re.I)
_LIST_CONTINUES = re.compile(r"\s*(?:[^\W\d]+\s*){0,3}?(?:,|;|and|и|y|e|et|i|a|oraz)\s*", re.I)
_POST_ABOUT = re.compile(r"\s+(?:[^\W\d]+\s+)?(?:environ|aproximadamente|approximately|or so|ou so|примерно|приблизительно)(?!\w)", re.I)
_LIST_AND = re.compile(r"(?<!\w)(?:and|y|e|et|и|i|a|oraz|as well as)\s*$", re.I)
# "three died overnight, raising the toll to 17": the first number is an addition to the second
_RAISING = re.compile(r"(?<!\w)(?:raising|bringing|taking|pushing|putting|lifting|brought|raised|took|pushed|elevando|llevando|con lo que|con lo cual|"
                      r"levando|o que eleva|o que leva|portant|ce qui porte|ce qui fait passer|доведя|что увеличило|"
                      r"тем самым|таким образом|co zwiększa|zwiększając|tym samym|čím)(?!\w)", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_GROUP_SKIP = re.compile(r"(?:of\s+(?:them|whom)|of|them|whom|из|них|ellos|ellas|eux|elles|deles|delas|nich|toho|other|others|more|further|additional|new|injured|wounded|dead|"
                         r"young|local|foreign|unarmed|off-duty|riot|traffic|female|male|de|des|do|dos|da|das|los|las|"
                         r"les|the|mais|outros|otros|autres|ещё|еще|других|другие|more|were|are)", re.I)
_COPULA_GROUP = re.compile(rf"(?<!\w)(?:are|were|was|is|being|sont|étaient|était|son|eran|fueron|era|são|eram|foram|"
                           rf"era|являются|являлись|оказались|byli|były|to|sú|boli|[—:–])\s+(?:(?:all\s+|also\s+|des\s+|"
                           rf"los\s+|las\s+|les\s+|os\s+|as\s+|the\s+)*)(?=(?:\w+\s+)?(?:{ANY_GROUP})(?!\w))", re.I)
_ENGLISH = "en"
# a hospital named as a place ("in hospital", "à l'hôpital", "в больнице"), not as an admission: where something happened
_PLACE_ONLY = re.compile(r"(?:in|at|à|dans|в|во|en|no|na|nos|nas|w|v)(?!\w)", re.I)
# predicates after which people are no longer in the frame's state: "of the 55 detained, 31 have since been released"
_ENDS_STATE = re.compile(r"released|freed|set free|let go|discharged|освобожден\w*|освобождён\w*|отпущен\w*|libéré\w*|relâché\w*|"
                         r"relaxé\w*|remis\w* en liberté|liberad[oa]s?|excarcelad[oa]s?|libertad[oa]s?|soltos|soltas|soltad[oa]s|"
                         r"(?:quedaron|puest[oa]s|dejad[oa]s) en libertad|(?:postos|postas|colocad[oa]s) em liberdade|zwolnion\w*|wypuszczon\w*|prepusten\w*|"
                         r"вышл\w* на свободу", re.I)
# "three with gunshot wounds" after a figure: those of it who have something, a part
_WITH_AFTER = re.compile(r"\s+(?:with|avec|con|com|со?)\s+(?!the\s|les\s|los\s|las\s|os\s|as\s)", re.I)
# "the toll rose to 27 after two of the wounded died": the later number is what raised the earlier one
_AFTER_EVENT = re.compile(r"(?<!\w)(?:after|when|as|following|après que|après|lorsque|quand|después de que|tras|cuando|"
                          r"depois que|depois de|quando|после того как|после|когда)(?!\w)", re.I)
# "this figure was called false", "эту цифру назвали ложной", "ce chiffre a été qualifié de fantaisiste": the figure before, denied
_FIGURE_DENIED = re.compile(r"(?<!\w)(?:(?:this|that|the) (?:figure|number|toll|tally)|these figures|эт[уао] цифр[уа]|эти данные|"
                            r"это число|ce chiffre|ce bilan|ces chiffres|esta cifra|esa cifra|este número|ese número|esse número|"
                            r"este número|esses números|essa cifra)(?:\s+[^\W\d]+){0,5}?\s+(?:(?:as\s+)?(?:false|untrue|"
                            r"exaggerated|inflated|baseless|fabricated)|ложн\w*|недостоверн\w*|завышенн\w*|не соответству\w*|"
                            r"(?:de\s+)?(?:«\s*)?(?:faux|fausse|fantaisiste|exagéré\w*|mensonger)|(?:de |como )?(?:falsa|falso|exagerad[oa]))"
                            r"|(?<!\w)(?:denied|disputed|rejected|опроверг\w*|отверг\w*|оспорил\w*|dément\w*|démenti|contesté|rejeté|"
                            r"negó|rechazó|negou|rejeitou|desmentiu)\s+(?:(?:this|that|the) (?:figure|number)|эт[уи] (?:цифр[уы]|данные)|"
                            r"ce chiffre|esta cifra|esa cifra|esse número|este número)", re.I)
# "…, среди протестующих — 37": the same count, for another group, in a parallel list
_PARALLEL_GROUP = re.compile(rf"\s*[,;]\s*(?:(?:and|и|et|y|e|a)\s+)?(?:among|среди|parmi|entre|wśród|medzi)\s+(?:the\s+|les\s+|los\s+|"
                             rf"las\s+|os\s+|as\s+)?((?:{ANY_GROUP}))\s*[:—–-]?\s*$", re.I)


# the police as an institution after a detention verb is its subject, not who was held: "zadržala polícia 70 ľudí",
# "задержала полиция", "detuvo la policía a 20"
_INSTITUTION_AFTER = re.compile(r"\s+(?:la\s+|a\s+|the\s+)?(?:polícia|policja|полиция|милиция|police|policía|gendarmerie|"
                                r"guardia civil|carabineros|Policajný zbor|ОМОН|Росгвардия)(?!\w)", re.I)


def mentions(masked: str, lang: str | None = None) -> list[Mention]:
    """Casualty words (and blocking non-casualty predicates) in a sentence, longest match first."""
    found = [(m.start(), m.end(), metric, kind) for metric, kind, regex in metric_res(lang) for m in regex.finditer(masked)]
    in_group = [(m.start(), m.end()) for m in GROUP_RES["detainees"].finditer(masked)]  # "people held in custody"
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    chosen: list[Mention] = []
    last_end = -1
    for start, end, metric, kind in found:
        if start < last_end:
            continue
        before = masked[:start]
        last_end = end
        if metric == "icu" and _ICU_FROM.search(before):
            continue  # "moved out of intensive care"
        grouped = any(s <= start and end <= e and e - s > end - start for s, e in in_group)
        modifier = bool(_DETAINEES.fullmatch(masked[start:end]) or _PERSON_AFTER.match(masked, end) or grouped) and \
            not (metric == "detained" and _INSTITUTION_AFTER.match(masked, end))
        kind = NOUN if grouped else kind  # "the number of people held in custody has climbed to 1,320"
        chosen.append(Mention(start, end, metric, kind, modifier, negated=bool(_NEGATION.search(before))))
    return chosen


def _is_year(masked: str, number: Number, found: list[Mention]) -> bool:
    """A bare 19xx/20xx is a year unless people or a casualty word follow it ("2000 detained")."""
    if not _YEAR.fullmatch(masked[number.start:number.end]):
        return False
    after = masked[number.end:]
    if re.match(rf"\s+(?:{PERSON_NOUNS}|{ANY_GROUP})(?!\w)", after, re.I):
        return False
    next_word = number.end + len(after) - len(after.lstrip())
    return not any(m.start == next_word and m.metric for m in found)


def _merge_ranges(numbers: list[Number], masked: str, lang: str) -> tuple[list[Number], dict[int, tuple[str, int]]]:
    """Ranges become one number; a revision "from 40 to 35" keeps the new one (revisions: id -> (cue, old value))."""
    merged: list[Number] = []
    revisions: dict[int, tuple[str, int]] = {}
    revision_re = _REVISION.get(lang)
    for number in numbers:
        if merged and number.kind == "count" and merged[-1].kind == "count" and merged[-1].high is None:
            prev = merged[-1]
            gap = masked[prev.end:number.start]
            before = masked[:prev.start]
            plain = re.fullmatch(r"\s*(?:[-–—]|to|à|a|až)\s*", gap, re.I) and not _FROM.search(before) and \
                not _RISE_BY.search(before)
            paired = re.fullmatch(r"\s*(?:and|y|e|et|i|и|a|a až)\s*", gap, re.I) and \
                re.search(r"(?<!\w)(?:between|entre|między|medzi|между)\s*$", before, re.I)
            from_to = re.fullmatch(r"\s*(?:do|до|a|al|até|to|à|para|na|au)\s*", gap, re.I) and _FROM.search(before)
            either = re.fullmatch(r"\s*(?:or|o|ou|lub|alebo|или)\s*", gap, re.I)
            if from_to:
                # "от"/"od" name a range, never a change ("с 12 до 9", "z 12 do 9"), when it rises: "По уточнённым данным
                # полиции, задержаны от 150 до 200" is a range, whatever revision word is near
                window = before[max(0, len(before) - 80):]
                verb = (revision_re.search(window) if revision_re else None) or _REVISION[_ENGLISH].search(window)
                if _RANGE_FROM.search(before) and prev.value < number.value:
                    verb = None
                if verb or prev.value > number.value:
                    merged[-1] = number
                    revisions[id(number)] = ((verb.group() if verb else "") + f" from {masked[prev.start:prev.end]}", prev.value)
                    continue
            if (plain or paired or from_to or either) and prev.value < number.value:
                prev.high = number.value
                prev.high_end = number.end
                prev.end = number.end
                continue
        merged.append(number)
    return merged, revisions


def sentence_numbers(masked: str, lang: str, found: list[Mention]) -> tuple[list[Number], dict[int, tuple[str, int]]]:
    spans = not_count_spans(masked)
    numbers = sorted(digit_numbers(masked) + word_numbers(masked, lang) + _article_ones(masked, lang),
                     key=lambda n: (n.start, -n.end))
    kept: list[Number] = []
    for number in numbers:
        if kept and number.start < kept[-1].end:
            continue
        if any(s < number.end and number.start < e for s, e in spans):
            continue
        if not_count_after(masked, number.end) or _is_year(masked, number, found):
            continue
        kept.append(number)
    return _merge_ranges(kept, masked, lang)


_SINGULAR_PERSON = {
    "en": r"man|woman|person|protest[eo]r|demonstrator|police(?:wo)?man|officer|soldier|child|boy|girl|student|"
          r"journalist|reporter|photographer|teenager|youth|voter|bystander|resident|citizen|civilian|member|guard|worker|driver|detainee|"
          r"activist|supporter|prisoner|inmate|serviceman|gendarme|trooper|cameraman|pensioner|minor|passer-by|"
          r"lawyer|doctor|nurse|medic|paramedic|teacher|priest|volunteer|observer|monitor|farmer|shopkeeper",
    "es": r"hombre|mujer|persona|manifestante|policía|agente|militar|soldado|joven|niñ[oa]|menor|estudiante|periodista|"
          r"miembro|reportero|fotógrafo|detenido|civil|opositor",
    "pt": r"homem|mulher|pessoa|manifestante|policial|polícia|agente|militar|soldado|jovem|criança|menor|estudante|"
          r"jornalista|membro|repórter|fotógrafo|civil|opositor",
    "fr": r"homme|femme|personne|manifestant|manifestante|policier|policière|gendarme|agent|militaire|soldat|jeune|enfant|"
          r"mineur|étudiant|journaliste|photographe|membre|passant|détenu|civil|opposant",
}
_ARTICLES = {"en": r"an?", "es": r"una?", "pt": r"uma?", "fr": r"une?"}
_ARTICLE_FILLER_STOP = {"had", "has", "have", "was", "were", "is", "are", "been", "be", "and", "or", "of", "the",
                        "by", "who", "that", "which", "in", "on", "at", "with", "from", "to", "for", "number",
                        "lot", "total", "group", "crowd", "mob", "further", "few", "couple", "dozen", "que", "de",
                        "do", "da", "el", "la", "o", "le", "les", "des", "du", "et", "grupo", "groupe", "dizaine",
                        "centaine", "decena", "dezena", "centenar", "vingtaine"}


# languages without articles: a person noun in the nominative singular counts one ("погиб 34-летний мужчина")
_SINGULAR_NOMINATIVE = {
    "ru": r"мужчина|женщина|юноша|девушка|подросток|студент|студентка|пенсионер|пенсионерка|ребенок|ребёнок|"
          r"сотрудник|милиционер|полицейский|военнослужащий|протестующий|демонстрант|журналист|журналистка|"
          r"участник|участница|житель|жительница|водитель|прохожий|фотограф|оператор",
    "pl": r"mężczyzna|kobieta|nastolatek|student|studentka|policjant|funkcjonariusz|żołnierz|demonstrant|dziennikarz|"
          r"dziennikarka|uczestnik|mieszkaniec|przechodzień|fotoreporter",
    "sk": r"muž|žena|mladík|študent|študentka|policajt|vojak|demonštrant|novinár|novinárka|účastník|obyvateľ|chodec",
}
_SINGULAR_RES = {code: re.compile(rf"(?<!\w)(?:(?:\d+-\w+|[^\W\d]+(?:ый|ий|ой|ая|яя|ny|na|ni|ý|á))\s+){{0,2}}?({words})(?!\w)", re.I)
                 for code, words in _SINGULAR_NOMINATIVE.items()}


def _singular_ones(masked: str, lang: str) -> list[Number]:
    regex = _SINGULAR_RES.get(lang)
    if regex is None:
        return []
    ones = []
    for m in regex.finditer(masked):
        before = masked[:m.start()].rstrip()
        if re.search(r"(?:\d|[^\W\d]+(?:ое|ро|ти|ть|ух|ёх|ех)|(?<!\w)(?:один|одна|одного|одной|одним|одну))$", before) or \
                _DEMONSTRATIVE.search(before):
            continue  # "пятеро мужчин" is counted by its number; "этот мужчина", "ten muž" is someone already counted
        ones.append(Number(m.start(1), m.end(1), 1, kind="singular"))
    return ones


# "dont un par balle", "l'un d'entre eux", "uno de ellos": one, of the figure before
_ONE_OF = re.compile(r"(?<=dont )(?:un|une)(?!\w)|(?<!\w)l['’](?:un|une)(?= d['’](?:entre )?(?:eux|elles))|"
                     r"(?<!\w)(?:uno|una)(?= de (?:ell[oa]s|los|las))|(?<!\w)(?:um|uma)(?= (?:deles|delas|dos|das))", re.I)


def _article_ones(masked: str, lang: str) -> list[Number]:
    """ "an elderly woman died": the article counts one person when a person noun follows it."""
    ones = [Number(m.start(), m.end(), 1) for m in _ONE_OF.finditer(masked)]
    ones += [Number(m.start(1), m.end(1), 1) for m in _ONE_AT_PLACE.finditer(masked)]
    return ones + _person_articles(masked, lang)


def _person_articles(masked: str, lang: str) -> list[Number]:
    if lang in _SINGULAR_RES:
        return _singular_ones(masked, lang)
    if lang not in _ARTICLES:
        return []
    pattern = re.compile(rf"(?<!\w)({_ARTICLES[lang]})\s+((?:[\w-]+\s+){{0,3}}?)(?:{_SINGULAR_PERSON[lang]})(?!\w|['’]s\b)", re.I)
    numbers = []
    for m in pattern.finditer(masked):
        if any(f.lower() in _ARTICLE_FILLER_STOP or f.lower() in ("one", "uno", "um") for f in m.group(2).split()):
            continue
        numbers.append(Number(m.start(1), m.end(1), 1, kind="article"))
    return numbers


def _qualifier(prefix: str, lang: str) -> tuple[str, int]:
    """(qualifier, length of the phrase) from the text just before a number."""
    regex, meaning = _QUALIFIER_RES.get(lang, _QUALIFIER_RES[_ENGLISH])
    m = regex.search(prefix[-40:])
    best = (meaning[m.group(1).lower()], len(m.group(0))) if m else ("exact", 0)
    rest = prefix[:len(prefix) - best[1]]
    phrase = prefix[len(prefix) - best[1]:].strip().lower()
    if phrase == "about" and _ABOUT_AS_TOPIC.search(rest):
        return ("exact", 0)  # "officials spoke about three dead": about = concerning
    if best[0] == "up_to" and phrase in ("до", "do", "hasta", "até", "jusqu'à", "jusqu’à", "až", "up to") and \
            (_RISE_BEFORE[lang].search(rest) or _RISE_BEFORE[_ENGLISH].search(rest) or _FROM.search(rest.rstrip()[-25:] + " ")
             or _REVISION_BEFORE[lang].search(rest)
             or (phrase != "up to" and (_CORRECTION[lang].search(rest) or _CORRECTION[_ENGLISH].search(rest)))
             or re.search(r"(?<!\w)(?:od|от|с|z|de|from)\s+\S+\s*$", rest, re.I)):
        return ("exact", best[1])  # "выросло до 590", "subió hasta 40": a stated count
    return best


def _clause_bounds(masked: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SEGMENT_BREAK.finditer(masked, 0, start)), default=0)
    right = next((m.start() for m in _SEGMENT_BREAK.finditer(masked, end)), len(masked))
    return left, right


def _attach(masked: str, number: Number, q_start: int, lo: int, hi: int, found: list[Mention],
            lang: str) -> tuple[str | None, Mention | None, bool]:
    """(metric, the mention that gave it, whether it came from outside the number's clause)."""
    live = [m for m in found if not m.negated]
    before = [m for m in live if lo <= m.start and m.end <= q_start]
    if before:
        nearest = max(before, key=lambda m: m.end)
        noun_gap = _NOUN_GAP_ROMANCE if lang in ("es", "pt", "fr") else _NOUN_GAP
        owned = lo > 0 and _GROUP_GAP.fullmatch(masked, lo, nearest.start)  # "300 пострадавших 40 ..."
        if ":" in masked[nearest.end:q_start]:
            _, own_hi = _clause_bounds(masked, q_start, number.end)
            owned = owned or any(number.end <= m.start < min(own_hi, hi) and not m.modifier for m in live)
            # "140 ont été prises en charge : 95 ont pu regagner leur domicile": the list item has its own verb
        linked = (_VERB_GAP if nearest.kind == VERB else noun_gap).match(masked, nearest.end, q_start)
        if not linked and not owned and (nearest.kind == NOUN or _COUNT_NOUN_BEFORE.search(masked, 0, nearest.start)):
            # "the number of injured journalists rose to 14", "число задержанных участников беспорядков превысило 600"
            linked = noun_gap.match(_GROUP_WORDS.sub(" ", masked[nearest.end:q_start]))
        if not linked and not owned and _COUNT_NOUN_BEFORE.search(masked, 0, nearest.start) and \
                not _SEGMENT_BREAK.search(masked, nearest.end, q_start) and \
                not any(nearest.end <= m.start < q_start for m in found):
            # "Число погибших в ходе беспорядков возросло до 23", "the number of people hurt in the clashes rose to 40":
            # an adjunct between the count noun and its verb of rising
            rise = [r for r in (_RISE_IN[lang], _RISE_IN[_ENGLISH]) for r in r.finditer(masked, nearest.end, q_start)]
            linked = bool(rise) and noun_gap.match(masked, max(r.end() for r in rise), q_start) is not None
        if linked and not owned and _FRAME_BEFORE.search(masked, 0, nearest.start):
            after = next((m for m in live if number.end <= m.start < _clause_bounds(masked, q_start, number.end)[1]
                          and not m.modifier and m.metric), None)
            if after is not None:
                return after.metric, after, False  # "из числа пострадавших 40 человек госпитализированы": the frame is not the count
        if not owned and linked:
            right_after = next((m for m in live if m.start >= number.end), None)
            if _TALLY.fullmatch(masked, nearest.start, nearest.end) and right_after is not None and right_after.metric and \
                    _GROUP_GAP.fullmatch(masked, number.end, right_after.start):
                return right_after.metric, right_after, False  # "le bilan s'élève à 45 blessés": the noun after says what
            return (nearest.metric or None), nearest, False
    clause_lo, clause_hi = _clause_bounds(masked, q_start, number.end)

    def forward(limit: int) -> Mention | None:
        after = [m for m in live if number.end <= m.start < min(limit, hi)]
        if len(after) > 1 and (_GROUP_GAP.fullmatch(masked, number.end, after[0].start) or
                               _OTHER_GAP.fullmatch(masked, number.end, after[0].start) or
                               _PARTITIVE_NOUN.fullmatch(masked, number.end, after[0].start)) and \
                _NOMINAL.fullmatch(masked, after[0].start, after[0].end):
            after[0] = Mention(after[0].start, after[0].end, after[0].metric, after[0].kind, True)
        predicates = [m for m in after if not m.modifier and not _adverbial_place(masked, m, found)]
        if number.kind in ("article", "singular") and after and _REPORTING.search(masked, number.end, after[0].start):
            return None  # "a police officer said protesters were killed": the speaker is not counted
        if len(predicates) > 1 and not predicates[0].metric and predicates[1].metric and \
                _THEN_AND.fullmatch(masked, max([predicates[0].end] + [m.end for m in after if predicates[0].end <= m.start and
                                                                        m.end <= predicates[1].start]), predicates[1].start):
            return predicates[1]  # "foram agredidos e ficaram feridos": the casualty predicate of the pair
        if predicates:
            first = predicates[0]
            icu = next((m for m in after if m.metric == "icu" and m.start > first.end), None)
            if first.metric == "hospitalized" and icu and icu.start - first.end <= 30 and \
                    not _SEGMENT_BREAK.search(masked, first.end, icu.start):
                return icu  # "internados em cuidados intensivos", "hospitalised in intensive care"
            return first
        if after and number.kind != "article":
            fallback.append(after[0])  # "The 12 detainees, aged 18 to 25, were injured": keep looking first
        return None

    def backward(limit: int) -> Mention | None:
        earlier = [m for m in live if max(limit, lo) <= m.start and m.end <= q_start and not m.modifier and
                   not _adverbial_place(masked, m, found)]
        if not earlier or (number.kind == "singular" and limit < lo):
            return None
        nearest = max(earlier, key=lambda m: m.end)
        if number.kind == "article" and not _INCLUDE_GAP.fullmatch(masked, nearest.end, q_start):
            return None  # "an elderly woman died": an article's predicate follows it, unless "the dead include a ..."
        return nearest

    fallback: list[Mention] = []
    strong = next((m.start() for m in _STRONG_BREAK.finditer(masked, number.end)), len(masked))
    for outside, search in ((False, lambda: forward(clause_hi)), (False, lambda: backward(clause_lo)),
                            (True, lambda: forward(strong)), (True, lambda: backward(0))):
        mention = search()
        if mention is not None:
            return (mention.metric or None), mention, outside
    if fallback:
        return (fallback[0].metric or None), fallback[0], False
    return None, None, False


def _adverbial_place(masked: str, mention: Mention, found: list[Mention]) -> bool:
    """ "beaten in custody and injured", "murieron en el hospital": a place right after a verb says where, it is no
    predicate of its own."""
    return bool(_PLACE_ONLY.match(masked, mention.start)) and \
        any(m is not mention and m.end <= mention.start and not masked[m.end:mention.start].strip() for m in found)


def _group_at(masked: str, pos: int) -> tuple[str, str] | None:
    for group, regex in GROUP_RES.items():
        m = regex.match(masked, pos)
        if m:
            return group, m.group()
    return None


# a bare staff noun stands for the group named before it: "ещё четверо сотрудников", "three of their colleagues"
_STAFF = re.compile(r"(?:сотрудник\w*|сотрудниц\w*|коллег\w*|colleagues|comrades|compañeros|colegas|collègues|camarades|"
                    r"kolegów|koleg\w*|kolegovia|kolegov)(?!\w)", re.I)
_PERSON_AT = re.compile(rf"(?:{PERSON_NOUNS})(?!\w)", re.I)
_BARE_POLICE = re.compile(r"(?:police|policías|polícias|policiers|полицейских|милиционеров|policjantów|policajtov)(?!\w)", re.I)


def _counted(masked: str, number: Number, q_start: int, clause_hi: int, mention: Mention | None) -> tuple[str, str]:
    """Who the number counts: (group, the words that say so); ("all", "") when no group is named."""
    if number.kind == "singular" and _group_at(masked, number.start):
        return _group_at(masked, number.start)  # "задержан журналист": the noun is the number
    pos = number.end
    tokens = list(re.finditer(r"\S+", masked[pos:clause_hi]))
    for i, token in enumerate(tokens[:5]):
        at = pos + token.start()
        group = _group_at(masked, at)
        if group:
            return group
        if _STAFF.match(masked, at):
            named = [(m.start(), g, m.group()) for g, r in GROUP_RES.items() for m in r.finditer(masked, 0, number.start)]
            if named:
                return max(named)[1:]  # "Двое полицейских погибли, ещё четверо сотрудников ...": staff of the group named before
        if _PERSON_AT.match(masked, at):
            return _group_before(masked, q_start, mention) or ("all", "")  # "число задержанных участников акции — 600 человек"
        if i == 0 and _BARE_POLICE.match(masked, at):
            return "security_forces", _BARE_POLICE.match(masked, at).group()
        word = token.group().strip(",.:;")
        if _AGE_WORD.fullmatch(word):
            continue  # "a 45-year-old policeman"
        if not _GROUP_SKIP.fullmatch(word) and (i >= 2 or _COUNTED_STOP.fullmatch(word) or not word.isalpha()):
            break
    bare = _COPULA_POLICE.search(masked, pos, clause_hi)
    if bare:
        return "security_forces", bare.group(1)  # "209 were police"
    copula = _COPULA_GROUP.search(masked, pos, clause_hi)
    if copula:
        rest = masked[copula.end():clause_hi]
        for m in re.finditer(r"\S+", rest[:40]):
            group = _group_at(masked, copula.end() + m.start())
            if group:
                return group
    for group, regex in GROUP_RES.items():
        m = re.search(rf"(?:{regex.pattern})\s+(?:accounted for|account for|made up|make up|represented|represent|"
                      rf"constituyen|representan|représentent|representam|составляют|составили)\s+$", masked[:q_start], re.I)
        if m:
            return group, m.group(1) if m.groups() else m.group().split()[0]  # "police officers accounted for 12"
    return _group_before(masked, q_start, mention) or ("all", "")


def _group_before(masked: str, q_start: int, mention: Mention | None) -> tuple[str, str] | None:
    """A group named between the metric word and the number: "the number of injured journalists rose to 14"."""
    if mention is not None and mention.end <= q_start:
        for group, regex in GROUP_RES.items():
            m = next((m for m in regex.finditer(masked, mention.start, q_start)
                      if not _INSTITUTION_AFTER.fullmatch(" " + m.group())), None)  # "zadržala polícia ... 70": the agent
            if m:
                return group, m.group()
        if re.fullmatch(r"\s*[:—–-]\s*", masked[mention.end:q_start]):
            for group, regex in GROUP_RES.items():
                m = re.search(rf"(?:{regex.pattern})\s+$", masked[max(0, mention.start - 60):mention.start], re.I)
                if m:
                    return group, m.group().strip()  # "Officers injured: 14", "Blessés parmi les policiers : 12"
        for group, regex in GROUP_RES.items():
            m = re.search(rf"(?<!\w)(?:number|count|total|nombre|número|numero|cifra|число|количество|liczba|liczbę|počet)"
                          rf"\s+(?:of\s+|de\s+|d['’]|des\s+|dos\s+|das\s+|de los\s+|de las\s+)?({regex.pattern})\s+$",
                          masked[max(0, mention.start - 60):mention.start], re.I)
            if m:
                return group, m.group(1)  # "le nombre de journalistes blessés", "the number of police officers injured"
    return None


def negated_zeros(masked: str, lang: str, found: list[Mention], numbers: list[Number]) -> list[Draft]:
    """ "No one was killed", "никто не пострадал", "no hubo muertos": the zero of that metric."""
    drafts = []
    regexes = [_NEGATORS[lang]] + ([_NEGATORS[_ENGLISH]] if lang != _ENGLISH else [])
    subgroup = [_SUBGROUP_ZERO[lang], _SUBGROUP_ZERO[_ENGLISH]]
    taken: set[int] = set()
    for regex in regexes:
        for m in regex.finditer(masked):
            if any(s.match(masked, m.start()) for s in subgroup) or m.start() in taken:
                continue
            determiner = any(x.metric and not masked[m.end():x.start].strip() for x in found if x.start >= m.end())
            if _PRONOUN_ZERO.fullmatch(m.group()) and any(n.end <= m.start() for n in numbers) and not determiner:
                continue  # "24 were treated; none required hospitalisation": none of them ("aucun décès" is no pronoun)
            clause_lo, clause_hi = _clause_bounds(masked, m.start(), m.end())
            next_number = min((n.start for n in numbers if n.start >= m.end()), default=len(masked))
            limit = min(clause_hi, next_number, m.end() + 70)
            after = [x for x in found if m.end() <= x.start < limit and x.metric]
            before = [x for x in found if clause_lo <= x.start and x.end <= m.start() and m.start() - x.end <= 3 and x.metric]
            mention = after[0] if after else (before[-1] if before else None)
            if mention is None:
                continue
            taken.add(m.start())
            lo, hi = min(m.start(), mention.start), max(m.end(), mention.end)
            group = next(((g, r.search(masked, m.end(), max(m.end(), mention.start)).group()) for g, r in GROUP_RES.items()
                          if r.search(masked, m.end(), max(m.end(), mention.start))), ("all", ""))
            if group[0] != "all" and not (group[0] == "detainees" and mention.metric == "detained"):
                continue  # "no policeman was killed": a sub-group's zero is not the metric's zero
            counted = "all"
            cues = {"number": masked[m.start():m.end()], "negation": masked[m.start():m.end()],
                    "metric": masked[mention.start:mention.end]}
            if group[1]:
                cues["counted"] = group[1]
            if not any(d.metric == mention.metric for d in drafts):
                drafts.append(Draft(mention.metric, 0, None, "exact", counted, "total", lo, hi, cues=cues))
    return drafts


def _denied_spans(masked: str, lang: str) -> list[tuple[int, int]]:
    spans = []
    for regex in {_DENIALS[lang], _DENIALS[_ENGLISH]}:
        for m in regex.finditer(masked):
            spans.append((m.start(), m.end()))
    return spans


def _unqualified_gap(masked: str, previous: Number, number: Number, lang: str) -> str:
    """The words between two numbers of a list, without the qualifier of the second ("and at least")."""
    gap = masked[previous.end:number.start]
    _, q_len = _qualifier(gap, lang) if number.kind == "count" else ("exact", 0)
    return gap[:len(gap) - q_len]


def _coordinated(masked: str, previous: Number, number: Number, lang: str) -> bool:
    """Two items of one list under one predicate: "40 demonstrators and at least 9 police officers"."""
    return _COORDINATED.fullmatch(_unqualified_gap(masked, previous, number, lang)) is not None


def _is_aside(masked: str, numbers: list[Number], k: int, lang: str, found: list[Mention]) -> bool:
    """ "12 people, including 3 police officers, were injured": a part set off before the predicate of its whole. A part
    with its own predicate and nothing closing it ("962 people were shot, out of whom 405 died") is no aside."""
    prefix = masked[numbers[k - 1].end:numbers[k].start]
    if not (re.search(r"[,(]", prefix) and (_PART_BEFORE[lang].search(prefix) or _PART_BEFORE[_ENGLISH].search(prefix))):
        return False
    following = next((m for m in found if m.start >= numbers[k].end and m.metric and not m.modifier), None)
    return following is None or bool(re.search(r"[,)–—;]", masked[numbers[k].end:following.start]))


def read_sentence(masked: str, lang: str, previous_metric: str | None, parts_inside: list[tuple[int, int]],
                  superseded: list[str] | None = None, after_earlier_report: bool = False) -> list[Draft]:
    """Every figure of one (masked) sentence, in reading order.

    `superseded` collects the metrics of the old figures dropped ("ранее сообщалось о 140 задержанных"),
    so that "эта цифра была снижена до 126" in the next sentence knows what it revises. After a sentence that
    gave an earlier report (`after_earlier_report`), a bare tally ("selon le nouveau bilan, ils sont 19") is the
    updated figure of the metric reported, as after a correction verb."""
    if lang in _DASH_COPULA:
        masked = _DASH.sub(lambda m: " " * len(m.group()), masked)  # "из них 5 — в реанимации": a dash is a copula
    found = mentions(masked, lang)
    numbers, revisions = sentence_numbers(masked, lang, found)
    zeros = negated_zeros(masked, lang, found, numbers)
    for zero in zeros:
        for m in found:
            if zero.start <= m.start and m.end <= zero.end:
                m.negated = True  # "Nobody was killed, but 23 officers ... were hurt": killed is not theirs
    denied = _denied_spans(masked, lang)
    drafts: list[Draft] = []
    frame: tuple[Draft, int] | None = None  # "Of the 45 injured, ...": the whole later numbers break down
    wholes: dict[int, int] = {}  # index in numbers of an explicit whole -> index in drafts of its part
    lo_floor, dropped = 0, False  # a dropped number ("not 300 but 1,200") does not bound the next one's search
    old_values: list[int] = []  # the old figures this sentence names ("from 12 to 14", "contre 260 annoncées")
    for n, number in enumerate(numbers):
        prefix_start = numbers[n - 1].end if n else 0
        if n and not dropped:
            lo_floor = prefix_start
        dropped = False
        if n in wholes:
            # "3 of the 10 injured ...": the 10 is counted only by the noun right after it
            first = next((m for m in found if m.start >= number.end), None)
            if first and first.metric and _GROUP_GAP.fullmatch(masked, number.end, first.start):
                part = drafts[wholes[n]] if wholes[n] is not None else None
                qualifier, q_len = _qualifier(masked[prefix_start:number.start], lang)
                drafts.append(Draft(first.metric, number.value, number.high, qualifier, "all", "total",
                                    number.start, number.end,
                                    cues={"number": masked[number.start:number.end],
                                          "metric": masked[first.start:first.end]}))
                if part is not None and part.metric == first.metric:
                    part.whole = drafts[-1]
                    part.part_hint = True
            continue
        prefix = masked[prefix_start:number.start]
        denial = next(((s, e) for s, e in denied
                       if lo_floor <= s and e <= number.start and not _DENIAL_BREAK.search(masked, e, number.start) and
                       not any(m.metric and e <= m.start and m.end <= number.start and
                               _AND_AFTER_EVENT.search(masked, m.end, number.start) for m in found)), None)
        if denial:
            denied.remove(denial)
            dropped = True
            continue  # "denied that 3,000 people were detained": the number the denial is about
        qualifier, q_len = _qualifier(prefix, lang) if number.kind == "count" else ("exact", 0)
        q_start = number.start - q_len
        core_prefix = masked[prefix_start:q_start]
        if qualifier == "up_to" and drafts and drafts[-1].qualifier == "exact" and \
                masked[q_start:number.start].strip().lower() in ("до", "do", "to", "hasta", "até", "jusqu'à", "jusqu’à", "až") and \
                _ELIDED_RISE_GAP.fullmatch(core_prefix) and \
                (_RISE_IN[lang].search(masked, 0, drafts[-1].start) or _RISE_IN[_ENGLISH].search(masked, 0, drafts[-1].start)):
            qualifier = "exact"  # "Число погибших выросло до 12, пострадавших — до 80": the rise verb is elided
        revising = _REVISION[lang].search(masked) or _REVISION[_ENGLISH].search(masked)
        if _NEGATION.search(core_prefix) or _OLD_FIGURE[lang].search(core_prefix) or \
                _OLD_FIGURE[_ENGLISH].search(core_prefix) or \
                (revising and (_EARLIER.search(core_prefix) or (drafts and _FROM.search(core_prefix)) or
                               (drafts and _OLD_AFTER.match(masked, number.end)))):
            dropped = True
            if superseded is not None:
                next_start = numbers[n + 1].start if n + 1 < len(numbers) else len(masked)
                old_metric = _attach(masked, number, q_start, lo_floor, next_start, found, lang)[0]
                if old_metric:
                    superseded.append(old_metric)
                    previous_metric = previous_metric if drafts else old_metric
            old_values.append(number.value)
            continue  # "not 3,000 but 300", "down from 40"
        cues: dict[str, str] = {"number": masked[number.start:number.end]}
        if q_len:
            cues["qualifier"] = masked[q_start:number.start].strip()
        scope, part_hint = "total", False
        increment = _INCREMENT_BEFORE[lang].search(core_prefix) or _INCREMENT_BEFORE[_ENGLISH].search(core_prefix) or \
            _RISE_BY.search(core_prefix) or \
            (lang in ("es", "fr", "pt") and _INCREMENT_AFTER_NOUN.match(masked, number.end)) or \
            _INCREMENT_AFTER[lang].match(masked, number.end) or _INCREMENT_AFTER[_ENGLISH].match(masked, number.end)
        if increment and not _POST_AT_LEAST.match(masked, number.end) and number.qualifier != "at_least":
            scope = "increment"
            cues["scope"] = increment.group().strip()
        part = _PART_BEFORE[lang].search(core_prefix) or _PART_BEFORE[_ENGLISH].search(core_prefix) or \
            _PART_AFTER[lang].match(masked, number.end) or _PART_AFTER[_ENGLISH].match(masked, number.end)
        if not part and number.kind == "singular":
            bare = _TRAILING_ADJECTIVES.sub(" ", core_prefix)  # "в том числе 19-летний студент"
            part = _PART_BEFORE[lang].search(bare) or _PART_BEFORE[_ENGLISH].search(bare)
        anaphoric = bool(part)  # a part with no group of its own counts the whole's people ("including 14 who were hospitalised")
        if part and scope == "total":
            part_hint = True
            cues["scope"] = part.group().strip(" ,:")
        list_item = None  # the part before, when this number goes on its list of parts
        if not part and drafts and drafts[-1].cues.get("scope") and drafts[-1].part_hint and \
                _LIST_CONTINUES.fullmatch(core_prefix) and scope == "total":
            part_hint = True  # "из них 164 госпитализированы, 522 получили амбулаторную помощь": the list goes on
            cues["scope"] = drafts[-1].cues["scope"]
            list_item = drafts[-1]
        in_breakdown = any(s <= number.start < e for s, e in parts_inside)
        if in_breakdown and scope == "total":
            part_hint = True
            cues.setdefault("scope", "(...)")
        target, after = number, n + 1
        if after < len(numbers) and _PARTITIVE.fullmatch(masked, number.end, numbers[after].start):
            wholes[after] = len(drafts)  # the predicate after "of the 10 injured" belongs to this number
            target = Number(number.start, numbers[after].end, number.value)
            after += 1
        while after < len(numbers) and (_is_aside(masked, numbers, after, lang, found) or
                                        any(s <= numbers[after].start < e for s, e in parts_inside)):
            after += 1  # "12 people, including 3 police officers, were injured": the 12 reads past the aside
        while after < len(numbers) and _coordinated(masked, numbers[after - 1], numbers[after], lang) and \
                _LIST_AND.search(_unqualified_gap(masked, numbers[after - 1], numbers[after], lang)) and \
                not any(numbers[after - 1].end <= m.start < numbers[after].start for m in found) and \
                not _COPULA_GROUP.search(masked, numbers[after - 1].end, numbers[after].start):
            after += 1  # "23 officers and 40 protesters were hurt", "Around 40 demonstrators and at least 9 police
            # officers were wounded": the predicate after the list counts both, whatever qualifies each item
        hi = numbers[after].start if after < len(numbers) else len(masked)
        metric, mention, outside = _attach(masked, target, q_start, lo_floor, hi, found, lang)
        if outside and part and drafts and metric != drafts[-1].metric:
            metric, mention = drafts[-1].metric, None  # "112 пострадали, в том числе 31 сотрудник милиции, погибли четверо"
            cues["metric"] = "(" + metric + " of the figure before)"
        if metric is None and previous_metric and _ANAPHORA.search(masked, 0, q_start):
            metric = previous_metric  # "the official figure of 616" after a death toll
            cues["metric"] = "(" + previous_metric + " of the previous figure)"
        correction = _CORRECTION[lang].search(masked, lo_floor, q_start) or _CORRECTION[_ENGLISH].search(masked, lo_floor, q_start)
        if metric is None and previous_metric and correction and (_ANAPHORA_CORRECTED.search(masked, 0, correction.start()) or
                                                                  _CORRECTION_GAP.fullmatch(masked, correction.end(), q_start)):
            metric = previous_metric  # "That figure was later revised down to 260."
            cues["metric"] = "(" + previous_metric + " of the figure revised)"
        elif (correction or after_earlier_report) and previous_metric and mention is not None and metric != previous_metric and \
                _BARE_TALLY.fullmatch(masked, mention.start, mention.end) and \
                not _DEATH_BEFORE.search(masked, max(0, mention.start - 12), mention.start) and \
                not any(m.metric and m is not mention and lo_floor <= m.start < hi for m in found):
            metric, mention = previous_metric, None  # "30 blessés. Le bilan a ensuite été corrigé à 26": the tally revised
            cues["metric"] = "(" + previous_metric + " of the tally revised)"
        if metric is None and drafts and n and drafts[-1].start == numbers[n - 1].start and \
                _COORDINATED.fullmatch(masked, numbers[n - 1].end, q_start) and \
                not any(numbers[n - 1].end <= m.start < q_start for m in found):
            metric = drafts[-1].metric  # "resultaron heridos 9 policías y 30 manifestantes": one verb, a list
            cues["metric"] = drafts[-1].cues.get("metric", "")
        if metric is None and drafts and n and drafts[-1].start == numbers[n - 1].start and \
                (_RISE_BEFORE[lang].search(masked, numbers[n - 1].end, q_start) or
                 _RISE_BEFORE[_ENGLISH].search(masked, numbers[n - 1].end, q_start) or
                 (drafts[-1].scope == "increment" and
                  re.fullmatch(r"\s*(?:to|до|a|à|para|na|do)\s*", masked[numbers[n - 1].end:q_start], re.I))) and \
                not any(numbers[n - 1].end <= m.start < q_start for m in found):
            metric = drafts[-1].metric  # "увеличилось на 2 и достигло 9", "rose by 3 to reach 17"
            cues["metric"] = drafts[-1].cues.get("metric", "")
        if metric is None and drafts and n and drafts[-1].start == numbers[n - 1].start and \
                (_WHOLE_AFTER.match(masked, number.end) or _WHOLE_BEFORE.search(masked, 0, q_start)) and \
                not any(numbers[n - 1].end <= m.start < q_start for m in found):
            metric = drafts[-1].metric  # "Ficaram feridos 14 manifestantes e 5 policiais, 19 pessoas ao todo": the list's whole
            cues["metric"] = "(" + metric + " of the figures before)"
        if metric is None and mention is None and scope == "increment" and drafts:
            metric = drafts[-1].metric  # "zatrzymano 35 osób, w niedzielę kolejne 20": more of the same
            cues["metric"] = "(" + metric + " of the figure before)"
        clause_lo, clause_hi = _clause_bounds(masked, q_start, number.end)
        if outside and drafts and mention is not None and metric != drafts[-1].metric and n and \
                drafts[-1].start == numbers[n - 1].start and mention.start >= drafts[-1].end and \
                _GROUP_GAP.fullmatch(masked, drafts[-1].end, mention.start) and \
                (_SEVERITY[lang].search(masked, clause_lo, clause_hi) or _SEVERITY[_ENGLISH].search(masked, clause_lo, clause_hi)):
            # "V nemocnici zostáva 8 zranených, dvaja sú v kritickom stave": the noun after the 8 names its people,
            # the 8 count hospital stays, and the two in critical condition are a part of that count
            metric, mention = drafts[-1].metric, None
            cues["metric"] = "(" + metric + " of the figure before)"
        if _FALSE_AFTER.search(masked, number.end, _predicate_end(masked, clause_hi)):
            dropped = True
            continue  # "claims that 50 people died are false"
        severity = _SEVERITY[lang].search(masked, clause_lo, clause_hi) or _SEVERITY[_ENGLISH].search(masked, clause_lo, clause_hi)
        severity_after = bool(severity) and severity.start() >= number.end and \
            not any(m.metric and number.end <= m.start < severity.start() for m in found) and \
            not any(number.end <= other.start < severity.start() for other in numbers)
        if severity and metric is not None and ((mention is None and cues.get("metric", "").startswith("(")) or
                                                (mention is not None and mention.end <= q_start and severity_after and
                                                 (metric == "dead" or scope == "increment"))):
            # "three died and another two are in serious condition": people hurt, a part of an injured or hospital
            # figure when there is one, else injured; "ещё двое — в крайне тяжёлом": more of a part, not an increment
            base = next((d for d in reversed(drafts) if d.metric in ("injured", "hospitalized", "icu")), None) \
                if metric == "dead" else None
            if metric == "dead":
                metric = base.metric if base else "injured"
                cues["metric"] = "(" + metric + ": " + severity.group() + ")"
            scope = "total"
            cues["scope"] = severity.group()
        if metric is not None and severity and cues.get("scope") == severity.group() and \
                (metric != "injured" or any(d.metric == "injured" for d in drafts)):
            part_hint = True
        if metric is None and mention is None and list_item is not None and \
                (_group_at(masked, number.end + len(masked[number.end:]) - len(masked[number.end:].lstrip())) or
                 _COPULA_GROUP.match(masked, number.end + len(masked[number.end:]) - len(masked[number.end:].lstrip()))):
            # "Из 81 пострадавшего 35 — сотрудники полиции, 46 — участники акции": a list of groups goes on, parts
            # of the same whole
            metric = list_item.metric
            cues["metric"] = "(" + metric + " of the part before)"
        if metric is None and mention is None and (part or severity or in_breakdown) and scope == "total" and \
                (drafts or previous_metric):
            # "из них пятеро в тяжелом состоянии", "cinco de ellas de gravedad": a part of the figure before
            metric = drafts[-1].metric if drafts else previous_metric
            part_hint = True
            cues["metric"] = "(" + metric + " of the figure before)"
            cues.setdefault("scope", (part or severity).group().strip(" ,:") if (part or severity) else "(...)")
        # "213 people were injured: 156 protesters and 57 police officers": a list of groups after a colon breaks
        # the figure before it down
        colon_item = bool(drafts) and n > 0 and drafts[-1].start == numbers[n - 1].start and scope == "total" and \
            _COLON_GAP.fullmatch(masked, numbers[n - 1].end, q_start) is not None and \
            _group_at(masked, number.end + len(masked[number.end:]) - len(masked[number.end:].lstrip())) is not None and \
            metric in (None, drafts[-1].metric)
        if colon_item:
            metric, part_hint = drafts[-1].metric, True
            cues["metric"] = cues.get("metric", "(" + metric + " of the figure before)")
            cues["scope"] = ":"
        parallel = _PARALLEL_GROUP.fullmatch(masked, numbers[n - 1].end, q_start) if n and drafts and \
            drafts[-1].start == numbers[n - 1].start else None
        if metric is None and parallel:
            metric = drafts[-1].metric  # "Пострадавших среди силовиков — 11, среди протестующих — 37"
            cues["metric"] = "(" + metric + " of the figure before)"
        frame_part = metric is None and frame is not None and mention is not None and not mention.metric and \
            scope == "total" and not _ENDS_STATE.fullmatch(masked, mention.start, mention.end)
        if frame is not None and severity_after and mention is not None and mention.end <= q_start and n and \
                mention.start >= numbers[n - 1].end and metric != frame[0].metric and scope == "total":
            # "Of the 29 hospitalised, 17 have been discharged and 3 are in a critical condition": the verb before is
            # the list item before's; a severity with no metric of its own is a part of the frame's figure
            metric, frame_part = frame[0].metric, True
        if frame_part:
            metric = frame[0].metric  # "Of the 57 injured, 14 were evacuated to other cities": still injured, a part
        place_item = metric is None and mention is None and scope == "total" and bool(drafts) and n > 0 and \
            drafts[-1].start == numbers[n - 1].start and \
            (_PLACE_BEFORE.fullmatch(masked, numbers[n - 1].end, q_start) is not None or
             (_PLACE_AFTER.match(masked, number.end) is not None and
              _PLACE_LIST_GAP.fullmatch(masked, numbers[n - 1].end, q_start) is not None))
        if place_item:
            # "85 people in Kessington, 40 in Velmora", "в столице 12, в Норхавене — 7", "by city: Velmora 40, Dravnik
            # 25": the same count for another place, a figure of its own
            metric = drafts[-1].metric
            cues["metric"] = "(" + metric + " of the place before)"
        if metric is None:
            if after > n + 1:
                wholes[n + 1] = None
            continue
        if mention is not None and metric == "hospitalized" and scope == "increment" and drafts and \
                drafts[-1].metric == "dead" and _PLACE_ONLY.match(masked, mention.start) and \
                not any(m.metric and number.end <= m.start < mention.start for m in found):
            metric = "dead"  # "four died at the scene and two more in hospital": where they died
            cues["metric"] = "(dead of the figure before, " + masked[mention.start:mention.end] + ")"
            mention = None
        if metric == "injured" and mention is not None and not drafts:
            place = next((m for m in found if m.metric), None)
            if place is not None and place.metric == "hospitalized" and place.end <= q_start and \
                    _PLACE_ONLY.match(masked, place.start) and not _SEGMENT_BREAK.search(masked, 0, place.start):
                metric = "hospitalized"  # "À l'hôpital, 23 blessés sont toujours soignés": cared for in hospital
                cues["place"] = masked[place.start:place.end]
        if mention is not None:
            cues["metric"] = masked[mention.start:mention.end]
            if _PARTITIVE_NOUN.fullmatch(masked, number.end, mention.start) and scope == "total":
                part_hint = True  # "12 of the hospitalised are police officers"
                cues.setdefault("scope", masked[number.end:mention.start].strip())
        if outside and scope == "total" and severity:
            part_hint = True  # "5 in critical condition": a part of the figure the metric came from
            cues.setdefault("scope", severity.group())
        if outside and scope == "total" and drafts and drafts[-1].metric == metric and _WITH_AFTER.match(masked, number.end):
            part_hint = True  # "eleven were taken to hospital, three with gunshot wounds"
            cues.setdefault("scope", _WITH_AFTER.match(masked, number.end).group().strip())
        # a copula's group belongs to the number right before it: "Spośród 47 rannych 20 to policjanci"
        group_hi = min(clause_hi, next((o.start for o in numbers[n + 1:] if o.start >= number.end), clause_hi))
        counted, counted_cue = _counted(masked, number, q_start, group_hi, mention)
        if place_item and counted == "all" and drafts[-1].counted != "all":
            counted, counted_cue = drafts[-1].counted, "(" + drafts[-1].counted + " of the place before)"
        if parallel:
            counted, counted_cue = _group_at(masked, parallel.start(1)) or (counted, counted_cue)
        if counted == "all" and drafts and drafts[-1].counted != "all" and mention is not None and \
                re.fullmatch(r"\s*", masked[number.end:mention.start]) and \
                re.fullmatch(r"\s+(?:[^\W\d]+\s+){0,6}?(?:and|et|y|e|и|i|oraz)\s+", masked[drafts[-1].end:q_start], re.I):
            counted = drafts[-1].counted  # "26 of their officers were injured and 4 hospitalised": the same people
            counted_cue = "(" + counted + " of the figure before)"
        if counted == "all" and lang == "fr" and _EN_CLITIC.search(core_prefix):
            # "récuse le bilan de 15 policiers blessés ... et en compte 27": "en" stands for the group named before
            named = [(m.start(), g, m.group()) for g, r in GROUP_RES.items() for m in r.finditer(masked, 0, q_start)]
            if named:
                _, counted, word = max(named)
                counted_cue = "(en: " + word + ")"
        if outside and counted != "all" and scope == "total" and _COPULA_GROUP.search(masked, number.end, clause_hi):
            part_hint = True  # "45 people were hurt; 12 were police officers": a part of the 45
            cues.setdefault("scope", counted_cue)
        if counted == "all" and frame is not None and scope == "total" and frame[0].counted != "all":
            counted = frame[0].counted  # "Of the 57 protesters who were hurt, 14 were evacuated to hospitals": the frame's people
            counted_cue = "(" + counted + " of the frame)"
        if counted == "detainees" and metric == "detained":
            counted, counted_cue = "all", ""
        if counted_cue:
            cues["counted"] = counted_cue
        if id(number) in revisions:
            cues["revision"] = revisions[id(number)][0].strip()
            old_values.append(revisions[id(number)][1])
        if qualifier == "exact":
            if number.qualifier:
                qualifier = number.qualifier
            elif _POST_ABOUT.match(masked, number.end):
                qualifier = "about"  # "deux cents personnes environ"
                cues["qualifier"] = _POST_ABOUT.match(masked, number.end).group().strip()
            elif _POST_AT_LEAST.match(masked, number.end):
                qualifier = "at_least"
                cues["qualifier"] = _POST_AT_LEAST.match(masked, number.end).group().strip()
            elif masked.startswith("+", number.end) and not masked[number.end + 1:number.end + 2].isdigit():
                qualifier = "more_than"  # "50+ hurt": CONVENTIONS name no reading of "N+"; read as "more than N"
                cues["qualifier"] = "+"
        if cues.get("metric", "").startswith("(") and TOTAL_LABEL.search(core_prefix):
            cues["total label"] = TOTAL_LABEL.search(core_prefix).group().strip(" ;.:,—–-")  # layouts.settle_totals
        draft = Draft(metric, number.value, number.high, qualifier, counted, scope, number.start, number.end,
                      part_hint=part_hint, anaphoric=anaphoric and counted == "all", cues=cues,
                      corrects=bool(correction) and scope == "total" and not part_hint)
        if draft.corrects:
            cues.setdefault("revision", correction.group())
        earlier = _EARLIER_REPORT[lang].search(masked, 0, q_start) or _EARLIER_REPORT[_ENGLISH].search(masked, 0, q_start)
        if earlier and scope == "total" and not part_hint and not draft.corrects:
            draft.provisional = True
            cues["earlier report"] = earlier.group()
        if frame_part:
            draft.part_hint, draft.whole = True, frame[0]
            cues["metric"] = "(" + metric + " of the frame, " + masked[mention.start:mention.end] + ")"
        if frame is not None and mention is not None and scope == "total" and \
                (mention.start == frame[1] or metric == frame[0].metric):
            draft.part_hint, draft.whole = True, frame[0]  # "Of the 30 hospitalised, 12 are police officers"
            cues.setdefault("scope", masked[frame[0].start - 8:frame[0].start].strip() + " …")
        if _FRAME.search(core_prefix) and mention is not None and mention.start >= number.end:
            frame = (draft, mention.start)
        drafts.append(draft)
        previous_metric = metric
    for draft in drafts:
        if draft.corrects:
            draft.old_values = tuple(old_values)
    for i, draft in enumerate(drafts):
        later = next((d for d in drafts[i + 1:] if d.metric == draft.metric), None)
        if draft.scope == "total" and not draft.part_hint and later is not None and later.scope == "total" and \
                (_RISE_BEFORE[lang].search(masked, 0, draft.start) or _RISE_BEFORE[_ENGLISH].search(masked, 0, draft.start)) and \
                _AFTER_EVENT.search(masked, draft.end, later.start) and not _SEGMENT_BREAK.search(masked, draft.end, later.start):
            later.scope = "increment"  # "the toll rose to 27 after two of the wounded died": the two raised it
            later.part_hint = False
            later.cues["scope"] = _AFTER_EVENT.search(masked, draft.end, later.start).group()
        if draft.scope == "total" and not draft.part_hint and later is not None and later.scope == "total" and \
                _RAISING.search(masked, draft.end, later.start):
            draft.scope = "increment"
            draft.cues["scope"] = _RAISING.search(masked, draft.end, later.start).group()
    for k, draft in enumerate(drafts):
        # "Eighteen protesters and 12 police officers were injured, 30 people in all": a whole stated after its parts
        if draft.scope != "total" or draft.part_hint or not (_WHOLE_AFTER.match(masked, draft.end) or
                                                             _WHOLE_BEFORE.search(masked, 0, draft.start)):
            continue
        parts = []
        for earlier in reversed(drafts[:k]):
            if earlier.metric != draft.metric or earlier.scope != "total" or earlier.part_hint:
                break
            parts.append(earlier)
        if len(parts) >= 2 and sum(p.value for p in parts) <= draft.value:
            for earlier in parts:
                earlier.part_hint, earlier.whole = True, draft
                earlier.cues.setdefault("scope", "(part of the whole after it)")
    denied_after = _FIGURE_DENIED.search(masked)
    if drafts and denied_after and drafts[-1].end <= denied_after.start():
        drafts.pop()  # "задержаны не менее 400 человек; в МВД эту цифру назвали ложной"
    return sorted(drafts + zeros, key=lambda d: d.start) if zeros else drafts


# a place named right before or after a number of a list ("40 in Velmora", ", в Норхавене — 7", ", Harbour 9")
_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ]"
_PLACE_NAME = (rf"(?:(?:the|la|el|le|les|los|las|o|os|a|as)\s+|l['’])?(?:{_UPPER}[\w'’-]*(?:\s+{_UPPER}[\w'’-]*){{0,2}}|"
               r"capital|capitale|столице|stolicy|hlavnom meste|regions?|provinces?|provincia|région|região|области|регионе)")
_PLACE_PREP = r"(?:in|at|en|dans|à|au|aux|a|em|no|na|nos|nas|в|во|на|w|we|v|vo|pod)"
_PLACE_AFTER = re.compile(rf"\s+{_PLACE_PREP}\s+{_PLACE_NAME}(?!\w)")
_PLACE_BEFORE = re.compile(rf"(?:\s+[^\W\d]+){{0,2}}\s*(?:[,;]|[,;]?\s*(?:and|y|e|et|и|i|a|oraz))\s*"
                           rf"(?:{_PLACE_PREP}\s+)?{_PLACE_NAME}\s*[:—–-]?\s*")
_PLACE_LIST_GAP = re.compile(r"(?:\s+[^\W\d]+){0,2}(?:\s+" + _PLACE_PREP + r"\s+" + _PLACE_NAME +
                             r")?\s*(?:[,;]|[,;]?\s*(?:and|y|e|et|и|i|a|oraz))\s*")

_ELIDED_RISE_GAP = re.compile(r"\s*[,;]\s*(?:(?:and|и|y|e|et|i|a)\s+)?(?:[^\W\d]+\s*){1,3}[—–-]?\s*")

# "Murieron dos personas en Dravnik y una en Tessaly", "et une à Tessaly": one, at another place of a list
_ONE_AT_PLACE = re.compile(rf"(?:,|(?<!\w)(?:y|e|et))\s+(uno|una|un|une|um|uma)(?=\s+(?:en|à|au|em|no|na)\s+{_PLACE_NAME}(?!\w))")

# "30 people in all", "en total 30", "всего 30": the whole of the figures before it
_WHOLE_AFTER = re.compile(r"\s+(?:[^\W\d]+\s+)?(?:in all|in total|altogether|all told|en total|en tout|au total|no total|ao todo|"
                          r"em total|в общей сложности|всего|łącznie|w sumie|ogółem|spolu|celkovo|celkom|dohromady)(?!\w)", re.I)
_WHOLE_BEFORE = re.compile(r"[,;:]\s*(?:in all|in total|altogether|a total of|en total|en tout|au total|no total|ao todo|em total|"
                           r"в общей сложности|всего|итого|łącznie|w sumie|ogółem|spolu|celkovo|celkom)\s*[,:]?\s*"
                           r"(?:(?:un total de|um total de|de|d['’])\s+)?$", re.I)


def _predicate_end(masked: str, clause_hi: int) -> int:
    """Past a relative clause to the predicate of the noun phrase: "Данные о 50 погибших, которые ..., не соответствуют"."""
    m = re.match(r"[,]\s*(?:которые|который|которая|которое|that|which|qui|que|lesquels|los cuales|las cuales|os quais|as quais)(?!\w)",
                 masked[clause_hi:], re.I)
    if not m:
        return clause_hi
    rel_end = next((b.start() for b in _SEGMENT_BREAK.finditer(masked, clause_hi + m.end())), len(masked))
    return next((b.start() for b in _SEGMENT_BREAK.finditer(masked, rel_end + 1)), len(masked))
