"""How well the trend detector finds known bursts injected into real background text.

Run: .venv/bin/python bench/trends_bench.py [--seeds 1 2 3 4 5] [--days 7] [--rate 300]
     [--data ../shared/data/tone] [--no-memory] [--verbose]

For each seed it builds a stream of `--days` days in one-hour windows:

- background: real texts (with their tone labels) sampled from `<data>/<lang>/train.tsv`
  for en, fi, nb and sv, with a daily rhythm of volume (quiet nights, morning and
  evening peaks; `--rate` items an hour at the busiest), popular posts shared again
  ("RT @x: ..."), a few themes of the day drawn more often, and "good morning" posts
  every morning (a daily pattern that is not news);
- 14 new topics: a term or phrase unseen before (a hashtag, a place, an event) in 8–30
  texts within one window, written from varied templates in the four languages with a
  real background sentence mixed in;
- 6 rising topics: a word the background already uses, in 10–30 extra real texts that
  contain it, within one window;
- 4 volume spikes (extra background texts, 120–200 % more), 4 negative-share spikes (a
  window's texts drawn with 25–35 points more negative ones) and 2 copy-paste campaigns
  (150–400 copies, some as retweets or with a link or hashtag added) that must be
  reported as campaigns and must not make a topic or a volume spike.

Nothing is injected during the first day (the detector's warm-up). A topic counts as
found when a reported topic's term or a related term is the injected term (or one of its
words) in the burst's window or the next. Precision is strict: a second topic for the
same burst counts against it, like a topic that matches no burst. It prints per seed and
overall: topics P/R, spikes P/R, campaigns found, the detector's throughput (items/s,
without memory tracing) and its peak traced memory (tracemalloc, the detector only).
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kanava.textanalysis.stopwords import stopwords
from kanava.textanalysis.text import tokens
from kanava.textanalysis.trends import TrendDetector, TrendItem, TrendReport

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tone"
LANGS = {"en": 0.35, "fi": 0.35, "sv": 0.15, "nb": 0.15}
START = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = timedelta(hours=1)

# Share of the busiest hour's volume in each hour of the day.
RHYTHM = [0.12, 0.08, 0.06, 0.05, 0.06, 0.1, 0.25, 0.5, 0.8, 0.95, 1.0, 0.9,
          0.85, 0.8, 0.75, 0.75, 0.8, 0.85, 0.9, 1.0, 0.95, 0.8, 0.5, 0.25]

NEW_TERMS = {
    "fi": ["vesikatko", "bussilakko", "Kalliolan kirjasto", "#helsinkipäivä", "sähkökatko",
           "metrohäiriö", "Pasilan silta", "#kuntavaalit", "jäätelöfestivaali",
           "Töölönlahden tapahtuma", "#lumimyräkkä", "uimahallin remontti", "Vuosaaren satama",
           "#ruokaapu"],
    "en": ["water outage", "bus strike", "#citymarathon", "Riverside bridge", "heat wave",
           "ferry delay", "#foodbank", "Harbor Tunnel", "library closure", "#snowstorm",
           "parking fees", "Elm Street fire", "vaccine clinic", "#cleanupday"],
    "sv": ["vattenläcka", "bussstrejk", "#stadsfest", "Slussenbron", "värmebölja",
           "färjeförsening", "#matbank", "Hamntunneln", "biblioteksstängning", "#snöstorm",
           "parkeringsavgift", "Kungsgatan brand", "vaccinationsbuss", "#skräpplockardag"],
    "nb": ["vannlekkasje", "bussstreik", "#byfest", "Bjørvikabrua", "hetebølge",
           "fergeforsinkelse", "#matsentral", "Havnetunnelen", "biblioteknedleggelse",
           "#snøstorm", "parkeringsavgift", "Storgata brann", "vaksinebuss", "#ryddedag"],
}

TEMPLATES = {
    "fi": ["{t} puhuttaa taas", "Onko kukaan muu huomannut? {t}", "Mitä mieltä olette: {t}",
           "Ei voi olla totta, {t}!!", "Lue lisää: {t} https://example.fi/{n}",
           "{t} koskee meitä kaikkia", "Kuulin juuri että {t} jatkuu huomenna",
           "Kiitos kaikille jotka kertoivat tilanteesta, {t}", "{t} ja taas mennään",
           "Tilannekatsaus: {t}", "Naapuri kertoi {t} jutusta", "{t}?? Kuka vastaa tästä"],
    "en": ["{t} again, seriously", "Has anyone else noticed? {t}", "What do you think about {t}",
           "Can't believe it, {t}!!", "Read more: {t} https://example.com/{n}",
           "{t} affects all of us", "Just heard that {t} continues tomorrow",
           "Thanks everyone for the updates on {t}", "Here we go again: {t}",
           "Update on {t}", "My neighbour told me about {t}", "{t}?? Who is responsible"],
    "sv": ["{t} igen, allvarligt", "Har någon annan märkt? {t}", "Vad tycker ni om {t}",
           "Kan inte tro det, {t}!!", "Läs mer: {t} https://example.se/{n}",
           "{t} berör oss alla", "Hörde just att {t} fortsätter imorgon",
           "Tack alla för uppdateringarna om {t}", "Nu kör vi igen: {t}",
           "Läget just nu: {t}", "Grannen berättade om {t}", "{t}?? Vem ansvarar"],
    "nb": ["{t} igjen, seriøst", "Har noen andre lagt merke til det? {t}", "Hva synes dere om {t}",
           "Kan ikke tro det, {t}!!", "Les mer: {t} https://example.no/{n}",
           "{t} angår oss alle", "Hørte nettopp at {t} fortsetter i morgen",
           "Takk alle for oppdateringene om {t}", "Nå er vi i gang igjen: {t}",
           "Status nå: {t}", "Naboen fortalte om {t}", "{t}?? Hvem har ansvaret"],
}

GREETINGS = {
    "fi": ["Hyvää huomenta kaikille!", "Huomenta! Kahvi keitetty",
           "Hyvää huomenta, aurinkoinen aamu"],
    "en": ["Good morning everyone!", "Morning all, coffee time", "Good morning, what a sunrise"],
    "sv": ["God morgon allihop!", "God morgon, kaffe nu", "Morgon! Vilken soluppgång"],
    "nb": ["God morgen alle sammen!", "God morgen, kaffetid", "Morn! For en soloppgang"],
}

CAMPAIGNS = [
    ("fi", "#pelastetaanpuisto",
     "Allekirjoita adressi Keskuspuiston säilyttämiseksi nyt! #pelastetaanpuisto"),
    ("en", "#stoptheharborplan",
     "Sign the petition against the harbor plan today! #stoptheharborplan"),
    ("sv", "#räddaparken", "Skriv under uppropet för att rädda parken idag! #räddaparken"),
    ("nb", "#reddparken", "Signer oppropet for å redde parken i dag! #reddparken"),
]


@dataclass
class Corpus:
    texts: list[str]
    tones: list[str]
    by_word: dict[str, list[int]]
    negative_share: float


@dataclass
class Truth:
    topics: list[tuple[int, str, str]] = field(default_factory=list)  # window, key, kind
    spikes: list[tuple[int, str]] = field(default_factory=list)  # window, kind
    campaigns: list[tuple[int, str]] = field(default_factory=list)  # window, key


def load(data: Path) -> dict[str, Corpus]:
    corpora = {}
    for lang in LANGS:
        with (data / lang / "train.tsv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
        rows = [row for row in rows if len(row) >= 2 and row[0].strip()]
        texts = [row[0] for row in rows]
        tones = [row[1] if row[1] in ("positive", "neutral", "negative") else "neutral"
                 for row in rows]
        by_word: dict[str, list[int]] = {}
        for position, text in enumerate(texts):
            for word in set(tokens(text)):
                by_word.setdefault(word, []).append(position)
        corpora[lang] = Corpus(texts, tones, by_word, tones.count("negative") / len(tones))
    return corpora


def build_stream(corpora: dict[str, Corpus], seed: int, days: int,
                 rate: int) -> tuple[list[TrendItem], Truth]:
    rng = random.Random(seed)
    windows = days * 24
    truth = Truth()
    plan = _plan_injections(rng, windows, corpora, truth)
    themes = {(day, lang): _day_themes(rng, corpora[lang], lang)
              for day in range(days) for lang in LANGS}
    popular = {lang: rng.sample(range(len(c.texts)), 40) for lang, c in corpora.items()}
    items: list[TrendItem] = []
    for window in range(windows):
        start = START + window * HOUR
        volume = _poisson(rng, rate * RHYTHM[window % 24])
        negative_boost = plan.negative.get(window, 0.0)
        if window in plan.volume:
            volume += int(volume * plan.volume[window])
        for _ in range(volume):
            lang = _pick_lang(rng)
            text, tone = _background(rng, corpora[lang], themes[(window // 24, lang)],
                                     popular[lang], negative_boost)
            items.append(_item(rng, start, text, lang, tone))
        if 6 <= window % 24 <= 9:
            for _ in range(_poisson(rng, 15)):
                lang = _pick_lang(rng)
                items.append(_item(rng, start, rng.choice(GREETINGS[lang]), lang, "positive"))
        for inject in plan.bursts.get(window, []):
            items.extend(_item(rng, start, text, lang, tone) for text, lang, tone in inject())
    items.sort(key=lambda item: item.time)
    return items, truth


@dataclass
class Plan:
    bursts: dict[int, list[Callable[[], list[tuple[str, str, str]]]]] = field(default_factory=dict)
    volume: dict[int, float] = field(default_factory=dict)
    negative: dict[int, float] = field(default_factory=dict)


def _plan_injections(rng: random.Random, windows: int, corpora: dict[str, Corpus],
                     truth: Truth) -> Plan:
    plan = Plan()
    # Bursts land in waking hours after the warm-up day, two windows apart at least,
    # so that "found in the window or the next" is unambiguous.
    slots = [w for w in range(26, windows - 1) if 7 <= w % 24 <= 22]
    rng.shuffle(slots)
    chosen: list[int] = []
    for slot in slots:
        if all(abs(slot - other) >= 2 for other in chosen):
            chosen.append(slot)
        if len(chosen) == 30:
            break
    new_slots, rising_slots = chosen[:14], chosen[14:20]
    volume_slots, negative_slots, campaign_slots = chosen[20:24], chosen[24:28], chosen[28:30]
    keys = [(lang, term) for lang, terms in NEW_TERMS.items() for term in terms]
    for window, (lang, term) in zip(new_slots, rng.sample(keys, 14), strict=True):
        count = rng.randint(8, 30)
        plan.bursts.setdefault(window, []).append(_new_topic(rng, corpora[lang], lang, term, count))
        truth.topics.append((window, term, "new"))
    for window in rising_slots:
        lang = _pick_lang(rng)
        word = _rising_word(rng, corpora[lang], lang)
        count = rng.randint(10, 30)
        rising = _rising_topic(rng, corpora[lang], lang, word, count)
        plan.bursts.setdefault(window, []).append(rising)
        truth.topics.append((window, word, "rising"))
    for window in volume_slots:
        plan.volume[window] = rng.uniform(1.2, 2.0)
        truth.spikes.append((window, "volume"))
    for window in negative_slots:
        plan.negative[window] = rng.uniform(0.25, 0.35)
        truth.spikes.append((window, "negative_share"))
    for window, (lang, key, text) in zip(campaign_slots, rng.sample(CAMPAIGNS, 2), strict=True):
        plan.bursts.setdefault(window, []).append(_campaign(rng, lang, text, rng.randint(150, 400)))
        truth.campaigns.append((window, key))
    return plan


def _new_topic(rng: random.Random, corpus: Corpus, lang: str, term: str,
               count: int) -> Callable[[], list[tuple[str, str, str]]]:
    def make() -> list[tuple[str, str, str]]:
        texts = []
        for _ in range(count):
            text = rng.choice(TEMPLATES[lang]).format(t=term, n=rng.randint(1, 10**6))
            if rng.random() < 0.6:  # most posts say something else too
                filler = rng.choice(corpus.texts)
                text = f"{text} {filler}" if rng.random() < 0.5 else f"{filler} {text}"
            texts.append((text, lang, rng.choice(["negative", "neutral", "positive"])))
        return texts
    return make


def _rising_word(rng: random.Random, corpus: Corpus, lang: str) -> str:
    """A content word the background uses now and then (about once every 1–6 windows)."""
    stop = stopwords(lang)
    candidates = sorted(
        word for word, texts in corpus.by_word.items()
        if 60 <= len(texts) <= 250 and len(word) >= 5 and word not in stop
        and not word.startswith(("#", "@"))
    )
    return rng.choice(candidates)


def _rising_topic(rng: random.Random, corpus: Corpus, lang: str, word: str,
                  count: int) -> Callable[[], list[tuple[str, str, str]]]:
    def make() -> list[tuple[str, str, str]]:
        chosen = rng.sample(corpus.by_word[word], min(count, len(corpus.by_word[word])))
        return [(corpus.texts[i], lang, corpus.tones[i]) for i in chosen]
    return make


def _campaign(rng: random.Random, lang: str, text: str,
              copies: int) -> Callable[[], list[tuple[str, str, str]]]:
    def make() -> list[tuple[str, str, str]]:
        out = []
        for _ in range(copies):
            variant = text
            roll = rng.random()
            if roll < 0.3:
                variant = f"RT @user{rng.randint(1, 999)}: {text}"
            elif roll < 0.5:
                variant = f"{text} https://example.org/{rng.randint(1, 99)}"
            elif roll < 0.6:
                variant = f"{text} #vaikuta"
            out.append((variant, lang, "neutral"))
        return out
    return make


def _day_themes(rng: random.Random, corpus: Corpus, lang: str) -> list[int]:
    """Texts about a few of the day's themes: words that are drawn more often all day."""
    stop = stopwords(lang)
    words = [w for w, texts in corpus.by_word.items() if 20 <= len(texts) <= 200 and w not in stop]
    themes = rng.sample(sorted(words), 10)
    return [i for word in themes for i in corpus.by_word[word]]


def _background(rng: random.Random, corpus: Corpus, themes: list[int], popular: list[int],
                negative_boost: float) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.1:
        index = rng.choice(themes)
    elif roll < 0.15:
        index = rng.choice(popular)
        return f"RT @fan{rng.randint(1, 50)}: {corpus.texts[index]}", corpus.tones[index]
    else:
        index = rng.randrange(len(corpus.texts))
    # Turning this share of the other texts negative raises the share by `negative_boost`.
    switch = negative_boost / (1 - corpus.negative_share)
    if negative_boost and corpus.tones[index] != "negative" and rng.random() < switch:
        while corpus.tones[index] != "negative":
            index = rng.randrange(len(corpus.texts))
    return corpus.texts[index], corpus.tones[index]


def _pick_lang(rng: random.Random) -> str:
    return rng.choices(list(LANGS), weights=list(LANGS.values()))[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Normal approximation is fine for volumes; small means use Knuth's method.
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


_ids = iter(range(10**9))


def _item(rng: random.Random, start: datetime, text: str, lang: str, tone: str) -> TrendItem:
    moment = start + timedelta(seconds=rng.uniform(0, 3599))
    return TrendItem(moment, text, lang, tone, f"i{next(_ids)}")


# --- Scoring -----------------------------------------------------------------------


def _words(term: str) -> set[str]:
    return {word.lstrip("#") for word in tokens(term)}


def _matches(key: str, terms: list[str]) -> bool:
    """Whether a reported topic names the injected key (or one of its words)."""
    key_norm = " ".join(tokens(key))
    key_words = _words(key)
    for term in terms:
        bare = term.lstrip("#")
        if term == key_norm or bare == key_norm.lstrip("#") or bare in key_words:
            return True
    return False


@dataclass
class Score:
    topics_found: int = 0
    topics_total: int = 0
    topics_reported: int = 0
    topics_false: int = 0
    spikes_found: int = 0
    spikes_total: int = 0
    spikes_reported: int = 0
    spikes_false: int = 0
    campaigns_found: int = 0
    campaigns_total: int = 0
    campaign_topics: int = 0
    false_examples: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            setattr(self, name, value + getattr(other, name))


def score(report: TrendReport, truth: Truth) -> Score:
    result = Score(topics_total=len(truth.topics), spikes_total=len(truth.spikes),
                   campaigns_total=len(truth.campaigns))
    window_of = {window.start: (window.start - START) // HOUR for window in report.windows}
    found: set[int] = set()
    for topic in report.topics:
        window = window_of[topic.window_start]
        terms = [topic.term, *topic.related]
        result.topics_reported += 1
        hits = [i for i, (w, key, _) in enumerate(truth.topics)
                if w <= window <= w + 1 and _matches(key, terms)]
        if any(w <= window <= w + 1 and _matches(key, terms) for w, key in truth.campaigns):
            result.campaign_topics += 1
        new = [i for i in hits if i not in found]
        if new:
            found.add(new[0])
        else:
            result.topics_false += 1
            result.false_examples.append(f"w{window} {topic.term} ({topic.count} vs "
                                         f"{topic.expected}, score {topic.score}) {terms[1:4]}")
    result.topics_found = len(found)
    result.missed += [f"w{w} {kind} topic {key!r}" for i, (w, key, kind) in enumerate(truth.topics)
                      if i not in found]
    spikes_found: set[int] = set()
    for spike in report.spikes:
        window = window_of[spike.window_start]
        result.spikes_reported += 1
        hits = [i for i, (w, kind) in enumerate(truth.spikes)
                if kind == spike.kind and w <= window <= w + 1 and i not in spikes_found]
        if hits:
            spikes_found.add(hits[0])
        else:
            result.spikes_false += 1
            result.false_examples.append(f"w{window} {spike.kind} {spike.observed} vs "
                                         f"{spike.expected} score {spike.score}")
    result.spikes_found = len(spikes_found)
    result.missed += [f"w{w} {kind} spike" for i, (w, kind) in enumerate(truth.spikes)
                      if i not in spikes_found]
    for w, key in truth.campaigns:
        if any(w <= window_of[c.window_start] <= w + 1 and key in c.example.text.lower()
               for c in report.campaigns):
            result.campaigns_found += 1
    return result


def run(items: list[TrendItem], *, trace: bool) -> tuple[TrendReport, float, int]:
    detector = TrendDetector(history=None)
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    detector.add_many(items)
    detector.flush()
    elapsed = time.perf_counter() - began
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return detector.report(), elapsed, peak


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--rate", type=int, default=300, help="items in the busiest hour")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-memory", action="store_true", help="skip the traced run")
    parser.add_argument("--verbose", action="store_true", help="list false detections")
    args = parser.parse_args()
    corpora = load(args.data)
    print(f"{'seed':>4} {'items':>6} {'topics P':>8} {'R':>6} {'spikes P':>8} {'R':>6} "
          f"{'campaigns':>9} {'items/s':>8} {'peak MiB':>8}")
    total = Score()
    rates: list[float] = []
    peaks: list[int] = []
    for seed in args.seeds:
        items, truth = build_stream(corpora, seed, args.days, args.rate)
        report, elapsed, _ = run(items, trace=False)
        peak = 0 if args.no_memory else run(items, trace=True)[2]
        result = score(report, truth)
        total.add(result)
        rates.append(len(items) / elapsed)
        peaks.append(peak)
        print(_row(str(seed), len(items), result, len(items) / elapsed, peak))
        if args.verbose:
            for line in result.false_examples:
                print("     false:", line)
            for line in result.missed:
                print("     missed:", line)
    print(_row("all", 0, total, sum(rates) / len(rates), max(peaks)))
    print(f"campaigns reported as topics: {total.campaign_topics}")


def _row(label: str, items: int, result: Score, rate: float, peak: int) -> str:
    topics_p = _ratio(result.topics_found, result.topics_found + result.topics_false)
    spikes_p = _ratio(result.spikes_found, result.spikes_found + result.spikes_false)
    return (f"{label:>4} {items or '':>6} {topics_p:>8} "
            f"{_ratio(result.topics_found, result.topics_total):>6} {spikes_p:>8} "
            f"{_ratio(result.spikes_found, result.spikes_total):>6} "
            f"{result.campaigns_found:>4}/{result.campaigns_total:<4} {rate:>8.0f} "
            f"{peak / 2**20 if peak else 0:>8.1f}")


if __name__ == "__main__":
    main()
