"""Slovak: správy polície a ministerstva zdravotníctva, tlač."""

METRICS = [
    ("dead", "verb", r"mŕtv\w*|(?:ne)?zahynul\w*|(?:ne)?zomrel\w*|prišl\w* o život|o život prišl\w*|stratil\w* život|usmrten\w*|zabit\w*"),
    ("dead", "noun", r"obet\w*|obeť\w*|úmrt\w*"),
    ("injured", "verb", r"zranen\w*|zranil\w*|ranen\w*|poranen\w*|utrpel\w* (?:\w+ )?zranenia|zranenia (?:\w+ )?utrpel\w*|"
                        r"poskytl\w* (?:\w+ )?(?:lekársku |zdravotnú |prvú )?pomoc|(?:lekársku |zdravotnú |prvú )?pomoc (?:poskytli|poskytol|potrebovalo|potrebovali)|ošetren\w*|ošetril\w*"),
    ("injured", "noun", r"zraneni\w*"),
    ("hospitalized", "verb", r"(?:do|v) nemocnic\w* (?:\w+ )?(?:previezli|previezol|previezla|odviezli|prijali|zostáva\w*|ostáva\w*|leží|ležia|sa nachádza\w*)|"
                             r"hospitalizova\w*|(?:prevezen|prevezl|previez)\w* do (?:\w+ )?nemocn\w*|v nemocnic\w*|do nemocnice|do nemocníc"),
    ("hospitalized", "noun", r"nemocničn\w* (?:ošetreni\w*|starostlivos\w*)"),
    ("icu", "noun", r"(?:jednotk\w* |oddelen\w* )?intenzívn\w* starostlivos\w*|jis|aro|ario|oaim|kaim|(?:anesteziologicko-)?resuscitačn\w*(?: oddelen\w*)?"),
    ("discharged", "verb", r"prepusten\w* (?:z nemocnice|domov)|prepustil\w* (?:\w+ )?(?:z nemocnice|domov)|(?:z nemocnice|domov) (?:už )?prepustil\w*"),
    ("detained", "verb", r"zadrža\w*|zatknut\w*|zadržan\w*|predviden\w*|zatkl\w*|zaisten\w*|zaistil\w*|obmedzen\w* na osobnej slobode|v cel\w* policajného zaistenia"),
]
NON_CASUALTY = r"nezvestn\w*|prepusten\w*|evakuovan\w*|zhromaždil\w*|protestoval\w*|zúčastnil\w*|vyšl\w* do ulíc|hlasoval\w*|napadnut\w*"
PERSONS = r"ľudí|ľudia|osôb|osoby|občanov|obyvateľov"
GROUPS = {
    "security_forces": r"policajt\w*|príslušník\w* (?:polície|policajného zboru)|vojak\w*|policajného zboru",
    "protesters": r"demonštrant\w*|protestujúc\w*|účastník\w* (?:protest\w*|demonštráci\w*|zhromaždeni\w*|pochod\w*)|civil\w*",
    "journalists": r"novinár\w*|reportér\w*|fotoreportér\w*",
    "detainees": r"väzn\w*|obvinen\w*|zadržan\w*",
}
BARE_POLICE = r"policajtov"
QUALIFIERS = {
    "at_least": ["najmenej", "aspoň", "minimálne", "nejmenej"],
    "more_than": ["viac ako", "viac než", "vyše", "cez", "prekročil", "prekročila", "prekročilo"],
    "about": ["približne", "asi", "okolo", "takmer", "skoro", "zhruba", "približne"],
    "up_to": ["až", "najviac", "do", "menej ako"],
}
NEGATORS = r"nikto(?! z)|žiadn\w*(?! z)|neboli (?=obete|zranen)|bez (?=obetí|zranen)"
SUBGROUP_ZERO = r"nikto z nich|žiaden z nich|žiadny z nich"
DENIALS = r"poprel\w*|poprie\w*|vyvrátil\w*|vyvracia\w*|odmietol\w*|odmietla|odmietli"
INCREMENT_BEFORE = r"ďalš\w*"
INCREMENT_AFTER = r"ďalš\w*"
PART_BEFORE = r"z toho|z nich|vrátane|medzi nimi"
PART_AFTER = r"z nich"
SEVERITY = r"ťažk\w*|ťažko|kritick\w*|vážn\w*"
REVISION = r"znížen\w*|upraven\w*|opraven\w*|korigoval\w*|skorigoval\w*|znížil\w*|upravil\w*|zvýšil\w*|opravil\w*|stúpol|stúpla|stúplo|klesol|klesla"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"znížil\w*(?! sa)|znížen\w*|upravil\w*(?! sa)|upraven\w*|opravil\w*|opraven\w*|korigoval\w*|skorigoval\w*|aktualizoval\w*|smerom nadol|smerom nahor"
OLD_FIGURE = r"namiesto|a nie|nie"
RISE = r"stúpol|stúpla|stúplo|dosiahol|dosiahla|je|bolo"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = r"pôvodne|spočiatku|(?:prvé|predchádzajúce) (?:správy|informácie)|predtým (?:uvádzali|hlásili|informovali)"
