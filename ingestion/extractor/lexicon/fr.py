"""French: bulletins des ministères, communiqués de la police et de la gendarmerie, presse."""

METRICS = [
    ("dead", "verb", r"tué(?:e|s|es)?|mort(?:e|s|es)?|décédé(?:e|s|es)?|a péri|ont péri|sont décédés|ont perdu la vie|a perdu la vie|"
                     r"trouvé la mort|perd(?:ent|u) la vie|meurent|périssent|décèdent|tués par balles?|abattu(?:e|s|es)?|succombé(?: à (?:ses|leurs) blessures)?|mortellement blessé(?:e|s|es)?"),
    ("dead", "noun", r"morts?|décès|victimes?(?: mortelles?)?(?!,?\s+dont)|bilan|tués"),
    ("injured", "verb", r"blessé(?:e|s|es)?|touché(?:e|s|es)?|pris(?:es)? en charge|soigné(?:e|s|es)?(?: sur place)?|"
                        r"ont reçu des soins|atteint(?:e|s|es)? par balles?|consulté (?:aux|les) urgences|(?:se sont|s['’]est) présenté(?:e|s|es)? aux urgences|"
                        r"(?:porté|apporté|prodigué) (?:secours|assistance|les premiers soins|des soins) à|secouru(?:e|s|es)?|(?:ont|a) été soigné(?:e|s|es)?|"
                        r"ont (?:dû être|été) pris(?:es)? en charge"),
    ("injured", "noun", r"blessures?"),
    ("hospitalized", "verb", r"(?:urgences|hôpita(?:l|ux)|centres? hospitaliers?|établissements de santé)(?: \w+){0,2} (?:ont|a) (?:accueilli|reçu|admis)|"
                             r"hospitalisé(?:e|s|es)?|à l'hôpital|à l’hôpital|transporté(?:e|s|es)? (?:à|vers) l['’]hôpital|"
                             r"admis(?:e|es)? (?:à l['’]hôpital|aux urgences)|conduit(?:e|s|es)? (?:à|vers) l['’]hôpital|évacué(?:e|s|es)? vers (?:l['’]hôpital|des hôpitaux)|(?:transporté|évacué|conduit|admis)(?:e|s|es)? (?:aux|vers les) urgences|"
                             r"hospitalisation|dans (?:un |des )?hôpita(?:l|ux)|(?:évacué|transporté|conduit|transféré|acheminé|admis)(?:e|s|es)? (?:vers|à|au|aux|dans) (?:l['’]|le |les |un |des )?(?:CHU|centres? hospitaliers?)|(?:évacué|transporté|conduit|transféré|acheminé|emmené)(?:e|s|es)? (?:vers|à|aux) (?:les |des |un )?hôpitaux|"
                             r"(?:transféré|acheminé|emmené)(?:e|s|es)? (?:à|vers) l['’]hôpital"),
    ("icu", "noun", r"soins intensifs|réanimation|unités? de soins intensifs"),
    ("discharged", "verb", r"sorti(?:e|s|es)? de l['’]hôpital|ont quitté l['’]hôpital|a quitté l['’]hôpital|(?:ont|a) pu (?:rentrer chez (?:eux|elles|lui|elle)|regagner (?:leur|son) domicile)|regagné (?:leur|son) domicile"),
    ("detained", "verb", r"interpellé(?:e|s|es)?|arrêté(?:e|s|es)?|placé(?:e|s|es)? en garde à vue|gardé(?:e|s|es)? à vue|"
                         r"en garde à vue|(?:placé(?:e|s|es)? )?en détention|détenu(?:e|s|es)?(?! (?:sont|est|ont|a) )|appréhendé(?:e|s|es)?|écroué(?:e|s|es)?|conduit(?:e|s|es)? (?:au|aux|dans les) (?:commissariats?|postes? de police)|retenu(?:e|s|es)? (?:au|dans les) commissariats?|emmené(?:e|s|es)? (?:au|aux|dans les) (?:commissariats?|postes? de police)"),
    ("detained", "noun", r"interpellations?|arrestations?|gardes à vue"),
]
NON_CASUALTY = (r"victimes?(?=,?\s+dont)|déplacé(?:e|s|es)?|disparu(?:e|s|es)?|libéré(?:e|s|es)?|remis(?:e|es)? en liberté|ressorti(?:e|s|es)? libres?|évacué(?:e|s|es)?(?! vers)|relâché(?:e|s|es)?|"
                r"relaxé(?:e|s|es)?|se sont rassemblés|rassemblé(?:e|s|es)?|ont manifesté|ont défilé|ont participé|manifestaient|agressé(?:e|s|es)?|menacé(?:e|s|es)?|pris(?:es)? à partie")
PERSONS = r"personnes?|citoyens|hommes|femmes|enfants|mineurs|étudiants|jeunes|habitants|individus|civils"
GROUPS = {
    "security_forces": r"policiers?|policières?|gendarmes?|agents?(?: (?:de police|des forces de l['’]ordre|de sécurité))?|"
                       r"membres? des forces de l['’]ordre|forces de l['’]ordre|forces de sécurité|militaires?|soldats?|CRS|fonctionnaires? de police",
    "protesters": r"manifestant(?:e|s|es)?|civils?|opposants?|partisans(?: de l['’]opposition)?|militants|"
                  r"participants (?:à|au|aux) (?:la |l['’])?(?:manifestations?|rassemblements?|marches?|cortèges?|sit-in)",
    "journalists": r"journalistes?|reporters?|photographes?|photojournalistes?|professionnels des médias|cameramen|caméraman",
    "detainees": r"détenus|détenues|(?:personnes|hommes|femmes) détenu(?:e|s|es)?|prisonniers|personnes en garde à vue|"
                 r"(?<=(?<!\w)des )personnes (?:interpellées|arrêtées|détenues|placées en garde à vue)",  # "trois des personnes interpellées"
}
BARE_POLICE = r"policiers"
QUALIFIERS = {
    "at_least": ["au moins", "au minimum", "pas moins de", "pas moins d'", "un minimum de"],
    "more_than": ["plus de", "plus d'", "plus d’", "au-delà de", "davantage de", "dépassé", "dépasse", "a dépassé", "dépasse les", "a dépassé les"],
    "about": ["environ", "près de", "près d'", "près d’", "quelque", "quelques", "approximativement", "presque", "autour de", "à peu près",
              "pratiquement", "un peu moins de"],
    "up_to": ["jusqu'à", "jusqu’à", "pas plus de", "au maximum", "moins de", "moins d'", "moins d’"],
}
NEGATORS = r"personne(?= n['’]| ne)|aucun(?! d['’]entre| des| de ceux)|aucune(?! d['’]entre| des)|pas de (?=morts?|blessés?|victimes?|décès|interpellations?)|ni(?= (?:morts?|blessés?|décès|interpellations?))|sans faire de (?=victimes?|blessés?|morts?)"
SUBGROUP_ZERO = r"aucun(?:e)? d['’]entre (?:eux|elles)|aucun des|aucune des|dont aucun"
DENIALS = (r"dément(?:i|ent)?|démenti|nie(?:nt)?|nié|rejet(?:é|te|tent)|réfut(?:é|e|ent)|conteste(?:nt)?|contesté|récus(?:e|ent|é)|"
           r"qualifi(?:é|e|ent) de (?:«\s*)?(?:fantaisiste|faux|fausse|mensonger|infondé|exagéré|fantaisistes|faux|mensongers|infondés|exagérés)")
INCREMENT_BEFORE = r"encore|de nouveau"
INCREMENT_AFTER = r"(?:d['’])?autres|supplémentaires|de plus|nouveaux|nouvelles"
PART_BEFORE = r"dont|parmi (?:eux|elles|lesquels|lesquelles)|y compris|notamment"
PART_AFTER = r"d['’](?:entre )?(?:eux|elles)"
SEVERITY = r"graves?|grièvement|gravement|état (?:grave|critique)|critiques?|urgence absolue|pronostic vital engagé"
REVISION = r"révisée?s?|revue?s?|corrigée?s?|rectifiée?s?|abaissé|ramené|relevé|réduit|augmenté|passé|passe|est passé|monté|grimpé|baissé|actualisé"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"révisé(?:e|s|es)?|revu(?:e|s|es)?|corrigé(?:e|s|es)?|rectifié(?:e|s|es)?|abaissé(?:e|s|es)?|ramené(?:e|s|es)?|réduit(?:e|s|es)?|actualisé(?:e|s|es)?|ajusté(?:e|s|es)?|à la baisse|à la hausse"
OLD_FIGURE = r"au lieu d[eu]|contre|et non(?: pas)?(?: de| d['’])?|pas|précédemment|initialement"
RISE = r"passé|passe|monté|grimpé|alourdi|s['’]alourdit|s['’]est alourdi|atteint|atteint désormais|s['’]élève|s['’]élevait|s['’]est élevé|est de|porte|porté"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = (r"(?:un |le )?premier bilan|(?:le |un )?bilan (?:initial|précédent)|(?:les )?premières informations|initialement|"
                  r"dans un premier temps|au départ|d['’]abord")
