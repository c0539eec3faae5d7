"""Errors meant for people share one base, and no two error classes share a name."""

import importlib
import inspect
import pkgutil

from app.errors import UserError

PACKAGES = ("app", "admin", "portal", "qr", "reports")


def _error_classes() -> list[type]:
    found = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names = [package_name] + [
            info.name
            for info in pkgutil.walk_packages(package.__path__, f"{package_name}.")
            if ".demo" not in info.name
        ]
        for name in names:
            module = importlib.import_module(name)
            found += [
                cls
                for _, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, Exception) and cls.__module__ == name
            ]
    return found


def test_every_value_error_of_ours_is_a_user_error():
    classes = _error_classes()
    assert len(classes) >= 13
    assert [c for c in classes if issubclass(c, ValueError) and not issubclass(c, UserError)] == []


def test_no_two_error_classes_share_a_name():
    names = [cls.__name__ for cls in _error_classes()]
    assert sorted(names) == sorted(set(names))
