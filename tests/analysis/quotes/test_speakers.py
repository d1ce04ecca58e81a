"""Speaker names: titles as written, surnames, one canonical name per person across articles."""

from newsprism.analysis.quotes.speakers import canonical_names, is_title_word, name_key, same_person, split_title


def test_titles_are_kept_as_written() -> None:
    assert split_title("Councilmember Hugo Ardent") == ("Councilmember", "Hugo Ardent")
    assert split_title("School board President Mina Hale") == ("School board President", "Mina Hale")
    assert split_title("County Engineer Dr. Ida Varga") == ("County Engineer", "Ida Varga")
    assert split_title("Rep. Elias T. Moor") == ("Rep.", "Elias T. Moor")
    assert split_title("Ida Varga") == ("", "Ida Varga")


def test_title_words() -> None:
    assert is_title_word("Councilmembers") and is_title_word("Sen.") and not is_title_word("Varga")


def test_one_canonical_name_per_person() -> None:
    names = ["Hale", "Mina Hale", "Mina Hale", split_title("Board President Mina Hale")[1], "Hugo Ardent-Ruiz"]
    m = canonical_names(names)
    assert m["Hale"] == m["Mina Hale"] == "Mina Hale"
    assert m["Hugo Ardent-Ruiz"] == "Hugo Ardent-Ruiz"


def test_different_people_with_one_surname_stay_apart() -> None:
    m = canonical_names(["Tom Varga", "Ida Varga", "Ida Varga", "Varga", "Tom Varga Jr."])
    assert m["Tom Varga"] == "Tom Varga" and m["Ida Varga"] == "Ida Varga"
    assert m["Varga"] == "Ida Varga"  # a bare surname goes to the most quoted full name
    assert m["Tom Varga Jr."] == "Tom Varga Jr."
    assert not same_person("Tom Varga", "Tom Varga Jr.")
    assert same_person("I. Varga", "Ida Varga")
    assert name_key("Ida Varga’s") == "varga"
