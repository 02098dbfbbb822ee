"""Portuguese (Brazil and Portugal, Mozambique, Angola): boletins, notas da polícia, imprensa."""

METRICS = [
    ("dead", "verb", r"mort[oa]s?|morre(?:u|ram)|morrido|falece(?:u|ram)|falecid[oa]s?|assassinad[oa]s?|perd(?:eu|eram|ido|em|endo) a vida|"
                     r"sem vida|abatid[oa]s?|sucumbi(?:u|ram|do)|morre(?:m)?|falece(?:m)?|perece(?:u|ram)"),
    ("dead", "noun", r"mortes?|óbitos?|vítimas? mortai?s|vítimas fatais"),
    ("injured", "verb", r"ficaram ferid[oa]s|ferid[oa]s?|balead[oa]s?|lesionad[oa]s?|atendid[oa]s?|machucad[oa]s?|"
                        r"receb(?:eu|eram|ido) (?:atendimento|assistência|socorro|cuidados)|precis(?:ou|aram) de (?:atendimento|assistência|socorro|cuidados)|necessit(?:ou|aram) de (?:atendimento|assistência|socorro|cuidados)|"
                        r"(?:procur|busc)(?:ou|aram|ado) (?:por )?(?:atendimento|ajuda|socorro|assistência|cuidados)(?: médic[oa]s?| hospitalar)?|socorrid[oa]s|assistid[oa]s|"
                        r"sofre(?:u|ram) (?:ferimentos|lesões|escoriações)|contundid[oa]s"),
    ("injured", "noun", r"ferimentos|lesões"),
    ("hospitalized", "verb", r"hospitalizad[oa]s?|internad[oa]s?|(?:em|nos|no) hospita(?:l|is)|"
                             r"(?:levad|encaminhad|transportad|conduzid|transferid|removid|evacuad|socorrid)[oa]s? (?:para|ao|aos|a|à|às) (?:o |os |a |as )?(?:\w+ )?(?:hospita(?:l|is)|unidades? de saúde|prontos?-socorros?|centros? de saúde|UPAs?)|"
                             r"deram entrada (?:em|no|nos|na|nas) (?:\w+ )?(?:hospita(?:l|is)|prontos?-socorros?|unidades? de saúde|UPAs?)"),
    ("hospitalized", "noun", r"internaç(?:ão|ões)|hospitalizaç(?:ão|ões)"),
    ("icu", "noun", r"(?:unidade(?:s)? de )?(?:cuidados|terapia) intensiv[ao]s?|uti|uci"),
    ("discharged", "verb", r"(?:receb\w*|tiv\w*|teve|tido|têm|tem) alta(?: médica| hospitalar)?|(?:saíram|saiu|tinham saído) do hospital"),
    ("detained", "verb", r"detid[oa]s?|pres[oa]s|presa|pres[oa]|detenç(?:ão|ões)|capturad[oa]s?|"
                         r"deti(?:da|do)s?|deteve|detiveram|prendeu|prenderam|encarcerad[oa]s?|sob custódia|em prisão preventiva|"
                         r"(?:conduzid|levad|encaminhad|transferid|apresentad)[oa]s? (?:à|às|a|para a|para as|ao|aos|para o|para os) (?:delegacias?|esquadras?|distritos? policia(?:l|is)|comandos? da polícia|sede da polícia|DPs?)"),
    ("detained", "noun", r"detenç(?:ão|ões)|prisões|prisão"),
]
NON_CASUALTY = (r"deslocad[oa]s|desaparecid[oa]s|libertad[oa]s|liberad[oa]s|evacuad[oa]s|sol(?:tos|tas|t[oa])|"
                r"(?:postos|postas|colocad[oa]s|deixad[oa]s|saíram|saiu|ficaram) em liberdade|reuniram-se|se reuniram|"
                r"participaram|marcharam|manifestaram-se|se manifestaram|saíram às ruas|votaram|agredid[oa]s|ameaçad[oa]s")
PERSONS = r"pessoas?|cidadãos|homens|mulheres|crianças|menores|estudantes|jovens|moradores|civis"
GROUPS = {
    "security_forces": r"polícias?|policiais|policial|policiai?s militares|agentes?(?: (?:da polícia|policiais|da PRM|da autoridade|de segurança))?|"
                       r"militar(?:es)?|soldados?|membros das forças (?:de segurança|de defesa)|guardas|efetivos|efectivos",
    "protesters": r"participantes (?:d[oa]s?|n[oa]s?) (?:protestos?|manifestaç(?:ão|ões)|marchas?|atos?|passeatas?)|manifestantes?|civil|civis|opositor(?:es)?|ativistas?|activistas?|apoiantes(?: da oposição)?|apoiadores(?: da oposição)?|simpatizantes",
    "journalists": r"jornalistas?|repórter(?:es)?|fotógrafos|profissionais da imprensa|cinegrafistas",
    "detainees": r"reclusos|detentos|presidiários|detid[oa]s|pres[oa]s",
}
BARE_POLICE = r"polícias"
QUALIFIERS = {
    "at_least": ["pelo menos", "ao menos", "no mínimo", "não menos de"],
    "more_than": ["mais de", "acima de", "superior a", "ultrapassou", "ultrapassa", "superou", "ultrapassou os"],
    "about": ["cerca de", "aproximadamente", "quase", "por volta de", "em torno de", "perto de", "uns", "umas", "cerca de uns"],
    "up_to": ["até", "não mais de", "no máximo", "menos de"],
}
NEGATORS = r"ninguém|nenhum(?! deles| dos)|nenhuma(?! delas| das)|não (?:houve|há|foram registad[oa]s|foram registrad[oa]s|se registaram|se registraram|se registou|se verificaram)|sem registo de|sem (?:mortos|feridos|vítimas)|nem(?= (?:mortos|feridos|detidos))"
SUBGROUP_ZERO = r"nenhum (?:deles|dos quais)|nenhuma (?:delas|das quais)"
DENIALS = r"neg(?:a|am|aram|ou|ar)|desment(?:e|em|iu|iram)|rejeit(?:a|ou|aram)|refut(?:a|ou|aram)|classific(?:ou|aram) como (?:falsos|falsas|falso|falsa|exagerad[oa]s?)"
INCREMENT_BEFORE = r"mais|outr[oa]s|nov[oa]s"
INCREMENT_AFTER = r"a mais|de outr[oa]s|adicionais|nov[oa]s"
PART_BEFORE = r"d[oa]s quais|entre (?:eles|elas|os quais)|incluindo|dentre eles|sendo"
PART_AFTER = r"(?:deles|delas|dos quais|das quais)"
SEVERITY = r"graves?|gravemente|estado (?:grave|crítico)|crític[oa]s?"
REVISION = r"retific(?:ou|aram|ad[oa]s?)|rectific(?:ou|aram|ad[oa]s?)|revisad[oa]s?|reviu|revisou|revist[oa]|corrigiu|corrigid[oa]|baixou|reduziu|reduzid[oa]|elevou|subiu|aumentou|atualizou|actualizou|passou|passaram|subiram|aumentaram|caiu|caíram"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"revist[oa]s?|revis(?:ou|aram|ad[oa]s?)|reviu|corrigi(?:u|ram)|corrigid[oa]s?|reduzi(?:u|ram)|reduzid[oa]s?|retific(?:ou|aram|ad[oa]s?)|rectific(?:ou|aram|ad[oa]s?)|atualiz(?:ou|aram|ad[oa]s?)|actualiz(?:ou|aram|ad[oa]s?)|ajustad[oa]s?|para baixo|em baixa"
OLD_FIGURE = r"e não d[eoa]s?|em vez d[oa]s?|ao invés d[eoa]s?|contra (?:os|as)|não|anteriormente|e não"
RISE = r"subiu|sobe|aumentou|chegou|chega|alcançou|atingiu|ascende|ascendeu|elevou-se|passou|passaram|passa|subiram"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = (r"(?:um |o )?primeiro (?:balanço|boletim|relatório|levantamento)|(?:as )?primeiras (?:informações|notícias)|"
                  r"(?:o |um )?(?:balanço|boletim|levantamento) inicial|inicialmente|a princípio|no início|originalmente")
