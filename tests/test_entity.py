import pickle
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.entity import DEFAULT_CUTOFF, Entity, EntityIndex, EntityKind, name_key
from claimtrack.errors import AmbiguousNameError, UnknownIdError

TOKAYEV = Entity(
    "tokayev",
    "Kassym-Jomart Tokayev",
    EntityKind.PERSON,
    aliases=("Qasym-Zhomart Toqaev", "Kasym-Žomart Tokaev"),
)
ASTANA = Entity("astana", "Astana", EntityKind.PLACE, aliases=("Nur-Sultan",))
UYGHURS = Entity("uyghurs", "Uyghurs", EntityKind.GROUP)
RFERL = Entity(
    "rferl", "Radio Free Europe/Radio Liberty", EntityKind.ORGANISATION, aliases=("RFE/RL",)
)
AZATTYQ = Entity(
    "rferl-kazakh",
    "RFE/RL's Kazakh Service",
    EntityKind.ORGANISATION,
    aliases=("Azattyq", "Radio Azattyq"),
)
AZIMOVA = Entity("azimova", "Elvira Azimova", EntityKind.PERSON)
KAZAKHSTAN = Entity("kazakhstan", "Kazakhstan", EntityKind.PLACE)
KAZAKHS = Entity("kazakhs", "Kazakhs", EntityKind.GROUP)
NAZARBAYEV = Entity("nazarbayev", "Nursultan Nazarbayev", EntityKind.PERSON)
DETAINEES = Entity("former-detainees", "former detainees", EntityKind.GROUP)

ALL = (
    TOKAYEV,
    ASTANA,
    UYGHURS,
    RFERL,
    AZATTYQ,
    AZIMOVA,
    KAZAKHSTAN,
    KAZAKHS,
    NAZARBAYEV,
    DETAINEES,
)


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return EntityIndex(ALL)


# --- name_key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Qasym-Zhomart Toqaev", "Kasym-Žomart Tokaev"),
        ("Qasym-Zhomart Toqaev", "Kassym-Jomart Tokayev"),
        ("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev"),
        ("Uyghurs", "Uighurs"),
        ("Azattyk", "Azattyq"),
        ("Dzhambul", "Zhambul"),
        ("Alikhan", "Alihan"),
        ("Ust'-Kamenogorsk", "Ust Kamenogorsk"),
        ("Nazarbayeva", "Nazarbaeva"),
        ("NUR-SULTAN", "nur  sultan"),
    ],
)
def test_name_key_folds_spellings_together(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kassym-Jomart Tokayev", "kasim zomart tokaev"),
        ("RFE/RL", "rfe rl"),
        ("  Radio Free Europe / Radio Liberty ", "radio fre europe radio liberti"),
        ("Kazakhstan", "kazahstan"),
        ("RFE/RL's", "rfe rls"),
        ("", ""),
        ("—", ""),
    ],
)
def test_name_key(name: str, expected: str) -> None:
    assert expected == name_key(name)


def test_name_key_keeps_group_and_place_apart() -> None:
    assert name_key("Kazakhs") != name_key("Kazakhstan")


@given(st.text())
def test_name_key_is_idempotent(name: str) -> None:
    key = name_key(name)
    assert key == name_key(key)


@given(st.text())
def test_name_key_is_lowercase_ascii_words(name: str) -> None:
    key = name_key(name)
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", key)


# --- Entity ------------------------------------------------------------------------------------


def test_entity_aliases_become_a_tuple() -> None:
    entity = Entity("astana", "Astana", EntityKind.PLACE, aliases=["Nur-Sultan", "Akmola"])
    assert ("Nur-Sultan", "Akmola") == entity.aliases
    assert ("Astana", "Nur-Sultan", "Akmola") == entity.names


@pytest.mark.parametrize("bad_id", ["", "Tokayev", "-tokayev", "kassym jomart", "tokáyev"])
def test_entity_id_must_be_a_lowercase_slug(bad_id: str) -> None:
    with pytest.raises(ValueError, match="not a slug"):
        Entity(bad_id, "Kassym-Jomart Tokayev", EntityKind.PERSON)


@pytest.mark.parametrize("good_id", ["tokayev", "rferl-kazakh", "un.ohchr", "2019_protests"])
def test_entity_id_accepts_slugs(good_id: str) -> None:
    assert good_id == Entity(good_id, "x", EntityKind.ORGANISATION).id


@pytest.mark.parametrize("bad_name", ["", "  ", "?!"])
def test_entity_name_must_have_letters_or_digits(bad_name: str) -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        Entity("x", bad_name, EntityKind.PLACE)


def test_entity_alias_must_have_letters_or_digits() -> None:
    with pytest.raises(ValueError, match="alias ''"):
        Entity("x", "X", EntityKind.PLACE, aliases=("",))


def test_entity_aliases_as_one_string_is_an_error() -> None:
    """A bare string would otherwise become one alias per character."""
    with pytest.raises(TypeError, match="single string 'Nur-Sultan'"):
        Entity("astana", "Astana", EntityKind.PLACE, aliases="Nur-Sultan")


def test_entity_kind_is_read_from_its_name() -> None:
    assert EntityKind.PLACE == Entity("astana", "Astana", "place").kind  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Entity("astana", "Astana", "city")  # type: ignore[arg-type]


def test_entity_is_frozen_and_pickles() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        TOKAYEV.name = "Tokayev"  # type: ignore[misc]
    assert TOKAYEV == pickle.loads(pickle.dumps(TOKAYEV))


def test_entity_kind_values() -> None:
    assert ["person", "organisation", "place", "group"] == [str(k) for k in EntityKind]


# --- EntityIndex: construction and lookup by id ------------------------------------------------


def test_index_iterates_in_id_order(index: EntityIndex) -> None:
    assert sorted(e.id for e in ALL) == [e.id for e in index]
    assert len(ALL) == len(index)


def test_index_contains_ids_only(index: EntityIndex) -> None:
    assert "tokayev" in index
    assert "Tokayev" not in index
    assert "Kassym-Jomart Tokayev" not in index


def test_index_get(index: EntityIndex) -> None:
    assert TOKAYEV is index.get("tokayev")


def test_index_get_unknown_id_suggests(index: EntityIndex) -> None:
    with pytest.raises(UnknownIdError) as caught:
        index.get("tokayv")
    assert ("entity", "tokayv") == (caught.value.kind, caught.value.key)
    assert "tokayev" in caught.value.suggestions
    assert "did you mean 'tokayev'" in str(caught.value)


def test_index_get_is_exact(index: EntityIndex) -> None:
    with pytest.raises(UnknownIdError):
        index.get("Tokayev")


def test_index_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="duplicate entity id 'astana'"):
        EntityIndex([ASTANA, Entity("astana", "Akmola", EntityKind.PLACE)])


def test_index_rejects_an_alias_that_is_another_entitys_name() -> None:
    city = Entity("nur-sultan-city", "Nur Sultan", EntityKind.PLACE)
    with pytest.raises(AmbiguousNameError) as caught:
        EntityIndex([ASTANA, city])
    assert ("astana", "nur-sultan-city") == caught.value.candidates


def test_index_rejects_a_name_that_folds_to_another_entitys_id() -> None:
    """Ids are names too: "TOKAYEV" must not mean one entity by id and another by name."""
    other = Entity("kt", "Tokaev", EntityKind.PERSON)
    with pytest.raises(AmbiguousNameError):
        EntityIndex([TOKAYEV, other])


def test_index_rejects_bad_cutoff() -> None:
    with pytest.raises(ValueError, match="cutoff"):
        EntityIndex(ALL, cutoff=0)


def test_index_default_cutoff() -> None:
    assert DEFAULT_CUTOFF == EntityIndex([]).cutoff


# --- resolve -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "tokayev",
        "Qasym-Zhomart Toqaev",
        "Kasym-Žomart Tokaev",
        "Kassym-Jomart Tokayev",
        "Tokayev",
        "Toqaev",
        "Токаев",
        "Қасым-Жомарт Тоқаев",
        "Tokayev Kassym-Jomart",
        "kassym jomart TOKAYEV",
    ],
)
def test_resolve_tokayev_spellings(index: EntityIndex, name: str) -> None:
    assert TOKAYEV is index.resolve(name)


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Nur-Sultan", "astana"),
        ("Astana", "astana"),
        ("Uyghurs", "uyghurs"),
        ("Uighurs", "uyghurs"),
        ("Uygurs", "uyghurs"),
        ("RFE/RL", "rferl"),
        ("Radio Free Europe/Radio Liberty", "rferl"),
        ("Radio Free Europe / Radio Liberty", "rferl"),
        ("Azattyq", "rferl-kazakh"),
        ("Azattyk", "rferl-kazakh"),
        ("Radio Azattyk", "rferl-kazakh"),
        ("Elvira Azimova", "azimova"),
        ("Kazakhs", "kazakhs"),
        ("Kazakhstan", "kazakhstan"),
        ("Kazakstan", "kazakhstan"),
        ("Former Detainees", "former-detainees"),
        ("Nursultan Nazarbayev", "nazarbayev"),
    ],
)
def test_resolve(index: EntityIndex, name: str, entity_id: str) -> None:
    assert entity_id == index.resolve(name).id


def test_resolve_typo_above_cutoff(index: EntityIndex) -> None:
    assert TOKAYEV is index.resolve("Tokaeyv")


def test_same(index: EntityIndex) -> None:
    assert index.same("Qasym-Zhomart Toqaev", "Tokayev")
    assert index.same("Nur-Sultan", "Astana")
    assert index.same("RFE/RL", "Radio Free Europe/Radio Liberty")
    assert index.same("Uygurs", "Uighurs")
    assert not index.same("Elvira Azimova", "Tokayev")
    assert not index.same("Kazakhs", "Kazakhstan")


def test_same_propagates_unknown_names(index: EntityIndex) -> None:
    with pytest.raises(UnknownIdError):
        index.same("Tokayev", "Mukhtar Ablyazov")


def test_kazakhs_and_kazakhstan_stay_apart_alone() -> None:
    """With only one of the two registered, the other must not fuzzily match it."""
    with pytest.raises(UnknownIdError):
        EntityIndex([KAZAKHSTAN]).resolve("Kazakhs")
    with pytest.raises(UnknownIdError):
        EntityIndex([KAZAKHS]).resolve("Kazakhstan")


def test_renames_resolve_only_through_aliases() -> None:
    """Nur-Sultan and Astana look nothing alike: without the alias neither finds the other."""
    index = EntityIndex([attrs.evolve(ASTANA, aliases=()), NAZARBAYEV])
    assert "astana" == index.resolve("Astana").id
    with pytest.raises(UnknownIdError):
        index.resolve("Nur-Sultan")
    both = EntityIndex(
        [
            attrs.evolve(ASTANA, aliases=()),
            Entity("nur-sultan", "Nur-Sultan", EntityKind.PLACE),
        ]
    )
    assert not both.same("Astana", "Nur-Sultan")


def test_other_person_does_not_resolve_to_tokayev() -> None:
    index = EntityIndex([TOKAYEV])
    with pytest.raises(UnknownIdError):
        index.resolve("Elvira Azimova")
    with pytest.raises(UnknownIdError):
        index.resolve("Azimova")


def test_surname_match_is_for_people_only(index: EntityIndex) -> None:
    """A word of RFE/RL's name ("Liberty") is not a name people use for it."""
    with pytest.raises(UnknownIdError) as caught:
        index.resolve("Liberty")
    assert "rferl" in caught.value.suggestions


def test_surname_shared_by_two_people_is_ambiguous() -> None:
    nursultan = attrs.evolve(NAZARBAYEV, id="nursultan-nazarbayev")
    bolat = Entity("bolat-nazarbayev", "Bolat Nazarbayev", EntityKind.PERSON)
    index = EntityIndex([nursultan, bolat])
    with pytest.raises(AmbiguousNameError) as caught:
        index.resolve("Nazarbayev")
    assert ("bolat-nazarbayev", "nursultan-nazarbayev") == caught.value.candidates
    assert bolat is index.resolve("Bolat Nazarbayev")


def test_exact_surname_wins_over_a_similar_one() -> None:
    tokarev = Entity("tokarev", "Ivan Tokarev", EntityKind.PERSON)
    index = EntityIndex([TOKAYEV, tokarev])
    assert TOKAYEV is index.resolve("Tokayev")
    assert tokarev is index.resolve("Tokarev")


@pytest.mark.parametrize(
    ("registered", "query"),
    [
        ("Elvira Azimova", "Azimov"),
        ("Elvira Azimova", "Elvira Azimov"),
        ("Nursultan Nazarbayev", "Nazarbayeva"),
        ("Nursultan Nazarbayev", "Dariga Nazarbayeva"),
    ],
)
def test_feminine_and_masculine_surnames_do_not_match(registered: str, query: str) -> None:
    """Azimov/Azimova score above the cutoff as strings but are two different people."""
    index = EntityIndex([Entity("p", registered, EntityKind.PERSON)])
    with pytest.raises(UnknownIdError) as caught:
        index.resolve(query)
    assert ("p",) == caught.value.suggestions


def test_whole_name_tie_is_ambiguous() -> None:
    a = Entity("a", "Detention Centre 1", EntityKind.PLACE)
    b = Entity("b", "Detention Centre 2", EntityKind.PLACE)
    with pytest.raises(AmbiguousNameError) as caught:
        EntityIndex([a, b]).resolve("Detention Centre 3")
    assert ("a", "b") == caught.value.candidates


def test_resolve_nothing_like_it(index: EntityIndex) -> None:
    with pytest.raises(UnknownIdError) as caught:
        index.resolve("—")
    assert ("entity", "—", ()) == (caught.value.kind, caught.value.key, caught.value.suggestions)


def test_resolve_is_repeatable(index: EntityIndex) -> None:
    """The second resolution of a name comes from the cache and must agree with the first."""
    assert index.resolve("Uygurs") is index.resolve("Uygurs")


def test_stricter_cutoff_drops_fuzzy_matches() -> None:
    index = EntityIndex(ALL, cutoff=95)
    assert UYGHURS is index.resolve("Uighurs")  # exact key
    with pytest.raises(UnknownIdError):
        index.resolve("Uygurs")


# --- suggest -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "entity_id"),
    [
        ("Tokaeyv", "tokayev"),
        ("Tokyaev", "tokayev"),
        ("Azimov", "azimova"),
        ("Astan", "astana"),
        ("Uigur", "uyghurs"),
        ("Nazarbaev", "nazarbayev"),
    ],
)
def test_suggest_contains_the_right_id(index: EntityIndex, typo: str, entity_id: str) -> None:
    assert entity_id in index.suggest(typo)


def test_suggest_limit(index: EntityIndex) -> None:
    assert 1 == len(index.suggest("Kazakh", limit=1))
    assert [] == index.suggest("Kazakh", limit=0)
    assert [] == index.suggest("")


# --- properties --------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZŽžҚқЖжӘәЫы"
_names = st.text(alphabet=_LETTERS + " -", min_size=1, max_size=20).filter(name_key)


@given(st.lists(_names, min_size=1, max_size=8, unique_by=name_key), st.data())
def test_every_entity_resolves_by_its_name(names: list[str], data: st.DataObject) -> None:
    kinds = data.draw(
        st.lists(st.sampled_from(EntityKind), min_size=len(names), max_size=len(names))
    )
    entities = [
        Entity(f"e-{i}", name, kind)
        for i, (name, kind) in enumerate(zip(names, kinds, strict=True))
    ]
    index = EntityIndex(entities)
    for entity in entities:
        assert entity is index.resolve(entity.name)
        assert entity is index.resolve(entity.name.upper())
        assert entity is index.resolve(entity.name.lower().replace("-", " "))
        assert entity is index.resolve(entity.name.replace(" ", "-"))


def _outcome(index: EntityIndex, name: str) -> object:
    try:
        return index.resolve(name).id
    except UnknownIdError as e:
        return "unknown", e.suggestions
    except AmbiguousNameError as e:
        return "ambiguous", e.candidates


_queries = st.text(alphabet=_LETTERS + " -'/.", max_size=30)


@given(_queries)
def test_case_and_hyphens_never_change_resolution(query: str) -> None:
    index = EntityIndex(ALL)
    expected = _outcome(index, query)
    assert expected == _outcome(index, query.upper())
    assert expected == _outcome(index, query.lower())
    assert expected == _outcome(index, query.replace("-", " "))
    assert expected == _outcome(index, query.replace(" ", "-"))


@given(st.sampled_from(ALL), st.sampled_from(["upper", "lower", "title", "hyphens", "spaces"]))
def test_case_and_hyphens_of_known_names(entity: Entity, change: str) -> None:
    index = EntityIndex(ALL)
    for name in entity.names:
        changed = {
            "upper": name.upper(),
            "lower": name.lower(),
            "title": name.title(),
            "hyphens": name.replace(" ", "-"),
            "spaces": name.replace("-", " "),
        }[change]
        assert entity is index.resolve(changed)
