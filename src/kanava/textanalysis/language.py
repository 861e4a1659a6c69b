"""Language identification for short social media texts: fi, sv, nb, nn, da, en, other.

Two parts (docs/decisions/0004-language-identification.md says why):

1. py3langid's naive Bayes model (byte n-grams, shipped inside the py3langid wheel)
   scores each text against our six languages and 40 others. We walk its automaton and
   sum its weights for a whole batch at once with numpy: the same scores as py3langid's
   own `classify`, several times faster.
2. A lexicon of word forms written for Kanava (`_LEXICON`) then shares out the
   probability the model gave Bokmål, Nynorsk, Danish and Swedish together. The model
   confuses these in short texts, where one word such as "ikkje", "hvad" or "inte"
   settles the question.

Texts are read without URLs, @mentions, hashtag signs, emoji and digits. The confidence
is roughly calibrated on real short texts (bench/langid_bench.py prints the table): a
guess of 0.6 is right about two times in three, one of 0.99 nearly always. One- and
two-word texts ("No.", "Takk!") get low confidences, as they should.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kanava.textanalysis.text import clean, strip_entities

if TYPE_CHECKING:
    from array import array

    from numpy.typing import NDArray

LANGUAGES = ("fi", "sv", "nb", "nn", "da", "en")
OTHER = "other"
UNDETERMINED = "und"
"""Returned for a text with no words once URLs, mentions, digits and emoji are gone."""

MAX_CHARS = 1_000
"""Only the start of a text is read: a thousand characters settle its language."""


@dataclass(frozen=True)
class LanguageGuess:
    """A code from LANGUAGES, or OTHER or UNDETERMINED, and how sure we are (0..1)."""

    lang: str
    confidence: float


def detect_language(text: str) -> LanguageGuess:
    """The dominant language of one text."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str], *, min_confidence: float = 0.0) -> list[LanguageGuess]:
    """The dominant language of each text, in order.

    A guess less sure than `min_confidence` becomes UNDETERMINED (keeping its confidence),
    for callers that would rather skip a text than act on a coin toss.
    """
    model = _model()
    prepared = [_prepare(text) for text in texts]
    guesses = model.guess([encoded for encoded, _ in prepared], [shown for _, shown in prepared])
    return [
        g if g.confidence >= min_confidence else LanguageGuess(UNDETERMINED, g.confidence)
        for g in guesses
    ]


# --- reading a text -------------------------------------------------------------------

# Read a little more than MAX_CHARS, so that a long URL stripped still leaves enough.
_RAW_LIMIT = 4 * MAX_CHARS
# Digits, "RT" (a retweet's mark) and whatever emoji or symbol strip_entities leaves go,
# with the spaces around them. The punctuation the model was trained with stays:
# dropping it cost half a point on Bokmål.
_NOISE = re.compile(r"(?:\s*(?:\bRT\b|[^\w\s.,:;!?'’\"«»()-]+|[\d_]+))+\s*")
_WORD = re.compile(r"[^\W\d_]+")


def _prepare(text: str) -> tuple[bytes, str]:
    """The bytes the model reads, and the text the lexicon reads if it is needed."""
    # URLs and mentions carry names, not language; a hashtag's word stays, since it is
    # often in the language of the text.
    text = strip_entities(clean(text[:_RAW_LIMIT]))[:MAX_CHARS]
    shown = _NOISE.sub(" ", text).strip()
    if not _WORD.search(shown):
        return b"", ""
    if shown.isupper():  # the model was trained on mixed case; shouting is no language
        shown = shown.lower()
    # clean() drops lone surrogates; "ignore" makes sure none can ever raise here.
    return shown.encode("utf-8", "ignore"), shown


# --- the lexicon ----------------------------------------------------------------------

# One concept a line: its usual written forms in Bokmål | Nynorsk | Danish | Swedish.
# Written for Kanava from the standard written norms, not taken from any corpus. A form
# counts for every language whose cell holds it, so a form two languages share ("ikke")
# sets those two apart from the others only. Forms shared by all four tell nothing and
# are left out. Add a line when a confusion turns up in real texts.
_LEXICON = """
ikke | ikkje | ikke | inte
jeg | eg | jeg | jag
meg | meg | mig | mig
deg | deg | dig | dig
seg | seg | sig | sig
hun | ho | hun | hon
henne | henne | hende | henne
dere | de, dykk | jer | ni
de | dei | de | de, dom
dem | dei | dem | dem, dom
hva | kva | hvad | vad
hvordan | korleis | hvordan | hur
hvorfor | kvifor | hvorfor | varför
hvem | kven | hvem | vem
hvor | kvar, kor | hvor | var
hvilken, hvilke, hvilket | kva for | hvilken, hvilke, hvilket | vilken, vilka, vilket
når | når | hvornår, når | när
da | då | da | då
bare, kun | berre, kun | kun, bare | bara, endast
fra | frå | fra | från
av | av | af | av
noe | noko | noget | något
noen | nokon, nokre | nogen, nogle | någon, några, nån
ingenting | ingenting | ingenting, intet | ingenting, inget
hele | heile | hele | hela
helt | heilt | helt | helt
være | vere, vera | være | vara
vært | vore | været | varit
mer, mere | meir | mere | mer, mera
nå | no | nu | nu
også | òg, også | også | också
etter | etter | efter | efter
uten | utan | uden | utan
ut | ut | ud | ut
opp | opp | op | upp
inn | inn | ind | in
kanskje | kanskje | måske | kanske
mye | mykje | meget | mycket
veldig, svært, meget | veldig, svært | meget, virkelig, svært | väldigt, jätte
hver, hvert | kvar, kvart | hver, hvert | varje
alltid | alltid | altid | alltid
aldri | aldri | aldrig | aldrig
fortsatt, fremdeles | framleis | stadig, fortsat | fortfarande, fortsatt
selv | sjølv | selv | själv
sammen | saman | sammen | tillsammans
igjen | igjen, att | igen | igen
tilbake | tilbake, attende | tilbage | tillbaka
nesten | nesten | næsten | nästan
mellom | mellom | mellem | mellan
gjennom | gjennom | gennem, igennem | genom, igenom
ennå | enno | endnu | ännu
enn | enn | end | än
og | og | og | och
er | er | er | är
at, å | at, å | at | att
for | for | for | för
til | til | til | till
ved, hos | ved, hos, hjå | ved, hos | vid, hos
før | før | før | före, innan
mens | medan | mens | medan
siden | sidan | siden | sedan
derfor | difor, derfor | derfor | därför
hvis | viss, dersom | hvis | ifall
der | der | der | där
her | her | her | här
denne, dette, disse | denne, dette, desse | denne, dette, disse | denna, detta, dessa
slik, slikt, sånn, sånt | slik, slikt | sådan, sådant, sån | sådan, sån, sånt
andre | andre | andre | andra
annen, annet | annan, anna | anden, andet | annan, annat
egen, eget, egne | eigen, eige, eigne | egen, eget, egne | egen, eget, egna
en | ein | en | en
ei | ei | - | -
et, ett | eit, eitt | et | ett
mange | mange | mange | många
flere | fleire | flere | fler, flera
vår, vårt, våre | vår, vårt, våre | vores, vor, vort | vår, vårt, våra
deres | deira | deres | deras
min, mitt, mine | min, mitt, mine | min, mit, mine | min, mitt, mina
din, ditt, dine | din, ditt, dine | din, dit, dine | din, ditt, dina
sin, sitt, sine | sin, sitt, sine | sin, sit, sine | sin, sitt, sina
nei | nei | nej | nej
hei | hei | hej | hej
takk | takk | tak | tack
tusen | tusen | tusind | tusen
blir | blir, vert | bliver | blir
bli | bli, verte | blive | bli
ble | vart, blei | blev | blev
blitt | vorte, blitt | blevet | blivit
gjør | gjer | gør | gör
gjøre | gjere, gjera | gøre | göra
sier | seier | siger | säger
si | seie, seia | sige | säga
sa | sa | sagde | sa, sade
tar | tek | tager, tar | tar
ta | ta | tage | ta
vet | veit | ved | vet
visste | visste | vidste | visste
kommer | kjem | kommer | kommer
komme | kome, komme | komme | komma
fikk | fekk | fik | fick
gikk | gjekk | gik | gick
se | sjå | se | se
tror | trur | tror | tror
synes | synest | synes | tycker
trenger, behøver | treng | behøver | behöver
bor | bur | bor | bor
hører | høyrer | hører | hör
høre | høyre | høre | höra
skal | skal | skal | ska, skall
må | må | må | måste
vil | vil | vil | vill
bør | bør | bør | bör
kunne | kunne | kunne | kunna, kunde
hadde | hadde | havde | hade
hatt | hatt | haft | haft
fått | fått | fået | fått
gitt | gjeve, gitt | givet | gett, givit
tatt | teke, tatt | taget | tagit
lage, lager, laget, laga | lage, lagar, laga | lave, laver, lavet | laga, lagar, lagat
dårlig | dårleg | dårlig | dålig
mulig | mogleg | mulig, muligt | möjlig, möjligt
umulig | umogleg | umulig, umuligt | omöjlig, omöjligt
virkelig | verkeleg | virkelig | verkligen, verklig
vanlig | vanleg | almindelig | vanlig
vanskelig | vanskeleg | vanskelig, svær | svår, svårt
farlig | farleg | farlig, farligt | farlig, farligt
endelig | endeleg | endelig | äntligen
egentlig | eigentleg | egentlig | egentligen
skikkelig | skikkeleg | ordentlig | ordentlig
hyggelig | hyggjeleg | hyggelig | trevlig
koselig | koseleg | hyggelig | mysig
deilig | deileg, deilig | dejlig | härlig, skön
nydelig | nydeleg | dejlig, smuk | underbar
utrolig | utruleg | utrolig | otrolig
tidlig | tidleg | tidlig | tidigt
fornøyd | nøgd | tilfreds | nöjd
lei | lei | træt, ked | trött
spennende | spennande | spændende | spännande
strålende | strålande | strålende | strålande
hjertelig | hjarteleg | hjertelig | hjärtligt
dessverre | dessverre, diverre | desværre | tyvärr
plutselig | plutseleg | pludselig | plötsligt
flott | flott | flot | flott
kjempe | kjempe | kæmpe | jätte
gjerne | gjerne | gerne | gärna
like | like | lige | lika
litt | litt | lidt | lite
liten, lite, lille | liten, lite, lita, vesle | lille, lidt | liten, lilla
gammel, gamle | gammal, gamle | gammel, gamle | gammal, gamla
lenge | lenge | længe | länge
lenger | lenger | længere | längre
høy, høyt, høye | høg, høgt, høge | høj, højt, høje | hög, högt, höga
neste | neste | næste | nästa
siste | siste | sidste | sista
første | første | første | första
allerede | alt, allereie | allerede | redan
alle | alle | alle | alla
hverandre | kvarandre, einannan | hinanden | varandra
mot | mot | mod | mot
ned | ned | ned | ner, ned
borte | borte | væk, borte | borta
nok | nok | nok | nog
ganske | ganske | ganske | ganska
altså | altså | altså | alltså
ofte | ofte | ofte, tit | ofta
sjelden | sjeldan | sjældent | sällan
visst | visst | vist | visst
nye | nye | nye | nya
gode | gode | gode | goda
bra | bra | godt | bra
godt | godt | godt | gott
feil | feil | fejl, forkert | fel
riktig | riktig, rett | rigtig, rigtigt | rätt, riktig
spør, spørre | spør, spørje | spørger, spørge | frågar, fråga
svarer | svarar | svarer | svarar
venter, ventet | ventar, venta | venter, ventede, ventet | väntar, väntade, väntat
husk, huske | hugs, hugse | husk, huske | -
glem, glemme | gløym, gløyme | glem, glemme | glöm, glömma
kjøpe, kjøper | kjøpe, kjøper | købe, køber | köpa, köper
kjøre, kjører, kjørte | køyre, køyrer, køyrde | køre, kører, kørte | köra, kör, körde
begynne, begynner | byrje, byrjar, begynne | begynde, begynder | börja, börjar
tenke, tenker | tenkje, tenkjer | tænke, tænker | tänka, tänker
elsker | elskar | elsker | älskar
ønsker | ønskjer | ønsker | önskar
beklager | orsakar, beklagar | beklager | beklagar
gratulerer | gratulerer | tillykke | grattis
skjønner | skjønar | forstår | fattar
forstår | forstår | forstår | förstår
mennesker | menneske | mennesker | människor
innbyggere | innbyggjarar | borgere, indbyggere | invånare
ansatte | tilsette | ansatte, medarbejdere | anställda
elever, elevene | elevar, elevane | elever, eleverne | elever, eleverna
lærer, lærere, lærerne | lærar, lærarar, lærarane | lærer, lærere, lærerne | lärare, lärarna
uke, uka, uken, uker | veke, veka, veker | uge, ugen, uger | vecka, veckan, veckor
måned, måneden | månad, månaden | måned, måneden | månad, månaden
dager | dagar | dage | dagar
ganger, gang | gonger, gong | gange, gang | gånger, gång
timer | timar | timer | timmar
klokka, klokken | klokka | klokken | klockan
kroner | kroner | kroner | kronor
prosent | prosent | procent | procent
skole, skolen, skoler | skule, skulen, skular | skole, skolen, skoler | skola, skolan, skolor
kirke, kirken | kyrkje, kyrkja | kirke, kirken | kyrka, kyrkan
sykehus, sykehuset | sjukehus, sjukehuset | sygehus, sygehuset | sjukhus, sjukhuset
syk, syke | sjuk, sjuke | syg, syge | sjuk, sjuka
vei, veien, veier | veg, vegen, vegar | vej, vejen, veje | väg, vägen, vägar
snø, snøen | snø, snøen | sne, sneen | snö, snön
vær, været | vêr, vêret | vejr, vejret | väder, vädret
vann, vannet | vatn, vatnet | vand, vandet | vatten, vattnet
strøm, strømmen | straum, straumen | strøm, strømmen | ström, strömmen
barna | borna, barna | børn, børnene | barnen
foreldre, foreldrene | foreldre, foreldra | forældre, forældrene | föräldrar
hjem, hjemme | heim, heime | hjem, hjemme | hem, hemma
kveld, kvelden | kveld, kvelden | aften, aftenen | kväll, kvällen
morgen | morgon | morgen | morgon
høst, høsten | haust, hausten | efterår, efteråret | höst, hösten
sommer, sommeren | sommar, sommaren | sommer, sommeren | sommar, sommaren
gate, gata, gaten | gate, gata | gade, gaden | gata, gatan
bru, brua, bro, broen | bru, brua | bro, broen | bro, bron
sted, stedet, steder | stad, staden, stader | sted, stedet, steder | ställe, stället
helg, helgen | helg, helga | weekend, weekenden | helg, helgen
penger | pengar | penge | pengar
spørsmål | spørsmål | spørgsmål | fråga, frågor
hjelp, hjelpe | hjelp, hjelpe, hjelpa | hjælp, hjælpe | hjälp, hjälpa
møte | møte | møde | möte
tjeneste, tjenester, tjenesten | teneste, tenester, tenesta | tjeneste, tjenester | tjänst, tjänster
tilbud | tilbod | tilbud | erbjudande
språk | språk | sprog | språk
snakke, snakker | snakke, snakkar | snakke, snakker, taler | prata, pratar, talar
jobber, jobbe | jobbar, jobbe | arbejder | jobbar, arbetar
arbeid, arbeidet | arbeid, arbeidet | arbejde, arbejdet | arbete, arbetet
lege, legen | lege, legen | læge, lægen | läkare, läkaren
buss, bussen, bussene | buss, bussen, bussane | bus, bussen, busserne | buss, bussen, bussarna
tog, toget | tog, toget | tog, toget | tåg, tåget
ferge, fergen, ferja | ferje, ferja | færge, færgen | färja, färjan
butikk, butikken | butikk, butikken | butik, butikken | affär, butik
kommune, kommunen | kommune, kommunen | kommune, kommunen | kommun, kommunen
søppel | boss, søppel | skrald, affald | sopor, skräp
fortau, fortauet | fortau, fortauet | fortov, fortovet | trottoar, trottoaren
mandag | måndag | mandag | måndag
tirsdag | tysdag | tirsdag | tisdag
lørdag | laurdag | lørdag | lördag
søndag | søndag, sundag | søndag | söndag
velkommen | velkomen | velkommen | välkommen
holder | held | holder | håller
holde | halde | holde | hålla
legger | legg | lægger | lägger
ligger | ligg | ligger | ligger
henger | heng | hænger | hänger
sitter | sit | sidder | sitter
finner | finn | finder | hittar
søker | søkjer | søger | söker
søke | søkje | søge | söka
leser | les | læser | läser
skriver | skriv | skriver | skriver
flytting | flytting | flytning | flytt
"""

_SCANDINAVIAN = ("nb", "nn", "da", "sv")

# Endings that give a word away when the lexicon does not know it: Nynorsk adjectives in
# -leg, nouns in -heit and plurals in -ane, present participles in -ande (Nynorsk, Swedish)
# or -ende, Danish -hed, -sjon against -tionen. Only words of six letters or more are read,
# so that short words ("leg", "hed") are not taken for endings. The longest ending wins,
# and "-bane" (skøytebane, hjemmebane) is everyone's, so it is not read as Nynorsk "-ane".
# Bare "-tion" is not read: Norwegian texts are full of "action" and "fiction".
_ENDINGS = {
    (1,): "leg lege legt legare legast legaste heit heita heiter ane sjonar sjonane",
    (1, 3): "ande",
    (0, 2, 3): "ende",
    (0, 3): "het heten heter",
    (2,): "hed heden heder hederne",
    (2, 3): "tionen tioner tionerne tionerna",
    (0, 1): "sjon sjonen sjoner sjonene",
    (0, 1, 2, 3): "bane",
}


class _Lexicon:
    """Votes of a text's words for Bokmål, Nynorsk, Danish and Swedish."""

    def __init__(self, table: str) -> None:
        languages: dict[str, set[int]] = {}
        for line in table.strip().splitlines():
            for index, cell in enumerate(line.split("|")):
                for form in cell.split(","):
                    if (form := form.strip()) and form != "-":
                        languages.setdefault(form, set()).add(index)
        self.forms = {
            form: tuple(sorted(indices))
            for form, indices in languages.items()
            if len(indices) < len(_SCANDINAVIAN)
        }
        self.endings = {end: group for group, ends in _ENDINGS.items() for end in ends.split()}
        # Longest first, so that "-heiter" is not read as "-heit" plus a stray "er".
        self.ending_tuple = tuple(sorted(self.endings, key=len, reverse=True))

    def votes(self, text: str) -> list[float]:
        """How many of the text's words each of the four languages writes so."""
        votes = [0.0] * len(_SCANDINAVIAN)
        for word in _WORD.findall(text.lower()):
            indices = self.forms.get(word)
            if indices is None and len(word) >= 6 and word.endswith(self.ending_tuple):
                indices = next(self.endings[e] for e in self.ending_tuple if word.endswith(e))
            for index in indices or ():
                votes[index] += 1.0
        return votes


# --- the model ------------------------------------------------------------------------

# py3langid's codes for our languages, in the order of LANGUAGES. Its "no" is Bokmål.
_CODES = ("fi", "sv", "no", "nn", "da", "en")
# The other languages we tell apart from ours. Scoring all 139 would cost three times as
# much; these are the ones met in Nordic streams: neighbours, Europe, the languages of
# large immigrant groups, major world languages. zxx is py3langid's "not language".
_OTHERS = (
    *("de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "et", "lt", "lv", "is", "fo"),
    *("se", "ar", "so", "fa", "tr", "ku", "zh", "ja", "ko", "th", "vi", "tl", "hi", "ur"),
    *("hu", "cs", "sk", "ro", "sq", "hr", "bs", "el", "he", "am", "sw", "id", "zxx"),
)
_NOT_LANGUAGE = "zxx"
# Each word of the lexicon moves this much log-probability to the languages writing it.
_WORD_WEIGHT = 1.5
# Log-prior of Bokmål, Nynorsk and Danish. An organisation in Norway reads far more
# Bokmål than Nynorsk or Danish, so a close call goes to Bokmål. Tuned on the training
# halves (see bench/langid_bench.py); -0.6 for Danish loses no Danish there.
_PRIOR = np.array([0.0, -0.3, -0.6])
# Another language wins when the other languages together hold this much probability
# and one of them leads with _OTHER_LEADER (Russian and Ukrainian share a text's mass),
# or when they hold all but _OTHER_CERTAIN. Spread thinly over many languages, the same
# mass only says the text is too short to tell: the model's priors are even over 139
# languages, while our streams are nearly all in our six.
_OTHER_THRESHOLD = 0.9
_OTHER_LEADER = 0.5
_OTHER_CERTAIN = 0.999
# Below this total for the four Scandinavian languages, the lexicon cannot change the
# answer, so Finnish and English texts skip reading their words.
_LEXICON_FROM = 0.01
# Confidence is our six probabilities sharpened by this power, then normalised: the
# model's own are too modest (0.6 was right 90 % of the time on the training halves).
_SHARPEN = 2.0
_CHUNK = 128  # texts walked together; bigger chunks pad short texts to long ones


class _Model:
    """py3langid's model held as numpy arrays, scored a batch at a time, plus the lexicon."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        classes: list[str] = list(identifier.nb_classes)
        self.labels = [*LANGUAGES, *_OTHERS]
        columns = [classes.index(code) for code in [*_CODES, *_OTHERS]]
        self.weights = np.ascontiguousarray(identifier.nb_ptc[:, columns], dtype=np.float32)
        self.priors = np.asarray(identifier.nb_pc, dtype=np.float32)[columns]
        self.features: int = self.weights.shape[0]
        nextmove: array[int] = identifier.tk_nextmove
        self.nextmove = np.frombuffer(nextmove, dtype=nextmove.typecode)
        self.rowbase = np.asarray(identifier.tk_row, dtype=np.int64) << 8
        self.output = np.asarray(identifier.tk_output, dtype=np.int64)
        # Plain Python sequences walk one short text faster than numpy, byte by byte.
        self.nextmove_list = nextmove
        self.rowbase_list: list[int] = self.rowbase.tolist()
        self.output_list: list[int] = identifier.tk_output
        self.lexicon = _Lexicon(_LEXICON)
        self.scandinavian = [LANGUAGES.index(lang) for lang in _SCANDINAVIAN]
        self.not_language = _OTHERS.index(_NOT_LANGUAGE)

    def guess(self, texts: list[bytes], shown: list[str]) -> list[LanguageGuess]:
        """One guess per text (as bytes, and as text for the lexicon); empty: undetermined."""
        probabilities = self.probabilities(texts)
        ours = self._read_words(probabilities[:, : len(LANGUAGES)], shown)
        others = probabilities[:, len(LANGUAGES) :].copy()
        not_language = others[:, self.not_language].copy()
        others[:, self.not_language] = 0.0
        other_total, other_best = others.sum(axis=1), others.max(axis=1)
        is_other = (other_total >= _OTHER_THRESHOLD) & (
            (other_best >= _OTHER_LEADER) | (other_total >= _OTHER_CERTAIN)
        )
        # Our languages compete among themselves once "other" is ruled out.
        sharpened = ours**_SHARPEN
        confidence = sharpened.max(axis=1) / np.maximum(sharpened.sum(axis=1), 1e-300)
        best = ours.argmax(axis=1)
        guesses = []
        for i, text in enumerate(texts):
            if not text or not_language[i] >= probabilities[i].max():
                guesses.append(LanguageGuess(UNDETERMINED, 0.0))
            elif is_other[i]:
                guesses.append(LanguageGuess(OTHER, float(other_total[i])))
            else:
                guesses.append(LanguageGuess(LANGUAGES[best[i]], float(confidence[i])))
        return guesses

    def _read_words(self, ours: NDArray[np.float64], texts: list[str]) -> NDArray[np.float64]:
        """Our six probabilities, the four Scandinavian ones re-weighted by the lexicon.

        Their sum stays as the model gave it: the model tells Scandinavian from Finnish
        and English well, and the lexicon only decides which Scandinavian language.
        """
        shared = ours[:, self.scandinavian]
        total = shared.sum(axis=1, keepdims=True)
        votes = np.zeros_like(shared)
        for i in np.flatnonzero(total[:, 0] > _LEXICON_FROM):
            votes[i] = self.lexicon.votes(texts[i])
        shared = _renormalise(np.log(np.maximum(shared, 1e-300)) + _WORD_WEIGHT * votes, total)
        # The prior only moves probability among Bokmål, Nynorsk and Danish: applied to
        # all four, it would hand Swedish what it takes from the other three.
        trio = shared[:, :3]
        trio[:] = _renormalise(np.log(np.maximum(trio, 1e-300)) + _PRIOR, trio.sum(axis=1)[:, None])
        result = ours.copy()
        result[:, self.scandinavian] = shared
        return result

    # Scoring -------------------------------------------------------------------------

    def probabilities(self, texts: list[bytes]) -> NDArray[np.float64]:
        """One row of probabilities (columns as self.labels) per text; zeros if empty."""
        result = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        # Texts of similar length walk together, so little of a chunk is padding.
        order = sorted((i for i, text in enumerate(texts) if text), key=lambda i: len(texts[i]))
        for start in range(0, len(order), _CHUNK):
            rows = order[start : start + _CHUNK]
            chunk = [texts[i] for i in rows]
            result[rows] = self._softmax(self.scores(chunk), chunk)
        return result

    def scores(self, texts: list[bytes]) -> NDArray[np.float32]:
        """Naive Bayes log-scores: log(1 + count) of each feature times its weights."""
        if len(texts) < 8:  # numpy's cost per call outweighs its speed for a few texts
            text_index, feature = self._walk_each(texts)
        else:
            text_index, feature = self._walk_together(texts)
        pairs, counts = np.unique(text_index * self.features + feature, return_counts=True)
        text_index, feature = np.divmod(pairs, self.features)
        weighted = self.weights[feature] * np.log1p(counts).astype(np.float32)[:, None]
        scores = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if len(pairs):
            starts = np.flatnonzero(np.r_[True, text_index[1:] != text_index[:-1]])
            scores[text_index[starts]] = np.add.reduceat(weighted, starts, axis=0)
        return scores + self.priors

    def _walk_together(self, texts: list[bytes]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(text index, feature) for each feature the automaton emits, all texts in step."""
        lengths = np.array([len(text) for text in texts])
        width = int(lengths.max())
        padded = b"".join(text.ljust(width, b"\0") for text in texts)
        matrix = np.frombuffer(padded, dtype=np.uint8).reshape(len(texts), width)
        columns = matrix.T.astype(np.int64)
        state = np.zeros(len(texts), dtype=np.int64)
        emitted = np.empty((width, len(texts)), dtype=np.int64)
        for position in range(width):
            state = self.nextmove[self.rowbase[state] + columns[position]]
            emitted[position] = self.output[state]
        emitted[np.arange(width)[:, None] >= lengths[None, :]] = -1  # padding emits nothing
        at, text_index = np.nonzero(emitted >= 0)
        return text_index, emitted[at, text_index]

    def _walk_each(self, texts: list[bytes]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The same as _walk_together, one text at a time in plain Python."""
        nextmove, rowbase, output = self.nextmove_list, self.rowbase_list, self.output_list
        text_index: list[int] = []
        features: list[int] = []
        for index, text in enumerate(texts):
            state = 0
            for byte in text:
                state = nextmove[rowbase[state] + byte]
                if (feature := output[state]) >= 0:
                    features.append(feature)
                    text_index.append(index)
        return np.array(text_index, dtype=np.int64), np.array(features, dtype=np.int64)

    @staticmethod
    def _softmax(scores: NDArray[np.float32], texts: list[bytes]) -> NDArray[np.float64]:
        # py3langid's calibration: dividing by √bytes keeps a long text from being
        # overconfident, since its n-grams are far from independent.
        tempered = scores.astype(np.float64) / np.sqrt([[len(text)] for text in texts])
        tempered = np.exp(tempered - tempered.max(axis=1, keepdims=True))
        result: NDArray[np.float64] = tempered / tempered.sum(axis=1, keepdims=True)
        return result


def _renormalise(logits: NDArray[np.float64], total: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax of each row of logits, scaled to sum to that row's total."""
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: NDArray[np.float64] = total * weights / weights.sum(axis=1, keepdims=True)
    return result


_LOCK = threading.Lock()
_LOADED: _Model | None = None


def _model() -> _Model:
    """The model, loaded on first use (about half a second) and shared by all threads."""
    global _LOADED
    if _LOADED is None:
        with _LOCK:
            if _LOADED is None:
                _LOADED = _Model()
    return _LOADED
