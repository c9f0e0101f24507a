"""Reading a programme holds the cycle collector off, and leaves it as it was."""

from __future__ import annotations

import gc

import pytest

from scheduler.programme.unhurried import collecting_after


def test_the_collector_is_off_while_reading_and_on_again_after_even_on_an_error() -> None:
    assert gc.isenabled()
    with collecting_after():
        assert not gc.isenabled()
        with collecting_after():  # a reading inside a reading (or in another thread)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collecting_after():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collecting_after():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
