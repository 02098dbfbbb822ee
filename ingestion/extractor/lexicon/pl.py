"""Polish: komunikaty policji i ministerstwa zdrowia, prasa."""

METRICS = [
    ("dead", "verb", r"zgin\w*|śmierć poni\w*|poni\w* śmierć|stracił\w* życie|zabit\w*|zabici|zmarł\w*|zmarli|nie żyj\w*|śmiertelnie\s+\w+"),
    ("dead", "noun", r"śmier[ćc]\w*|ofiar\w* śmierteln\w*|zabójstw\w*|ofiar\w*"),
    ("injured", "verb", r"rann\w*|poszkodowan\w*|zranion\w*|obrażenia odniosł\w*|odniosł\w* obrażenia|"
                        r"(?:zgłosił\w*|trafił\w*) po pomoc medyczn\w*|poturbowan\w*|odniosł\w* (?:\w+ )?obrażenia|obrażenia (?:\w+ )?odniosł\w*|"
                        r"(?:udzielono|udzielił\w*|udzieli\w*) (?:\w+ )?pomocy(?: medycznej| lekarskiej)?|pomocy (?:medycznej |lekarskiej )?udzielono|opatrzon\w*|opatrzono|pomoc\w* (?:medyczn\w* |lekarsk\w* )?(?:otrzymał\w*|udzielono)|otrzymał\w* pomoc\w* (?:medyczn\w*|lekarsk\w*)"),
    ("injured", "noun", r"obraże\w*"),
    ("hospitalized", "verb", r"(?:do|w) szpital\w* (?:\w+ )?(?:trafił\w*|przewieziono|przewiezion\w*|zabrano|odwieziono|przyjęto|przebywa\w*|pozostaj\w*|pozostał\w*|znajduj\w*|leż\w*)|"
                             r"hospitalizowan\w*|hospitalizowano|(?:przetransportowan|przewiezion|odwiezion)\w* do (?:\w+ )?szpital\w*|trafił\w* do szpital\w*|w szpital\w*|przewiezion\w* do szpital\w*|do szpital\w*"),
    ("icu", "noun", r"(?:oddzia\w* )?intensywnej terapii|oiom\w*"),
    ("discharged", "verb", r"wypisan\w*|wypisano|opuścił\w* szpital"),
    ("detained", "verb", r"zatrzyma\w*|aresztowa\w*|ujęt\w*|zatrzymań|doprowadzon\w* do (?:komisariat\w*|jednost\w*|izby zatrzymań)|w (?:policyjnym )?areszcie|trafił\w* do aresztu|"
                         r"(?:przewieziono|przewiezion\w*|doprowadzono|zabrano|zabran\w*) (?:\w+ )?(?:do|na) (?:komisariat\w*|komend\w*|policj\w*)|"
                         r"(?:do|na) (?:komisariat\w*|komend\w*) (?:\w+ )?(?:przewieziono|doprowadzono|zabrano|trafił\w*)"),
]
NON_CASUALTY = r"zaginęł\w*|zwolnion\w*|wypuszczon\w*|wypuszczono|zwolniono|ewakuowan\w*|ukaran\w* mandat\w*|zebrał\w*|protestował\w*|wzięł\w* udział|wyszł\w* na ulic\w*|zagłosował\w*|zaatakowan\w*|pobici"
PERSONS = r"osoby|osób|ludzi|obywateli|mieszkańców|uczestników"
GROUPS = {
    "security_forces": r"policjant\w*|policjanc\w*|funkcjonariusz\w*|żołnierz\w*|mundurow\w*",
    "protesters": r"uczestnik\w* (?:marszu|manifestacji|zgromadzenia|protestów|pikiety|wiecu)|demonstran(?:t|c)\w*|protestując\w*|manifestan(?:t|c)\w*|cywil\w*|uczestnik\w* (?:protestu|demonstracji|zamieszek)",
    "journalists": r"dziennikar\w*|reporter\w*|fotoreporter\w*",
    "detainees": r"więźni\w*|osadzon\w*|zatrzyman\w*",
}
BARE_POLICE = r"policjantów"
QUALIFIERS = {
    "at_least": ["co najmniej", "przynajmniej", "minimum", "nie mniej niż"],
    "more_than": ["ponad", "przeszło", "więcej niż", "powyżej", "przekroczyła", "przekroczył", "przekroczyło"],
    "about": ["około", "ok.", "blisko", "prawie", "niemal", "mniej więcej", "niespełna"],
    "up_to": ["nie więcej niż", "maksymalnie", "do", "mniej niż"],
}
NEGATORS = r"nikt(?! z)|nie (?:odnotowano|stwierdzono|zanotowano|zgłoszono)(?= (?:\w+ )?(?:ofiar|zgon|rannych|zatrzyma|poszkodowan))|nie było (?=ofiar|rannych|zabitych)|żaden(?! z)|żadna(?! z)|brak (?=ofiar|rannych|zatrzyma)|nie ma (?=ofiar|rannych|zabitych)|bez (?=ofiar)"
SUBGROUP_ZERO = r"żaden z nich|nikt z nich|żadna z nich"
DENIALS = r"zaprzeczył\w*|zdementował\w*|dementuje|zaprzecza\w*|odrzucił\w*|zdementowa\w*"
INCREMENT_BEFORE = r"kolejn\w*|następn\w*|jeszcze|dodatkow\w*"
INCREMENT_AFTER = r"kolejn\w*|więcej"
PART_BEFORE = r"w tym|z czego|z nich|spośród nich|wśród nich"
PART_AFTER = r"z nich"
SEVERITY = r"ciężk\w*|ciężko|krytyczn\w*|poważn\w*"
REVISION = r"zweryfikowa\w*|poprawi\w*|obniż\w*|spadł\w*|zmalał\w*|skorygowa\w*|zrewidowa\w*|podwyższ\w*|wzrosła|wzrósł|wzrosło|zmniejszy\w*|zaktualizowa\w*"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"skorygowa\w*|zrewidowa\w*|zweryfikowa\w*|obniżon\w*|obniżono|obniżył\w*(?! się)|zmniejszon\w*|zmniejszono|zmniejszył\w*(?! się)|sprostowa\w*|zaktualizowa\w*|w dół|w górę"
OLD_FIGURE = r"zamiast|a nie|nie"
RISE = r"wzrosła|wzrósł|wzrosło|sięga|sięgnęła|wyniosła|wynosi|osiągnęła"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = r"początkowo|pierwotnie|(?:pierwsze|wcześniejsze) (?:doniesienia|informacje)|wcześniej (?:informowano|podawano|mówiono)"
