"""Name forms: respellings and initials agree, two different first names do not."""

from __future__ import annotations

import pyarrow as pa

from unveil.money.names import name_forms, skeleton, with_name_forms


def _agree(a: str, b: str) -> bool:
    """What Splink's ArraySubsetLevel decides: the forms of one name are all among those of the other."""
    left, right = set(name_forms(a)), set(name_forms(b))
    return bool(left and right) and (left <= right or right <= left)


def test_transliterations_and_doubled_letters_have_one_skeleton() -> None:
    assert skeleton("petroffa") == skeleton("petrova")
    assert skeleton("iilmaz") == skeleton("yilmaz")
    assert skeleton("tomaszz") == skeleton("tomasz")
    assert skeleton("ionescu") == skeleton("ionesku")


def test_an_initial_agrees_with_the_first_name_it_stands_for() -> None:
    assert _agree("k leroy", "karim leroi")
    assert _agree("dubois t", "dubois tomaszz")


def test_two_different_first_names_with_one_surname_do_not_agree() -> None:
    assert not _agree("karim leroy", "kevin leroy")
    assert not _agree("k leroy", "m leroy")


def test_a_missing_name_has_no_forms() -> None:
    table = with_name_forms(pa.table({"name_key": ["ana marin", None]}))
    assert table.column("name_forms").to_pylist() == [["ana marin", "a marin", "ana m"], None]
