"""English: the words of ministry bulletins, police statements and wire reports."""

METRICS = [
    ("dead", "verb", r"killed|killing|kills?(?= (?:at least |about |around |some |nearly |more than |over |up to )?\d)|died|dead|perished|murdered|shot dead|fatally (?:shot|wounded|injured)"),
    ("dead", "verb", r"lost (?:their|his|her) li(?:fe|ves)|succumbed(?: to (?:their|his|her) (?:injuries|wounds))?|passed away|slain|gunned down|"
                     r"(?:were|was) left dead|(?:claimed|took|cost) the li(?:fe|ves) of"),
    ("dead", "noun", r"death tolls?|tolls?|deaths?|fatalit(?:y|ies)|murders?|lives"),
    ("injured", "verb", r"injured|injuring|wounded|wounding|hurt|shot and (?:wounded|injured)"),
    ("injured", "verb", r"shot(?! (?:at|was|were|fired|in the air|dead))"),
    ("injured", "verb", r"(?:hit|struck|sprayed|riddled|wounded) (?:by|with) (?:live |rubber |plastic )?(?:bullets|gunfire|rounds|pellets|buckshot)"),
    ("injured", "verb", r"(?:sought|seeking|sought out|requested|needed|required|received) (?:medical )?(?:help|assistance|attention|treatment|care)"),
    ("injured", "verb", r"turned to (?:the )?(?:health(?:care)?|medical) (?:facilities|organi[sz]ations|institutions|centers|centres)"),
    ("injured", "verb", r"(?:(?:ambulance|medical|emergency|rescue|first-aid|health) (?:crews|teams|services|workers|staff|personnel|volunteers)|paramedics|medics|doctors|rescuers|"
                        r"emergency services|first responders)(?: \w+){0,2}? (?:assisted|helped|treated|attended(?: to)?|cared for|saw|gave first aid to|"
                        r"provided (?:first aid|medical (?:help|assistance|care)|care|treatment) (?:to|for))(?= (?:at least |about |around |some |nearly |more than |over )?\d| [a-z]+(?:-[a-z]+)? (?:people|persons|protesters|demonstrators|officers|victims))"),
    ("injured", "verb", r"applied for medical (?:help|assistance)|(?:received|sustained|suffered) (?:health damage|injuries)"),
    ("injured", "verb", r"(?:received|given|needed) first aid|received outpatient (?:care|treatment)|treated as outpatients|treated for (?:injuries|wounds)|treated (?:by|at the scene)|(?:were |was )?treated(?! in hospital| and (?:released|discharged|sent home))"),
    ("injured", "noun", r"injur(?:y|ies)|health damage|casualties"),
    ("hospitalized", "verb", r"hospitali[sz]ed|admitted to (?:the )?hospitals?|taken to (?:the )?hospitals?|"
                             r"(?:hospitals?|clinics?) (?:have |had )?admitted|treated in (?:a |the )?hospitals?|"
                             r"(?:needed|required|received|needing|requiring) (?:medical )?(?:treatment|care) in (?:a |the )?hospitals?|"
                             r"(?:had |have |has )?admitted(?= \d| (?:\w+ )?(?:people|patients|persons|protesters|victims))|"
                             r"(?:were|was|been|being) admitted(?! to (?:the )?(?:university|school|party|bar))|"
                             r"admitted to (?:the |a )?(?:\w+ )?(?:hospitals?|centres?|centers?|clinics?|wards?)"),
    ("hospitalized", "verb", r"in (?:the )?hospitals?|in (?:the )?(?:medical|health(?:care)?) (?:facilities|institutions)"),
    ("hospitalized", "verb", r"(?:evacuated|transferred|airlifted|flown|rushed|moved|transported|brought|ferried|taken|sent|carried|driven|conveyed|referred) (?:[\w-]+ ){0,3}?to (?:the |a )?(?:[\w-]+ ){0,3}?hospitals?"),
    ("hospitalized", "verb", r"(?:receiving|received|receive|undergoing|underwent|getting|given|need(?:ing|ed)?|requir(?:ing|ed)) in-?patient (?:treatment|care)|"
                             r"(?:in|under) in-?patient (?:treatment|care)"),
    ("hospitalized", "noun", r"hospitali[sz]ations?|hospital treatment|in-?patient (?:treatment|care)"),
    ("icu", "noun", r"intensive[- ]care(?: units?)?|icu|critical care|reanimation(?: unit| ward)?"),
    ("discharged", "verb", r"discharged|released (?:from (?:the )?hospitals?|home)|sent home|left (?:the )?hospital|"
                           r"treated and (?:released|discharged|sent home)"),
    ("detained", "verb", r"(?<=\d )held(?=[;,.]|$| in | by | after | over | overnight| during | at )|detained|detaining|detains?(?= (?:at least |about |around |some |nearly |more than |over |up to )?\d)|arrests?(?= (?:at least |about |around |some |nearly |more than |over |up to )?\d)|arrested|arresting|apprehended|jailed|taken into custody|held in custody|rounded up|remanded in custody|placed under arrest|remain(?:ed)? in (?:police )?custody|behind bars|in detention|in (?:police )?custody|"
                         r"into (?:police )?custody|under arrest|"  # "took 215 people into custody": the verb's tail after its object
                         r"(?:were|was|been|being) (?:briefly |temporarily |also |later |still )?held(?= by (?:the )?(?:police|security forces|authorities)| overnight| in (?:detention|custody|jail|prison))|"
                         r"(?:picked up|taken away|led away|taken in) by (?:the )?(?:police|security forces)|locked up"),
    ("detained", "noun", r"detainees?|detentions?|arrests?"),
]
NON_CASUALTY = (r"displaced|evacuated|missing|released|freed|set free|let go|rescued|affected|fined|charged|convicted|sentenced|"
                r"gathered|rallied|marched|protested|demonstrated|took part|joined|attended|took to the streets|turned out|voted|assaulted|attacked|harassed|threatened|intimidated|beaten up|beaten")
PERSONS = (r"people|persons?|individuals|victims|patients?|citizens?|m[ae]n|wom[ae]n|child(?:ren)?|students?|members?|"
           r"employees|residents|bystanders|youths|teenagers|others|voters")
GROUPS = {
    "security_forces": r"police ?(?:wo)?m[ae]n|police officers?|riot police(?: officers)?|(?:police )?officers?|soldiers?|"
                       r"servicem[ae]n|troops|law[- ]enforcement (?:officers?|officials|personnel)|gendarmes?|guardsmen|"
                       r"security (?:forces|personnel|officers|agents)|members of the (?:\w+ )?(?:security forces|police|national guard|army|armed forces)|MIA (?:employees|officers|staff)|"
                       r"(?:employees|officers|staff) of the (?:MIA|Ministry of (?:Internal|Interior) Affairs|Interior Ministry|police)|"
                       r"Interior Ministry (?:employees|officers|staff)|militia(?:men| officers)|OMON officers|"
                       r"interior ministry (?:troops|employees|staff)|national guardsmen",
    "protesters": r"protest[eo]rs?|demonstrators?|civilians?|opposition (?:supporters|activists|members)|(?:opposition )?activists?|marchers|rioters|"
                  r"picketers|rally-goers|participants (?:in|of) the (?:\w+ )?(?:protests?|rally|rallies|march(?:es)?|demonstrations?|picket|sit-in)",
    "journalists": r"journalists?|reporters?|media workers|photographers?|photojournalists?|camera(?:m[ae]n| operators?)|correspondents?",
    "detainees": r"detainees?|prisoners?|inmates?|(?:people|persons|those|men|women) (?:held |already )?in (?:police )?custody|"
                 r"those (?:detained|arrested|held)",
}
BARE_POLICE = r"police|riot police"
QUALIFIERS = {
    "at_least": ["at least", "no fewer than", "no less than", "not less than", "a minimum of"],
    "more_than": ["more than", "over", "in excess of", "upwards of", "above", "well over", "exceeded", "has exceeded", "surpassed", "topped"],
    "about": ["about", "around", "approximately", "approx.", "approx", "roughly", "some", "nearly", "almost",
              "close to", "an estimated", "estimated", "circa", "just under", "an approximate"],
    "up_to": ["up to", "as high as", "as many as", "not more than", "no more than", "fewer than", "less than", "at most"],
}
# a zero for the whole group: "no one was hurt", "there were no deaths"
NEGATORS = r"no[- ]one|nobody|none(?! of)|(?:neither|nor)(?= (?:deaths?|fatalit|injur|arrests?))|no(?= (?:\w+ )?(?:deaths?|fatalit|injur|casualt|arrests?|detentions?|one|people|person|persons|hospitali[sz]ations?|officers?|police|protesters?|demonstrators?|journalists?|civilians?|soldiers?|detainees?))"
SUBGROUP_ZERO = r"none of (?:them|whom|those|the)|neither of (?:them|whom)"
DENIALS = (r"denied|denies|deny|denying|rejected|rejects|dismissed|dismisses|refuted|refutes|disputed|disputes|"
           r"false reports?|rumou?rs? (?:that|of)|unconfirmed reports?|no truth in|(?:baseless|unfounded|fabricated) (?:reports?|claims?|figures?)")
INCREMENT_BEFORE = r"another|a further|an additional|further|additional"
INCREMENT_AFTER = r"more|additional|further|new|others? more"
PART_BEFORE = r"of (?:them|whom|those|which)|among (?:them|whom|those)|including|incl\.|among them"
PART_AFTER = r"of (?:them|whom|those)|(?:[^\W\d]+ ){0,2}among them"
SEVERITY = r"serious(?:ly)?|critical(?:ly)?|grave(?:ly)?|severe(?:ly)?|badly|life-threatening"
REVISION = r"corrections?|revised|lowered|raised|reduced|corrected|cut|updated|adjusted|changed|amended|rose|risen|increased|climbed|grew|jumped|went up|fell|dropped|decreased|down|up"
# a published figure changed (not a count that rose): an earlier figure of its metric is superseded
CORRECTION = r"revised(?: (?:down|up)(?:wards?)?)?|lowered|reduced|corrected|cut|updated|adjusted|amended|downgraded|scaled back|brought down"
OLD_FIGURE = r"(?:down|up) from|instead of|rather than|not|previously reported|earlier figure of|initial(?:ly)? (?:reported )?(?:figure of)?"
RISE = r"rose|risen|rising|rises|increased|climbed|climbing|reached|reaching|grew|jumped|went up|has risen|now stands|stands|stood|totall?ed|amounted"
# a figure given as an earlier report: a later figure of its metric in the text replaces it
EARLIER_REPORT = (r"(?:an? |the )?(?:earlier|initial|first|early|original) (?:version|reports?|figures?|bulletins?|statements?|counts?|tolls?|estimates?|accounts?)|"
                  r"initially|originally|at first|(?:had )?earlier (?:said|reported|put)")
