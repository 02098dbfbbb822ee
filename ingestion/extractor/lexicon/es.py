"""Spanish: partes de salud, comunicados de la fiscalía y la policía, prensa."""

METRICS = [
    ("dead", "verb", r"muert[oa]s?|fallecid[oa]s?|falleci(?:ó|eron|do)|muri(?:ó|eron)|asesinad[oa]s?|perd(?:ió|ieron|ido|iendo|ían|ieran) la vida|pierden la vida|"
                     r"sin vida|abatid[oa]s?|sucumbi(?:ó|eron|do)|muere(?:n)?|fallece(?:n)?|perec(?:ió|ieron|ido)|(?:se )?cobr(?:ó|aron) la vida de"),
    ("dead", "noun", r"muertes?|asesinatos?|homicidios?|víctimas? mortal(?:es)?|víctimas fatales|fallecimientos?|decesos?"),
    ("injured", "verb", r"resultaron herid[oa]s|herid[oa]s?|lesionad[oa]s?|balead[oa]s?|atendid[oa]s?|lastimad[oa]s?|"
                        r"(?:recibi|requiri|precis|necesit)(?:eron|ó|ieron|aron) (?:de )?(?:atención|asistencia) (?:médica|sanitaria|hospitalaria)|atendi(?:ó|eron)|se atendió a|se atendieron|"
                        r"contus[oa]s|asistid[oa]s|socorrid[oa]s|auxiliad[oa]s|sufri(?:ó|eron) (?:heridas|lesiones|contusiones)|"
                        r"(?:brind|prest)(?:ó|aron) (?:atención|asistencia|auxilio)(?: médica| sanitaria)? a"),
    ("injured", "noun", r"lesiones|lesionados"),
    ("hospitalized", "verb", r"hospitalizad[oa]s?|ingresad[oa]s?|internad[oa]s?|en (?:el |los )?hospital(?:es)?|"
                             r"(?:trasladad|llevad|conducid|evacuad|derivad|remitid|transportad)[oa]s? (?:a|al|a los|a las|hacia) (?:(?:distintos|varios|diferentes|dos|tres) )?(?:centros? (?:de salud|asistenciales?|médicos?|hospitalarios?|sanitarios?)|hospital(?:es)?|clínicas?)|"
                             r"ingres(?:aron|ó) (?:en|a|al) (?:el )?(?:hospital(?:es)?|centros? (?:de salud|asistenciales?|médicos?|hospitalarios?))"),
    ("icu", "noun", r"(?:unidad(?:es)? de )?(?:cuidados|terapia) intensiv[ao]s?|uci"),
    ("discharged", "verb", r"dad[oa]s de alta|(?:recib|obtuv|obten)\w* (?:el |la )?alta(?: médica| hospitalaria)?|de alta|"
                           r"(?:salieron|salió|han salido|habían salido) del hospital"),
    ("detained", "verb", r"detenid[oa]s?|arrestad[oa]s?|aprehendid[oa]s?|capturad[oa]s?|apresad[oa]s?|"
                         r"detuv(?:o|ieron)|arrest(?:ó|aron)|aprehendi(?:ó|eron)|captur(?:ó|aron)|privad[oa]s de (?:su )?libertad|bajo (?:custodia|arresto)|en prisión preventiva|"
                         r"(?:conducid|trasladad|llevad)[oa]s? (?:a|al|a la|a las) (?:comisarías?|estaci(?:ón|ones) de policía|dependencias policiales|sede policial|cuarteles?)|retenid[oa]s"),
    ("detained", "noun", r"detenci(?:ón|ones)|arrestos?|capturas?"),
]
NON_CASUALTY = (r"desplazad[oa]s|desaparecid[oa]s|liberad[oa]s|evacuad[oa]s|excarcelad[oa]s|soltad[oa]s|"
                r"(?:quedaron|quedó|qued[oa]s?|puest[oa]s|dejad[oa]s|salieron|recuperaron|han quedado|fueron puest[oa]s) (?:en|la|su) libertad|se reunieron|participaron|"
                r"marcharon|se manifestaron|se concentraron|salieron a las calles|votaron|agredid[oa]s|amenazad[oa]s|hostigad[oa]s")
PERSONS = r"personas?|ciudadanos|hombres|mujeres|niños|menores|estudiantes|jóvenes|vecinos|civiles"
GROUPS = {
    "security_forces": r"policías|policía(?= (?:murió|resultó|falleció|fue))|(?<=(?<!\w)un )policía|agentes?(?: (?:de (?:la )?policía|policiales|del orden))?|"
                       r"carabineros?|guardias?(?: nacionales)?|militar(?:es)?|soldados?|efectivos?(?: (?:policiales|de seguridad|militares))?|uniformados?|"
                       r"funcionarios (?:policiales|de seguridad|de la policía)|guardias nacionales|gendarmes|"
                       r"miembros de (?:las fuerzas de seguridad|la policía|la guardia nacional)",
    "protesters": r"manifestantes?|civil(?:es)?|opositor(?:es)?|activistas?|simpatizantes(?: de la oposición)?|protestantes|"
                  r"participantes (?:en|de) (?:la |las |el |los )?(?:marchas?|protestas?|manifestaci(?:ón|ones)|concentraci(?:ón|ones)|movilizaci(?:ón|ones)|plantón)",
    "journalists": r"periodistas?|reporter[oa]s?|comunicador(?:es)?|trabajadores de (?:la )?prensa|fotógrafos|camarógrafos",
    "detainees": r"reclusos|presos(?: políticos)?|internos|detenid[oa]s",
}
BARE_POLICE = r"policías"
QUALIFIERS = {
    "at_least": ["al menos", "por lo menos", "como mínimo", "no menos de", "un mínimo de"],
    "more_than": ["más de", "por encima de", "superior a", "superó", "superó los", "supera", "supera los", "rebasó"],
    "about": ["cerca de", "aproximadamente", "alrededor de", "unos", "unas", "casi", "aprox.", "en torno a", "poco más o menos"],
    "up_to": ["hasta", "no más de", "como máximo", "menos de"],
}
NEGATORS = r"nadie|ningún|ninguna|ningun[oa](?! de)|no (?:hubo|hay|se registraron|se reportaron|se produjeron|se han registrado|se registró|se reportó)|sin (?:muertos|heridos|víctimas|detenidos)|ni(?= (?:muertos|heridos|detenidos))"
SUBGROUP_ZERO = r"ningun[oa] de (?:ell[oa]s|los|las)"
DENIALS = r"neg(?:ó|aron|ar|ando)|niega(?:n)?|desminti(?:ó|eron)|desmiente(?:n)?|rechaz(?:ó|aron|a)|refut(?:ó|aron)|(?:calific|tach)(?:ó|aron) de (?:falsa|falsas|falso|falsos|exagerad[oa]s?|infundad[oa]s?)"
INCREMENT_BEFORE = r"otr[oa]s|otr[oa]|nuev[oa]s"
INCREMENT_AFTER = r"más|de otr[oa]s|adicionales|nuev[oa]s"
PART_BEFORE = r"de (?:ell[oa]s|los cuales|las cuales)|entre (?:ell[oa]s|los cuales)|incluid[oa]s|incluyendo|entre los que (?:hay|figuran)"
PART_AFTER = r"de (?:ell[oa]s|los cuales|las cuales)"
SEVERITY = r"graves?|gravemente|estado (?:grave|crítico|delicado)|crític[oa]s?|de gravedad|pronóstico reservado"
REVISION = r"rectific(?:ó|aron|ad[oa]s?)|se corrigió|rebaj(?:ó|aron)|redujo|reducid[oa]|corrigi(?:ó|eron)|corregid[oa]|revis(?:ó|aron)|revisad[oa]|elev(?:ó|aron)|aument(?:ó|aron)|sub(?:ió|ieron)|baj(?:ó|aron)|actualiz(?:ó|aron)|modific(?:ó|aron)|pas(?:ó|aron)|ascendi(?:ó|eron)"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"revis(?:ó|aron|ad[oa]s?)|correg(?:ido|ida)s?|corrigi(?:ó|eron)|se corrigió|rebaj(?:ó|aron|ad[oa]s?)|(?:reduj(?:o|eron)|reducid[oa]) (?:la cifra|el número|el balance|el saldo|el conteo)|rectific(?:ó|aron|ad[oa]s?)|actualiz(?:ó|aron|ad[oa]s?)|ajust(?:ó|aron|ad[oa]s?)|a la baja|al alza"
OLD_FIGURE = r"frente a(?: los| las)?|en lugar de(?: los| las)?|en vez de(?: los| las)?|y no(?: de)?|no|anteriormente|antes"
RISE = r"ascendió|ascendía|asciende|ascienden|subió|aumentó|llegó|llega|alcanzó|alcanza|elevó|eleva|se elevó|se eleva|asciende a|creció"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = (r"(?:un |el )?primer (?:reporte|informe|balance|conteo|parte)|(?:los |las )?primer(?:os|as) (?:reportes|informes|cifras|datos)|"
                  r"(?:el |un )?(?:reporte|informe|balance|conteo|parte) inicial|inicialmente|en un principio|al principio|originalmente")
