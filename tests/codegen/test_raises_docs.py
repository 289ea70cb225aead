"""Every public method's docstring has a ``Raises:`` section, written from the spec's facts."""

from __future__ import annotations

import inspect

import tgclient.resources as resources
from tgclient.resources.config import Config
from tgclient.resources.flow_instance import FlowInstance
from tgclient.resources.i18n import I18n


def _public_methods() -> list[tuple[str, object]]:
    import importlib
    import pkgutil

    found = []
    for info in pkgutil.iter_modules(resources.__path__):
        module = importlib.import_module(f"tgclient.resources.{info.name}")
        for cname, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                for name, fn in vars(cls).items():
                    if callable(fn) and not name.startswith("_") and "Args:" in (fn.__doc__ or ""):
                        found.append((f"{cname}.{name}", fn))
    return found


def test_every_documented_method_says_what_it_raises() -> None:
    methods = _public_methods()
    missing = [name for name, fn in methods if "Raises:" not in (fn.__doc__ or "")]
    bulk = [n for n in missing if ".import_" in n or ".export_" in n or "bulk" in n.lower()]
    assert len(methods) > 200
    assert sorted(set(missing) - set(bulk)) == []


def test_the_raises_section_follows_the_spec() -> None:
    streaming = FlowInstance.text_completion.__doc__ or ""
    assert "StreamingNotSupportedError" in streaming  # it can stream
    assert "StreamingNotSupportedError" not in (Config.list.__doc__ or "")  # it cannot
    assert "some failures arrive as empty answers" in (Config.list.__doc__ or "")  # dropped
    assert "NotFoundError: The route answered 404" in (I18n.pack.__doc__ or "")  # plain route
    completion = FlowInstance.text_completion.__doc__ or ""
    assert "raises when the answer is empty" in completion  # failure_unless: [response]
