"""The public API is exactly what __all__ lists, and every name resolves."""

import newsprism


def test_all_names_resolve() -> None:
    for name in newsprism.__all__:
        assert getattr(newsprism, name) is not None, name


def test_all_is_unique() -> None:
    assert len(set(newsprism.__all__)) == len(newsprism.__all__)


def test_public_functions_are_documented() -> None:
    for name in newsprism.__all__:
        obj = getattr(newsprism, name)
        if callable(obj):
            assert obj.__doc__, f"newsprism.{name} has no docstring"
