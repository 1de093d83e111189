"""Clustering name forms into characters: "Elizabeth Bennet" = "Elizabeth" = "Miss
Bennet" when nothing else could claim them; "Mr. Bennet" never = "Mrs. Bennet"; and
each character's gender from honorifics, first names, appositions and pronouns."""

from __future__ import annotations

from collections import Counter, defaultdict

from audiobook.model import Character, Gender
from audiobook.speakers.forms import Form, gender_of_hon
from audiobook.speakers.given_names import name_gender, same_given_name
from audiobook.speakers.names import (
    HONORIFICS,
    NOUN_GENDER,
    TITLE_NOUNS,
    honorific_key,
)


def cluster(forms: list[Form]) -> list[list[Form]]:
    clusters: list[list[Form]] = []
    full = sorted(
        (f for f in forms if not f.hon and len(f.tokens) >= 2),
        key=lambda f: (-len(f.tokens), -f.count),
    )
    for f in full:
        home = next(
            (
                c
                for c in clusters
                if any(not g.hon and g.tokens[: len(f.tokens)] == f.tokens for g in c)
            ),
            None,
        )
        if home is None:
            clusters.append([f])
        else:
            home.append(f)
    hon_forms = sorted((f for f in forms if f.hon), key=lambda f: (-len(f.tokens), -f.count))
    families = defaultdict(set)
    for f in hon_forms:
        families[f.tokens[-1]].add(gender_of_hon(f))
    for f in hon_forms:
        gender = gender_of_hon(f)
        title = _title(f.hon or "")  # never empty: these forms all have one
        # "Mr. Herbert Pocket" is "Herbert Pocket"; "Father Christopher Sireysky"
        # is "Father Christopher"; but "Mr. Pocket" is not "Mr. Herbert Pocket".
        same = [
            c
            for c in clusters
            if any(
                (
                    not g.hon
                    and len(f.tokens) > 1
                    and g.tokens == f.tokens
                    and cluster_gender(c) in (None, gender)
                )
                or (g.hon and _title(g.hon) == title and _prefix(g.tokens, f.tokens))
                for g in c
            )
        ]
        if not same and (HONORIFICS.get(title, "") is None or title in _WIFE):
            # "Dr. Archie" is "Dr. Howard Archie": a rank or profession is one person's,
            # where "Mr. Pocket" may be Mr. Herbert Pocket's father, and "Miss Pinkerton"
            # the elder sister of Miss Jemima Pinkerton. A wife's title is one woman's
            # when one woman bears it with a given name ("Mrs. Almira Todd").
            rank = [
                c
                for c in clusters
                if any(
                    g.hon
                    and _title(g.hon) == title
                    and g.tokens[-1] == f.tokens[-1]
                    and min(len(g.tokens), len(f.tokens)) == 1
                    for g in c
                )
            ]
            same = rank if len(rank) == 1 else []
        if not same:
            # "Uncle Pumblechook" is "Mr. Pumblechook": a kinship title and another of
            # the same gender on one surname name one person, when only one cluster fits.
            kin = [
                c
                for c in clusters
                if any(
                    g.hon
                    and g.tokens == f.tokens
                    and gender is not None
                    and gender_of_hon(g) == gender
                    and KINSHIP & {title, honorific_key(g.hon)}
                    for g in c
                )
            ]
            same = kin if len(kin) == 1 else []
        if same:
            same[0].append(f)
            continue
        fits = [
            c
            for c in clusters
            if not any(g.hon for g in c)
            and any(f.tokens[-1] in g.tokens for g in c)
            and cluster_gender(c) in (None, gender)
        ]
        # "Miss Bennet" is the one Bennet daughter with a first name; "Mrs. Bennet"
        # and "Mr. Bennet" join a first name only when no other title shares the surname.
        unmarried = title in ("miss", "mademoiselle", "mlle")
        if (
            len(fits) == 1
            and (len(families[f.tokens[-1]]) == 1 or unmarried)
            and _first_names(fits[0])
        ):
            fits[0].append(f)
        else:
            clusters.append([f])
    singles = sorted((f for f in forms if not f.hon and len(f.tokens) == 1), key=lambda f: -f.count)
    men: list[tuple[list[Form], str]] = []  # bare surnames of men kept apart from the rest
    for f in singles:
        token = f.tokens[0]
        if token.lower() in HONORIFICS:
            # "the General" is General Tilney when the book has one General, else a
            # person of their own who speaks all book long as "the General".
            titled = sorted(
                (c for c in clusters if any(_titled(g, token) for g in c)),
                key=lambda c: -sum(g.count for g in c),
            )
            size = [sum(g.count for g in c) for c in titled] + [0]
            if titled and size[0] >= 3 * size[1]:  # one Count, or one Count above all others
                titled[0].append(f)
            else:
                clusters.append([f])
            continue
        fits = [c for c in clusters if any(token in g.tokens for g in c)]
        if not fits and (f.count >= 2 or f.tag):
            # "Carrie" is Caroline Meeber, "Jack" is John: a pet name that speaks or
            # comes back joins the one character whose first name it stands for.
            fits = [
                c
                for c in clusters
                if any(
                    not g.hon and g.tokens[0] != token and same_given_name(g.tokens[0], token)
                    for g in c
                )
            ]
            if len(fits) > 1:
                fits = []
        first = [c for c in fits if any(not g.hon and g.tokens[0] == token for g in c)]
        if len(first) == 1:
            fits = first
        # One stray "she" after "Sherlock Holmes" must not split him from "Holmes": only
        # sure genders keep a name apart; a weak one still picks among several clusters.
        own, sure = cluster_gender([f]), cluster_gender([f], sure=True)
        fits = [c for c in fits if sure is None or cluster_gender(c, sure=True) in (None, sure)]
        agree = [c for c in fits if own is None or cluster_gender(c) in (None, own)]
        if len(fits) > 1 and agree:
            fits = agree
        fits.sort(key=lambda c: -sum(g.count for g in c))
        size = [sum(g.count for g in c) for c in fits]
        if len(fits) > 1 and f.count > size[0]:
            # "Danglars" alone outnumbers "Madame Danglars" and the rest: a man of his own,
            # who is "M. Danglars" too ("M. de Villefort", "Monsieur Noirtier").
            mister = [c for c in fits if _mister(c, token)] if own == "male" else []
            clusters[:] = [c for c in clusters if not any(c is m for m in mister)]
            clusters.append([f, *(g for c in mister for g in c)])
            men.append((clusters[-1], token))
        elif len(fits) == 1 or (fits and size[0] >= 3 * size[1]):
            fits[0].append(f)
        else:
            clusters.append([f])
    for bare, surname in men:
        # "Peter Kronborg" is the man the book calls "Kronborg", "Gérard de Villefort"
        # "Villefort": the one man named with a given name on that surname.
        given = [
            c
            for c in clusters
            if c is not bare and _given_and(c, surname) and cluster_gender(c) == "male"
        ]
        if len(given) == 1:
            bare.extend(given[0])
            clusters = [c for c in clusters if c is not given[0]]
    return _join_pet_names(clusters)


def _given_and(c: list[Form], surname: str) -> bool:
    """The cluster names someone by a given name and this surname ("Peter Kronborg")."""
    return any(
        not g.hon and len(g.tokens) > 1 and g.tokens[-1] == surname and not g.tokens[0].islower()
        for g in c
    )


def _join_pet_names(clusters: list[list[Form]]) -> list[list[Form]]:
    """ "Sister Carrie" and "Caroline Meeber": a character known by a pet name is the one
    character known by the given name it stands for, when each side has only the other."""

    def given(c: list[Form]) -> set[str]:
        return {g.tokens[0] for g in c if not g.hon}

    pairs = [
        (i, j)
        for i, a in enumerate(clusters)
        for j, b in enumerate(clusters)
        if i < j and any(same_given_name(x, y) for x in given(a) for y in given(b))
    ]
    ends = Counter(k for pair in pairs for k in pair)
    gone: set[int] = set()
    for i, j in pairs:
        a, b = clusters[i], clusters[j]
        sure = {cluster_gender(a, sure=True), cluster_gender(b, sure=True)} - {None}
        if ends[i] == 1 and ends[j] == 1 and len(sure) <= 1:
            a.extend(b)
            gone.add(j)
    return [c for k, c in enumerate(clusters) if k not in gone]


# Titles a family gives (and the narrator borrows): "Uncle Pumblechook", "Aunt Polly".
KINSHIP = {
    "uncle",
    "aunt",
    "auntie",
    "grandfather",
    "grandmother",
    "granny",
    "grandpa",
    "grandma",
}


# A married woman's titles: one wife to a surname, whatever given name goes with it.
_WIFE = {"mrs", "madame"}
# Titles that say only "a man" ("Mr. Villefort"), not a rank or a family role.
_MISTER = {"mr", "m", "monsieur", "herr", "señor", "senor"}
# A title's abbreviation is the title: "M. Bertuccio" is "Monsieur Bertuccio".
_SPELLED = {"m": "monsieur", "mme": "madame", "mlle": "mademoiselle"} | TITLE_NOUNS


def _title(hon: str) -> str:
    key = honorific_key(hon)
    return _SPELLED.get(key, key)


def _mister(c: list[Form], surname: str) -> bool:
    """Every form of the cluster is a plain man's title and the surname alone ("M. de
    Villefort", "Mr. Wopsle"), so it is whoever the bare surname names."""
    return all(
        g.hon
        and honorific_key(g.hon) in _MISTER
        and [t for t in g.tokens if not t.islower()] == [surname]
        for g in c
    )


def _titled(g: Form, title: str) -> bool:
    return bool(g.hon) and honorific_key(g.hon or "") == title.lower()


def _prefix(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    short, long = sorted((a, b), key=len)
    return long[: len(short)] == short


def _first_names(cluster: list[Form]) -> bool:
    return any(not g.hon and len(g.tokens) >= 2 for g in cluster)


def cluster_gender(cluster: list[Form], sure: bool = False) -> Gender | None:
    """The gender the cluster's evidence gives; ``sure``: only with two pronouns' worth
    of it, or an honorific."""
    said = {gender_of_hon(f) for f in cluster} - {None}
    if len(said) == 1:
        return said.pop()  # "Mrs." outweighs any nearby "he"
    votes: Counter[Gender] = Counter()
    hints: set[Gender] = set()
    for f in cluster:
        g = gender_of_hon(f)
        if g:
            votes[g] += 3 * f.count
        elif f.hon:
            g = NOUN_GENDER.get(honorific_key(f.hon))
            if g:
                votes[g] += 2  # "General Tilney": a hint the book's pronouns may outvote
                hints.add(g)
        elif len(f.tokens) >= 1:
            g = name_gender(f.tokens[0]) or NOUN_GENDER.get(f.tokens[0].lower())
            if g:
                votes[g] += 2  # a hint: the book's own pronouns outvote it ("Andrea", a man)
                hints.add(g)
        votes["male"] += f.he
        votes["female"] += f.she
        for noun, n in f.nouns.items():
            g = NOUN_GENDER.get(noun)
            if g:
                votes[g] += 3 * n
    if not votes:
        return None
    ranked = votes.most_common()
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if n >= (4 if sure else 1) and n >= 2 * second:
        return best
    # Pronouns split between the name and someone of the other sex it keeps company
    # with (a boy and his nurse): the name's usual gender, since no clear majority
    # outvotes it. A neutral voice would be wrong either way.
    return hints.pop() if len(hints) == 1 and not sure else None


def character(cluster: list[Form]) -> Character:
    main = max(cluster, key=lambda f: (f.count, len(f.tokens), bool(f.hon)))
    aliases = sorted({f.text for f in cluster} - {main.text}, key=lambda a: (-len(a), a))
    return Character(
        main.text, [main.text] + aliases, cluster_gender(cluster), sum(f.count for f in cluster)
    )
