"""Diagnostics: every problem found in a trainer's file, as data.

A diagnostic has a stable code (KU001…), a severity, a place (file, line,
column, all 1-based) and a message with an optional hint, both available in
English and Finnish. The catalogue below is the single list of codes; the
authoring guide lists the same codes and a test keeps the two in step.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

SEVERITY_WORDS = {ERROR: ("error", "virhe"), WARNING: ("warning", "varoitus")}

# code: (severity, English message, Finnish message). Messages are str.format templates.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # Reading the file
    "KU001": (ERROR, "cannot read the file: {reason}", "tiedostoa ei voi lukea: {reason}"),
    "KU002": (ERROR, "the file is {size} bytes; the limit is {limit} bytes",
              "tiedostossa on {size} tavua; raja on {limit} tavua"),
    "KU003": (ERROR, "the file is not valid UTF-8 text", "tiedosto ei ole kelvollista UTF-8-tekstiä"),
    "KU004": (ERROR, "YAML syntax error: {problem}", "YAML-syntaksivirhe: {problem}"),
    "KU005": (ERROR, "anchors and aliases (&name, *name) are not allowed",
              "ankkurit ja viittaukset (&nimi, *nimi) eivät ole sallittuja"),
    "KU006": (ERROR, "nesting is deeper than {limit} levels", "sisäkkäisyyttä on yli {limit} tasoa"),
    "KU007": (ERROR, "duplicate key '{key}' (first at line {first_line})",
              "avain '{key}' on kahdesti (ensin rivillä {first_line})"),
    "KU008": (ERROR, "YAML tags such as '{tag}' are not allowed", "YAML-tagit, kuten '{tag}', eivät ole sallittuja"),
    "KU009": (ERROR, "{what}", "{what_fi}"),
    # Structure (from the JSON Schema)
    "KU010": (ERROR, "unknown field '{name}' in {where}", "tuntematon kenttä '{name}' kohdassa {where}"),
    "KU011": (ERROR, "{where} is missing the required field '{name}'",
              "kohdasta {where} puuttuu pakollinen kenttä '{name}'"),
    "KU012": (ERROR, "{where} should be {expected}, not {found}",
              "kohdan {where} pitäisi olla {expected_fi}, ei {found_fi}"),
    "KU013": (ERROR, "{where}: {value} is not allowed here", "{where}: {value} ei käy tähän"),
    "KU014": (ERROR, "{where} has no '{lang}' text, but the scenario declares that language",
              "kohdasta {where} puuttuu kieli '{lang}', vaikka skenaario lupaa sen"),
    "KU015": (WARNING, "{where} has text in '{lang}', which the scenario does not declare",
              "kohdassa {where} on tekstiä kielellä '{lang}', jota skenaario ei ilmoita"),
    "KU016": (ERROR, "the file holds more than {limit} values; the limit keeps memory use bounded",
              "tiedostossa on yli {limit} arvoa; raja pitää muistinkäytön kohtuullisena"),
    # IDs and targets
    "KU020": (ERROR, "duplicate node ID '{id}' (first at line {first_line})",
              "solmun tunnus '{id}' on kahdesti (ensin rivillä {first_line})"),
    "KU021": (ERROR, "duplicate choice ID '{id}' in node '{node}' (first at line {first_line})",
              "valinnan tunnus '{id}' on kahdesti solmussa '{node}' (ensin rivillä {first_line})"),
    "KU022": (ERROR, "'{target}' is not a node in this scenario", "'{target}' ei ole tämän skenaarion solmu"),
    "KU023": (ERROR, "the start node '{target}' does not exist", "aloitussolmua '{target}' ei ole"),
    "KU024": (WARNING, "node '{id}' can never be reached from the start",
              "solmuun '{id}' ei pääse koskaan alusta"),
    "KU025": (ERROR, "node '{id}' is not an ending but has no choices and no branches: the conversation would stop here",
              "solmu '{id}' ei ole loppu, mutta siinä ei ole valintoja eikä haaroja: keskustelu jäisi tähän"),
    "KU026": (WARNING, "in node '{id}' every choice can be unavailable, and nothing else leads on",
              "solmussa '{id}' jokainen valinta voi olla pois käytöstä, eikä mikään muu vie eteenpäin"),
    "KU027": (ERROR, "ending '{id}' has {what}; an ending closes the conversation",
              "lopussa '{id}' on {what}; loppu päättää keskustelun"),
    "KU028": (ERROR, "no ending can be reached from node '{id}': the conversation could go round for ever",
              "solmusta '{id}' ei pääse mihinkään loppuun: keskustelu voisi kiertää loputtomiin"),
    "KU029": (ERROR, "the scenario has no ending", "skenaariossa ei ole yhtään loppua"),
    "KU036": (WARNING, "node '{id}' has no `{field}`; trainees learn from every customer line having one",
              "solmusta '{id}' puuttuu `{field}`; harjoittelija oppii, kun jokaisella asiakkaan repliikillä on sellainen"),
    "KU037": (ERROR, "the flag name '{name}' is reserved (a mood dimension, `turn`, or a word of the condition language)",
              "lipun nimi '{name}' on varattu (tunnetila, `turn` tai ehtokielen sana)"),
    "KU038": (WARNING, "choice '{id}' earns points and leads back into its own loop: every extra lap earns them again, so the best score counts laps no trainee would take",
              "valinta '{id}' tuo pisteitä ja vie takaisin omaan silmukkaansa: jokainen lisäkierros tuo ne uudelleen, joten paras tulos laskee mukaan kierroksia, joita kukaan harjoittelija ei tekisi"),
    # Tags, conditions, mood
    "KU030": (ERROR, "unknown rubric tag '{tag}'", "tuntematon arviointitagi '{tag}'"),
    "KU031": (ERROR, "the condition '{expr}' does not parse: {reason}", "ehto '{expr}' ei ole kelvollinen: {reason_fi}"),
    "KU032": (ERROR, "the condition '{expr}' names an unknown variable '{name}'",
              "ehto '{expr}' viittaa tuntemattomaan muuttujaan '{name}'"),
    "KU033": (ERROR, "'{name}' is not a flag declared under `flags:`",
              "'{name}' ei ole kentässä `flags:` esitelty lippu"),
    "KU034": (WARNING, "choice '{id}' answers an empathic opportunity but has no ECCS level (from `eccs:`, its code or a tag)",
              "valinta '{id}' vastaa empatian paikkaan, mutta sillä ei ole ECCS-tasoa (kentästä `eccs:`, koodista tai tagista)"),
    "KU035": (ERROR, "choice '{id}' has no `code`: in format 2 every answer names its one main behaviour",
              "valinnalla '{id}' ei ole kenttää `code`: muodossa 2 jokainen vastaus kertoo yhden päätoimintonsa"),
    "KU039": (ERROR, "unknown behaviour code '{code}'", "tuntematon toimintakoodi '{code}'"),
    "KU041": (WARNING, "choice '{id}' has no tag that gives it a behaviour code, so it earns no points",
              "valinnalla '{id}' ei ole tagia, josta saisi toimintakoodin, joten se ei tuo pisteitä"),
    "KU042": (WARNING, "in node '{node}' the best answer '{id}' is also clearly the longest ({chars} characters against at most {next}, '{lang}'): a trainee can pick it by length without reading",
              "solmussa '{node}' paras vastaus '{id}' on myös selvästi pisin ({chars} merkkiä, muut enintään {next}, '{lang}'): harjoittelija voi valita sen pituuden perusteella lukematta"),
    "KU043": (WARNING, "the answers in node '{id}' all score the same: the choice here cannot be told apart by listening or empathy",
              "solmun '{id}' vastaukset saavat kaikki saman arvion: valinta ei tässä erottele kuuntelua eikä empatiaa"),
    "KU049": (ERROR, "a text cannot be filled in: {reason}", "tekstiä ei voi täydentää: {reason_fi}"),
    "KU059": (ERROR, "a text names an unknown variable '{{{name}}}'", "teksti viittaa tuntemattomaan muuttujaan '{{{name}}}'"),
    "KU056": (ERROR, "'{name}' is not one of the scenario's `speakers`", "'{name}' ei ole skenaarion kentässä `speakers`"),
    "KU057": (WARNING, "the speaker '{name}' has no `look`", "puhujalla '{name}' ei ole kenttää `look`"),
    "KU058": (WARNING, "the speaker '{name}' never speaks: no node names them", "puhuja '{name}' ei puhu koskaan: mikään solmu ei mainitse häntä"),
    "KU047": (ERROR, "'{name}' is a true/false flag; `add:` counts only whole-number flags",
              "'{name}' on tosi/epätosi-lippu; `add:` laskee vain kokonaislukulippuja"),
    "KU048": (ERROR, "the counter '{name}' starts at {value}, outside {low}–{high}",
              "laskuri '{name}' alkaa arvosta {value}, joka on välin {low}–{high} ulkopuolella"),
    "KU044": (ERROR, "the name '{name}' is already used ({other}): trait, stake and flag names must all differ",
              "nimi '{name}' on jo käytössä ({other}): piirteiden, panosten ja lippujen nimien on oltava eri"),
    "KU045": (WARNING, "a variant of node '{id}' has `{field}`, which only an ending uses",
              "solmun '{id}' muunnelmassa on `{field}`, jota käytetään vain lopussa"),
    "KU046": (WARNING, "the trait '{name}' changes nothing: no condition names it and it has no `mood`",
              "piirre '{name}' ei muuta mitään: yksikään ehto ei mainitse sitä, eikä sillä ole kenttää `mood`"),
    # Rubric file
    "KU040": (ERROR, "the rubric cannot be used: {reason}", "arviointiohjetta ei voi käyttää: {reason}"),
    # Command line
    "KU050": (ERROR, "no scenario files found in {path}", "polusta {path} ei löytynyt skenaariotiedostoja"),
    # Paths the conditions allow (found by exploring every state; `analyze` shows more)
    "KU060": (WARNING, "ending '{id}' can never be reached under the conditions: {reason}",
              "loppuun '{id}' ei voi koskaan päätyä ehtojen vuoksi: {reason_fi}"),
    "KU061": (ERROR, "from node '{id}' the conversation can loop for ever without reaching an ending (for example after: {route})",
              "solmusta '{id}' keskustelu voi kiertää loputtomiin pääsemättä mihinkään loppuun (esimerkiksi reitin {route} jälkeen)"),
    "KU062": (ERROR, "in node '{id}' no choice can be taken when {values}: the conversation gets stuck (for example after: {route})",
              "solmussa '{id}' mitään valintaa ei voi tehdä, kun {values_fi}: keskustelu jää jumiin (esimerkiksi reitin {route} jälkeen)"),
    "KU063": (WARNING, "the path check stopped at its limit of {limit} states, so loops and impossible endings were checked only part of the way",
              "polkujen tarkistus pysähtyi {limit} tilan rajaan, joten silmukat ja loppuratkaisut, joihin ei voi päätyä, tarkistettiin vain osittain"),
    "KU064": (WARNING, "choice '{id}' in node '{node}' can never be taken: {reason}",
              "valintaa '{id}' solmussa '{node}' ei voi koskaan tehdä: {reason_fi}"),
    "KU065": (WARNING, "the branch to '{target}' in node '{node}' is never taken: {reason}",
              "solmun '{node}' haaraa kohteeseen '{target}' ei käytetä koskaan: {reason_fi}"),
    "KU066": (WARNING, "node '{id}' can never be reached under the conditions: {reason}",
              "solmuun '{id}' ei voi koskaan päätyä ehtojen vuoksi: {reason_fi}"),
    "KU067": (WARNING, "the interrupt '{id}' can never happen: {reason}",
              "keskeytys '{id}' ei voi koskaan tapahtua: {reason_fi}"),
    # Test plans (NAME.plan.yaml)
    "KU070": (ERROR, "there is no scenario '{name}' for this plan", "tälle suunnitelmalle ei löydy skenaariota '{name}'"),
    "KU071": (ERROR, "the scenario '{name}' has errors, so this plan cannot run",
              "skenaariossa '{name}' on virheitä, joten tätä suunnitelmaa ei voi ajaa"),
    "KU072": (ERROR, "'{id}' is not a choice in this scenario", "'{id}' ei ole tämän skenaarion valinta"),
    "KU073": (ERROR, "'{id}' is not a node in this scenario", "'{id}' ei ole tämän skenaarion solmu"),
    "KU074": (ERROR, "'{id}' is not an ending of this scenario", "'{id}' ei ole tämän skenaarion loppu"),
    "KU075": (ERROR, "duplicate case name '{name}' (first at line {first_line})",
              "tapauksen nimi '{name}' on kahdesti (ensin rivillä {first_line})"),
    "KU076": (WARNING, "no case of this plan ends in '{id}'", "yksikään tämän suunnitelman tapaus ei pääty loppuun '{id}'"),
    "KU077": (ERROR, "{what} cannot all hold at once", "{what_fi} eivät voi päteä yhtä aikaa"),
    "KU078": (ERROR, "node '{node}' has no choice '{id}'", "solmussa '{node}' ei ole valintaa '{id}'"),
    "KU080": (ERROR, "'{id}' is not a {kind} of this scenario", "'{id}' ei ole tämän skenaarion {kind}"),
    # Translators' tables (PO files)
    "KU081": (ERROR, "the PO file cannot be read: {problem}", "PO-tiedostoa ei voi lukea: {problem}"),
    "KU082": (ERROR, "this PO file belongs to the scenario '{owner}', not to '{id}'",
              "tämä PO-tiedosto kuuluu skenaarioon '{owner}', ei skenaarioon '{id}'"),
    "KU083": (ERROR, "the PO file's language '{lang}' is not one of the scenario's `languages`",
              "PO-tiedoston kieli '{lang}' ei ole skenaarion kentässä `languages`"),
    "KU084": (ERROR, "'{context}' is not a text of this scenario", "'{context}' ei ole tämän skenaarion teksti"),
    "KU085": (ERROR, "the source text of '{context}' has changed since this table was made",
              "kohdan '{context}' lähdeteksti on muuttunut taulukon tekemisen jälkeen"),
    "KU088": (ERROR, "no scenario '{name}' was found for this table (beside it or among the shipped ones)",
              "tälle taulukolle ei löytynyt skenaariota '{name}' (sen vierestä eikä valmiista)"),
    "KU086": (WARNING, "'{context}' is not translated yet", "kohtaa '{context}' ei ole vielä käännetty"),
    "KU087": (WARNING, "'{context}' is marked fuzzy: check the translation, then remove the mark",
              "kohta '{context}' on merkitty epävarmaksi (fuzzy): tarkista käännös ja poista merkintä"),
    "KU079": (ERROR, "the scenario '{name}' is not in this plan's folder",
              "skenaario '{name}' ei ole tämän suunnitelman kansiossa"),
}

HINTS: dict[str, tuple[str, str]] = {
    "did_you_mean": ("did you mean '{name}'?", "tarkoititko '{name}'?"),
    "allowed": ("allowed here: {names}", "sallitut: {names}"),
    "quote": ("put the text in quotes, e.g. \"{value}\"", "laita teksti lainausmerkkeihin, esim. \"{value}\""),
    "no_anchors": ("write the value out in full where it is needed", "kirjoita arvo auki joka kohtaan, jossa sitä tarvitaan"),
    "no_tags": ("remove the tag; quote the value if you mean text", "poista tagi; laita arvo lainausmerkkeihin, jos tarkoitat tekstiä"),
    "flatten": ("a scenario never needs this much nesting; is an indentation or bracket off?",
                "skenaario ei tarvitse näin syvää sisäkkäisyyttä; onko sisennys tai sulku pielessä?"),
    "split": ("scenarios are normally well under 1 MB: is this the right file?",
              "skenaariot ovat yleensä selvästi alle 1 Mt: onko tämä oikea tiedosto?"),
    "encoding": ("save the file as UTF-8 in your editor", "tallenna tiedosto editorissa UTF-8-muodossa"),
    "add_language": ("add '{lang}: …' to this text, or remove '{lang}' from `languages`",
                     "lisää tähän tekstiin '{lang}: …' tai poista '{lang}' kentästä `languages`"),
    "declare_language": ("add '{lang}' to `languages`, or remove this text",
                         "lisää '{lang}' kenttään `languages` tai poista tämä teksti"),
    "rename": ("give each one its own ID", "anna jokaiselle oma tunnus"),
    "add_way_out": ("add a choice, a branch, or an `ending:`", "lisää valinta, haara tai `ending:`"),
    "add_fallback": ("add one choice without `if:` or `once:`", "lisää yksi valinta ilman kenttiä `if:` ja `once:`"),
    "link_it": ("add a choice or branch that goes to it, or remove it",
                "lisää valinta tai haara, joka vie siihen, tai poista se"),
    "add_exit": ("add a choice or branch from this loop to an ending", "lisää tästä silmukasta valinta tai haara johonkin loppuun"),
    "add_ending": ("add a node with `ending:`", "lisää solmu, jossa on `ending:`"),
    "move_choices": ("remove them, or remove `ending:` to make it a normal node",
                     "poista ne tai poista `ending:`, jolloin solmu on tavallinen"),
    "add_field": ("add `{field}:` to the node", "lisää solmuun `{field}:`"),
    "yaml_syntax": ("check the indentation and quotes here; put text that contains : # ? , [ ] {{ }} in quotes",
                    "tarkista sisennys ja lainausmerkit tästä kohdasta; laita lainausmerkkeihin teksti, jossa on : # ? , [ ] {{ }}"),
    "template_syntax": ("write {{name}} for a variable, {{condition: text | other text}} for a fragment, {{{{ and }}}} for braces",
                        "kirjoita muuttuja muodossa {{nimi}}, ehdollinen kohta muodossa {{ehto: teksti | muu teksti}} ja aaltosulkeet {{{{ ja }}}}"),
    "add_speaker": ("declare them under `speakers:`, e.g. {name}: {{name: …, look: {{…}}}}",
                    "esittele hänet kentässä `speakers:`, esim. {name}: {{name: …, look: {{…}}}}"),
    "add_look": ("add `look:` (presentation, hair, skin…): who the trainee pictures", "lisää `look:` (esitystapa, hiukset, iho…): millaisena harjoittelija hänet näkee"),
    "use_speaker": ("give a node `speaker: {name}`, or remove them", "anna jollekin solmulle `speaker: {name}` tai poista hänet"),
    "counter_number": ("declare it with a number, e.g. `{name}: 0` under `flags:`, or use `set:` for true/false",
                       "esittele se luvulla, esim. `{name}: 0` kentässä `flags:`, tai käytä tosi/epätosi-arvoille `set:`-kenttää"),
    "counter_range": ("start it within the range: `add:` keeps a counter there", "aloita se välin sisältä: `add:` pitää laskurin siellä"),
    "po_syntax": ("check the quotes and the msgctxt/msgid/msgstr lines there; a translation tool such as Poedit keeps the format right",
                  "tarkista lainausmerkit ja msgctxt/msgid/msgstr-rivit siinä kohdassa; käännöstyökalu, kuten Poedit, pitää muodon oikeana"),
    "po_owner": ("import it into its own scenario, or export a table from this one: python main.py strings export SCENARIO --lang LANG",
                 "tuo se omaan skenaarioonsa tai vie tästä skenaariosta oma taulukko: python main.py strings export SKENAARIO --lang KIELI"),
    "po_beside": ("keep the table beside its scenario (ID.yaml), or import it with --into SCENARIO",
                  "pidä taulukko skenaarionsa (TUNNUS.yaml) vieressä tai tuo se valitsimella --into SKENAARIO"),
    "po_export_again": ("export the table again and translate the changed text", "vie taulukko uudelleen ja käännä muuttunut teksti"),
    "yaml_tab": ("replace the tab with spaces: YAML indents with spaces only",
                 "korvaa sarkain välilyönneillä: YAML sisentää vain välilyönneillä"),
    "yaml_inner_quote": ("the text has a {quote} inside {quote}…{quote}: put {other} quotes around it instead, e.g. {other}she said {quote}hi{quote}{other}",
                         "tekstissä on merkki {quote}, vaikka koko teksti on merkkien {quote}…{quote} sisällä: käytä ympärillä merkkejä {other}…{other}, esim. {other}hän sanoi {quote}moi{quote}{other}"),
    "yaml_colon": ("the text has ': ' in it, which YAML reads as a new key: put the whole text in quotes, e.g. {key}: \"{value}\"",
                   "tekstissä on ': ', jonka YAML lukee uudeksi avaimeksi: laita koko teksti lainausmerkkeihin, esim. {key}: \"{value}\""),
    "rename_flag": ("choose another name for the flag", "valitse lipulle toinen nimi"),
    "add_once": ("add `once: true` to the choice", "lisää valinnalle `once: true`"),
    "true_false": ("write true or false", "kirjoita true tai false"),
    "known_names": ("known names: {names}", "tunnetut nimet: {names}"),
    "condition_syntax": ("conditions use names, numbers, true/false, comparisons, and/or/not, + and -",
                         "ehdoissa käytetään nimiä, lukuja, true/false, vertailuja, and/or/not sekä + ja -"),
    "add_eccs": ("add `eccs: 0…6` to the choice or give it a tag with a level",
                 "lisää valinnalle `eccs: 0…6` tai anna sille tagi, jolla on taso"),
    "schema_hint": ("{en}", "{fi}"),
    "condition_fix": ("did you mean `{fix}`? (conditions write == for equals, >= and <=, and, or, not)",
                      "tarkoititko `{fix}`? (ehdoissa yhtäsuuruus on ==, lisäksi >= ja <=, and, or, not)"),
    "add_code": ("add `code:` with a code of the rubric, e.g. complex_reflection or lecture (scenarios/README.md, chapter 6)",
                 "lisää `code:` ja jokin arviointiohjeen koodi, esim. complex_reflection tai lecture (scenarios/README.fi.md, luku 6)"),
    "migrate": ("give it a tag of the rubric, or upgrade the file with `python main.py migrate FILE` and add `code:`",
                "anna sille arviointiohjeen tagi tai päivitä tiedosto komennolla `python main.py migrate TIEDOSTO` ja lisää `code:`"),
    "length_giveaway": ("make a weaker answer as long or longer, or say the best one in fewer words: length must not give the answer away",
                        "tee jostain heikommasta vastauksesta yhtä pitkä tai pidempi, tai sano paras lyhyemmin: pituus ei saa paljastaa vastausta"),
    "vary_codes": ("give the answers different codes: at least one should listen better or worse than the others",
                   "anna vastauksille eri koodit: ainakin yhden pitäisi kuunnella muita paremmin tai huonommin"),
    "rename_draw": ("give it a name of its own", "anna sille oma nimi"),
    "use_draw": ("use it in a variant, e.g. `variants: [{{if: \"{name}\", line: …}}]`, or give it `mood:`",
                 "käytä sitä muunnelmassa, esim. `variants: [{{if: \"{name}\", line: …}}]`, tai anna sille `mood:`"),
    "variant_ending": ("move the variant to an ending node, or remove the field", "siirrä muunnelma loppusolmuun tai poista kenttä"),
    "raise_limit": ("raise the state limit to explore further: `python main.py analyze {file} --limit {more}` (it takes longer and more memory); or make mood changes coarser and flags fewer",
                    "nosta tilarajaa, niin polkuja tutkitaan pidemmälle: `python main.py analyze {file} --limit {more}` (vie enemmän aikaa ja muistia); tai karkeista tunnetilan muutoksia ja vähennä lippuja"),
    "open_loop": ("give a choice in this loop a way to an ending that its conditions allow",
                  "lisää tähän silmukkaan valinta, jonka ehdot sallivat pääsyn johonkin loppuun"),
    "add_fallback_choice": ("add a choice without `if:` here, or change the conditions",
                            "lisää tähän valinta ilman `if:`-ehtoa tai muuta ehtoja"),
    "check_conditions": ("check the conditions and mood changes on the way here; `python main.py analyze` shows the ranges",
                         "tarkista ehdot ja tunnetilan muutokset matkalla tänne; `python main.py analyze` näyttää arvojen vaihteluvälit"),
    "plan_scenario": ("name the plan NAME.plan.yaml next to NAME.yaml, or say `scenario: FILE`",
                      "nimeä suunnitelma NAME.plan.yaml ja pidä se tiedoston NAME.yaml vieressä, tai kirjoita `scenario: TIEDOSTO`"),
    "plan_scenario_inside": ("keep the plan beside its scenario and write `scenario: FILE.yaml`, without `..`, a full path or a link out of the folder",
                             "pidä suunnitelma skenaarionsa vieressä ja kirjoita `scenario: TIEDOSTO.yaml` ilman `..`-osaa, koko polkua tai kansiosta ulos vievää linkkiä"),
    "validate_it": ("run `python main.py validate {name}`", "aja `python main.py validate {name}`"),
    "cover_ending": ("add a case whose choices end there", "lisää tapaus, jonka valinnat päättyvät sinne"),
}

# What to do about a code when the place that found it had no more specific hint: every error
# a trainer sees says how to fix it. Templates may use the message's values.
CODE_HINTS: dict[str, tuple[str, str]] = {
    "KU001": ("check the path and the file name", "tarkista polku ja tiedostonimi"),
    "KU004": HINTS["yaml_syntax"],
    "KU007": ("remove or rename one of the two", "poista toinen tai nimeä se uudelleen"),
    "KU009": ("keep one scenario per file; remove an extra '---' or split the file",
              "pidä yksi skenaario tiedostoa kohden; poista ylimääräinen '---' tai jaa tiedosto kahtia"),
    "KU010": ("check the spelling, or move the field where it belongs (scenarios/README.md, chapter 4)",
              "tarkista kirjoitusasu tai siirrä kenttä oikeaan paikkaan (scenarios/README.fi.md, luku 4)"),
    "KU011": ("add `{name}:` here", "lisää tähän `{name}:`"),
    "KU012": ("write {expected} here", "kirjoita tähän {expected_fi}"),
    "KU013": ("scenarios/README.md, chapter 4, lists the values allowed here",
              "scenarios/README.fi.md, luku 4, kertoo, mitkä arvot tähän käyvät"),
    "KU022": ("fix the spelling of the ID or add a node with it", "korjaa tunnuksen kirjoitusasu tai lisää solmu, jolla se on"),
    "KU023": ("fix the spelling, or remove `start:` to begin at the first node",
              "korjaa kirjoitusasu tai poista `start:`, jolloin aloitetaan ensimmäisestä solmusta"),
    "KU086": ("translate it in the table, then bring it in: python main.py strings import FILE.po --into SCENARIO",
              "käännä se taulukossa ja tuo se sitten sisään: python main.py strings import TIEDOSTO.po --into SKENAARIO"),
    "KU087": ("a fuzzy translation is not imported until the mark is removed",
              "epävarmaksi merkittyä käännöstä ei tuoda, ennen kuin merkintä poistetaan"),
    "KU080": ("use a trait or stake the scenario declares", "käytä skenaariossa esiteltyä piirrettä tai panosta"),
    "KU039": ("use a code of the rubric (scenarios/README.md, chapter 6)",
              "käytä arviointiohjeen koodia (scenarios/README.fi.md, luku 6)"),
    "KU030": ("use a tag of the rubric (scenarios/README.md, chapter 6)",
              "käytä arviointiohjeen tagia (scenarios/README.fi.md, luku 6)"),
    "KU050": ("check the folder name", "tarkista kansion nimi"),
    "KU072": ("check the choice ID; `python main.py analyze` prints routes to copy",
              "tarkista valinnan tunnus; `python main.py analyze` tulostaa reitit, joita voi kopioida"),
    "KU073": ("check the node ID", "tarkista solmun tunnus"),
    "KU074": ("check the ending ID", "tarkista lopun tunnus"),
    "KU075": ("give each case its own name", "anna jokaiselle tapaukselle oma nimi"),
    "KU077": ("loosen or remove one of them", "väljennä tai poista jokin niistä"),
    "KU078": ("check the node and choice IDs", "tarkista solmun ja valinnan tunnukset"),
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    file: str
    line: int = 1
    col: int = 1
    params: dict = field(default_factory=dict, hash=False, compare=False)
    hint: tuple[str, dict] | None = field(default=None, hash=False, compare=False)

    @property
    def severity(self) -> str:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def _values(self, lang: str) -> dict:
        values = dict(self.params)
        for key in list(values):  # a `name_fi` value stands in for `name` in Finnish
            if not key.endswith("_fi"):
                finnish_value = values.setdefault(key + "_fi", values[key])
                if lang == "fi":
                    values[key] = finnish_value
        return values

    def message(self, lang: str = "en") -> str:
        _, english, finnish = CATALOGUE[self.code]
        return (finnish if lang == "fi" else english).format(**self._values(lang))

    def hint_text(self, lang: str = "en") -> str:
        from game import as_typed  # a hint naming a command names it as this user types it

        if not self.hint:
            english, finnish = CODE_HINTS.get(self.code, ("", ""))
            return as_typed((finnish if lang == "fi" else english).format(**self._values(lang)))
        key, values = self.hint
        english, finnish = HINTS[key]
        return as_typed((finnish if lang == "fi" else english).format(**values))

    def format(self, lang: str = "en") -> str:
        word = SEVERITY_WORDS[self.severity][1 if lang == "fi" else 0]
        text = f"{self.file}:{self.line}:{self.col}: {word} {self.code}: {self.message(lang)}"
        hint = self.hint_text(lang)
        if hint:
            text += f"\n    {'vihje' if lang == 'fi' else 'hint'}: {hint}"
        return text

    def as_json(self, lang: str = "en") -> dict:
        return {
            "file": self.file, "line": self.line, "column": self.col, "severity": self.severity,
            "code": self.code, "message": self.message(lang), "hint": self.hint_text(lang) or None,
        }


class DiagnosticError(Exception):
    """Raised when a file cannot be used; carries everything that was found wrong."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s)")

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def suggest(name: str, known: Iterable[str]) -> tuple[str, dict] | None:
    """A 'did you mean' hint for a misspelt name, or a list of the few allowed ones."""
    known = sorted(set(known))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return ("did_you_mean", {"name": close[0]})
    if 0 < len(known) <= 12:
        return ("allowed", {"names": ", ".join(known)})
    return None


def sort_key(d: Diagnostic):
    return (d.file, d.line, d.col, d.code)


def to_json(diagnostics: Iterable[Diagnostic], lang: str = "en") -> str:
    return json.dumps([d.as_json(lang) for d in diagnostics], ensure_ascii=False, indent=2)
