"""Invitation codes: shape, randomness and the forgiving way they are read back."""
from __future__ import annotations

from diary.services.care import CODE_ALPHABET, hash_invitation_code, new_invitation_code


def test_a_code_is_six_groups_of_five_crockford_symbols():
    code = new_invitation_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5] * 6
    assert set("".join(groups)) <= set(CODE_ALPHABET)


def test_codes_do_not_repeat():
    assert len({new_invitation_code() for _ in range(1000)}) == 1000


def test_case_spaces_dashes_and_look_alikes_do_not_change_the_hash():
    code = "0ABC1-DEF11-00000-11111-22222-33333"
    typed = "oabci defl1 OOOOO-iIlLl 22222 33333"
    assert hash_invitation_code(typed) == hash_invitation_code(code)
    assert hash_invitation_code("0ABC1-DEF11-00000-11111-22222-33334") != hash_invitation_code(code)
