"""Language detection: the book's language, and the odd line in another one."""

from __future__ import annotations

import pytest

from audiobook.model import Segment
from audiobook.text.language import DETECTABLE, detect_languages, main_language, segment_language

EVERYTHING = set(DETECTABLE)

ENGLISH_PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen. She had not "
    "expected him to come back so soon, but there he was at the door, holding his hat in both "
    "hands and looking as if he had walked all the way from the station in the rain. "
)
SPANISH_PROSE = (
    "Era un día frío y luminoso de abril, y los relojes daban las trece. Ella no esperaba que "
    "él volviera tan pronto, pero allí estaba en la puerta, con el sombrero en las manos y la "
    "cara de quien ha caminado desde la estación bajo la lluvia. "
)
FRENCH_PROSE = (
    "C'était une belle journée froide d'avril, et les horloges sonnaient treize heures. Elle "
    "ne s'attendait pas à ce qu'il revienne si tôt, mais il était là, à la porte, son chapeau "
    "dans les mains, comme s'il avait marché depuis la gare sous la pluie. "
)
GERMAN_PROSE = (
    "Es war ein heller, kalter Tag im April, und die Uhren schlugen dreizehn. Sie hatte nicht "
    "erwartet, dass er so bald zurückkommen würde, aber da stand er an der Tür, den Hut in "
    "beiden Händen, als wäre er den ganzen Weg vom Bahnhof im Regen gelaufen. "
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (ENGLISH_PROSE * 3, "en"),
        (SPANISH_PROSE * 3, "es"),
        (FRENCH_PROSE * 3, "fr"),
        (GERMAN_PROSE * 3, "de"),
    ],
)
def test_main_language_of_running_prose(text, expected):
    assert main_language(text) == expected


def test_main_language_without_a_word_list():
    polish = (
        "Był sobie raz człowiek, który mieszkał w małym domu nad rzeką. Każdego dnia "
        "chodził do lasu i zbierał grzyby, a wieczorem siedział przy oknie i patrzył na wodę. "
    )
    assert main_language(polish * 3) == "pl"
    assert segment_language("Je ne sais pas", "pl", EVERYTHING | {"pl"}) == "fr"
    assert segment_language(polish, "pl", EVERYTHING | {"pl"}) == "pl"


def test_main_language_of_nothing_is_english():
    assert main_language("") == "en"
    assert main_language("  \n\n 1984 ... ") == "en"


def test_main_language_is_not_swayed_by_foreign_quotes():
    book = (ENGLISH_PROSE + '"La vida es un viaje sin destino," she sang. ') * 20
    assert main_language(book) == "en"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("La vida es un viaje sin destino", "es"),
        ("No, no es posible.", "es"),
        ("Je ne sais pas", "fr"),
        ("Mon Dieu, qu'est-ce que c'est?", "fr"),
        ("Ich weiß es nicht", "de"),
        ("Danke schön, meine Freundin, für alles.", "de"),
        ("Che cosa fai qui?", "it"),
        ("O que você está fazendo aqui?", "pt"),
        ("Я не знаю, что делать.", "ru"),
    ],
)
def test_a_foreign_line_in_an_english_book(line, expected):
    assert segment_language(line, "en", EVERYTHING) == expected


@pytest.mark.parametrize(
    "line",
    [
        "How did you feel out there?",
        "Yes, sir.",
        "No.",
        "Mila!",
        "Come in.",
        "Monsieur Poirot",
        "Elizabeth Bennet",
        "Don't you dare, Elizabeth!",
        "You killed it out there, mila",
        "I told him, vamos a la playa, and he laughed.",
        "Mila smiled, feeling the words of her song echoing in her mind:",
        "She said bonjour to the concierge and walked on without another word.",
        "Carlos grinned.",
        "Charlotte sighed.",
        "Mila shrugged.",
        "Silence.",
        "Vzhee, vzhee!",
        "Chapter I. Chapter II. Chapter III. Chapter IV. Chapter V. Chapter VI. Chapter VII.",
        "Louis XIV and Henry VIII",
    ],
)
def test_english_lines_stay_english(line):
    assert segment_language(line, "en", EVERYTHING) == "en"


def test_an_english_line_in_a_spanish_book():
    assert segment_language("I don't know what you are talking about.", "es", EVERYTHING) == "en"
    assert segment_language("No sé de qué me hablas.", "es", EVERYTHING) == "es"


def test_only_languages_the_engine_speaks_are_chosen():
    assert segment_language("Je ne sais pas", "en", {"en", "es"}) != "fr"
    assert segment_language("La vida es un viaje sin destino", "en", {"en"}) == "en"


def test_detect_languages_sets_every_segment():
    segments = [
        Segment(
            "narration", "Mila smiled, feeling the words of her song echoing in her mind:", 0, 10
        ),
        Segment("dialogue", "La vida es un viaje sin destino", 10, 20, speaker="Mila"),
        Segment("narration", "– Life is a journey without destination.", 20, 30),
        Segment("dialogue", "Je ne sais pas, mon ami.", 30, 40, speaker="Sofia"),
        Segment("narration", "  ", 40, 42),
    ]
    detect_languages(segments, "en", {"en", "es", "fr"})
    assert [s.language for s in segments] == ["en", "es", "en", "fr", "en"]


def test_the_same_text_always_gets_the_same_answer():
    lines = ["Hasta la vista, baby.", "Ja, ja.", "Carpe diem", "Au revoir, Sofia"]
    first = [segment_language(line, "en", EVERYTHING) for line in lines]
    again = [segment_language(line, "en", EVERYTHING) for line in reversed(lines)][::-1]
    assert first == again


@pytest.mark.parametrize(
    "text, lang",
    [
        ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0643", "ar"),
        ("\u05e9\u05dc\u05d5\u05dd \u05e2\u05dc\u05d9\u05db\u05dd", "he"),
        ("\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03c3\u03b1\u03c2", "el"),
        ("\u3053\u3093\u306b\u3061\u306f", "ja"),
    ],
)
def test_a_script_of_its_own_names_the_language_without_a_model(text, lang):
    from audiobook.text.language import script_language, segment_language

    assert script_language(text) == lang
    assert segment_language(text, "en", {"en", lang}) == lang
    assert segment_language(text, "en", {"en"}) == "en"  # the engine cannot speak it


def test_a_latin_line_with_one_foreign_name_stays_in_the_main_language():
    from audiobook.text.language import script_language

    assert (
        script_language("He wrote \u05e9\u05dc\u05d5\u05dd on the wall of the old house.") is None
    )


@pytest.mark.parametrize("text", ["O Estella, Estella!", "H\u00e9lo\u00efse de Villefort."])
def test_names_with_a_foreign_looking_particle_stay_in_the_main_language(text):
    assert segment_language(text, "en", set(DETECTABLE)) == "en"


def test_a_book_loads_lingua_only_for_the_languages_it_hints_at():
    from audiobook.text.language import language_hints

    assert language_hints("La vida es un viaje sin destino", "en") >= {"es"}
    assert language_hints("He said that it was a fine day for a walk.", "en") is None
