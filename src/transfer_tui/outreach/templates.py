"""Templates for the intro e-mail and invite: built-in ones, overridden by files of the
same name in the user's template folder, rendered in Jinja2's sandbox.

A template is user input. The sandbox refuses attributes that reach into Python
(``__class__``, ``__globals__``...); the template sees only the fields it is
given (plain dicts, lists, text, numbers and flags), no include, import or
extends, no ``range`` beyond a small budget, no string or list multiplied past
:data:`MAX_OUTPUT`, and an output over that size is refused. Whatever goes wrong
is one :class:`TemplateProblem` whose message names the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from transfer_tui.cleantext import one_line
from transfer_tui.textfiles import TextFileError, read_text_file

#: The templates a team may override, each with what it makes.
TEMPLATES = {
    "intro_email.txt": "the intro e-mail: first line the subject, then a blank line, the body",
    "intro_invite.txt": "the intro call invite: first line its title, then its description",
}
MAX_TEMPLATE = 64_000  # characters of template source
MAX_OUTPUT = 100_000  # characters a template may produce
RANGE_BUDGET = 10_000  # items all range() calls of one rendering may produce together
MAX_ARGUMENT = 10_000  # the largest number a template may pass to a function or method
_WIDE_PERCENT = re.compile(r"%[-#0 +]*(?:\*|\d{4,}|\d*\.(?:\*|\d{4,}))")
_WIDE_FIELD = re.compile(r"\{[^{}]*:[^{}]*(?:\d{4,}|\{)[^{}]*\}")
_NUMERIC_FILTERS = ("center", "indent", "truncate", "wordwrap", "batch", "slice", "format",
                    "filesizeformat")


class TemplateProblem(Exception):
    """A template could not be read or rendered; ``str()`` is one line for a person."""


class _NoLoader(BaseLoader):
    """Templates cannot pull in other templates or files."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise SecurityError("templates cannot include, import or extend other templates")


class _Budget:
    """range() for a template: items drawn from one budget per rendering, so nested loops
    cannot run for hours."""

    def __init__(self, items: int = RANGE_BUDGET):
        self.left = items

    def __call__(self, *args: int) -> Iterator[int]:
        span = range(*args)
        self.left -= len(span)
        if self.left < 0:
            raise SecurityError(f"the template loops more than {RANGE_BUDGET:,} times")
        return iter(span)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox (lists and dicts read-only) plus size limits on the operators that make
    big values from small ones."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """No call gets a big number ('x'.ljust(10**9), zfill...), except range's budget."""
        if not isinstance(__obj, _Budget) and any(
                isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_ARGUMENT
                for v in (*args, *kwargs.values())):
            raise SecurityError("the template passes too large a number to a function")
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """'{:>999999999}'.format(x) would build the value before any check could see it."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FIELD.search(value.__self__):
            def refuse(*args: Any, **kwargs: Any) -> str:
                raise SecurityError("the template asks for too wide a field")
            return refuse
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("the template raises a number to too high a power")
        if operator == "%" and isinstance(left, str) and _WIDE_PERCENT.search(left):
            raise SecurityError("the template asks for too wide a field")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and (
                        len(seq) * times > MAX_OUTPUT):
                    raise SecurityError("the template makes a value that is too large")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list | tuple) and len(result) > MAX_OUTPUT:
            raise SecurityError("the template makes a value that is too large")
        return result


def _capped(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter whose numeric arguments (a width, a count) stay small."""

    def filter_(*args: Any, **kwargs: Any) -> Any:
        numbers = [v for v in (*args[1:], *kwargs.values())
                   if isinstance(v, int) and not isinstance(v, bool)]
        if any(abs(v) > 1_000 for v in numbers):
            raise SecurityError(f"the template asks the {name} filter for too large a size")
        if name == "format":
            raise SecurityError("the format filter is not available in templates")
        return real(*args, **kwargs)

    return filter_


def _environment() -> _Sandbox:
    env = _Sandbox(loader=_NoLoader(), undefined=StrictUndefined, autoescape=False,
                   keep_trailing_newline=True)
    for name in _NUMERIC_FILTERS:
        if name in env.filters:
            env.filters[name] = _capped(name, env.filters[name])
    env.globals = {"range": _Budget(), "namespace": env.globals["namespace"],
                   "cycler": env.globals["cycler"], "joiner": env.globals["joiner"]}
    return env


def template_source(name: str, folder: Path | None) -> tuple[str, str]:
    """(source, where it came from): the user's file when there is one, else the built-in."""
    if name not in TEMPLATES:
        raise TemplateProblem(f"no template called {name!r}")
    path = folder / name if folder is not None else None
    if path is not None and (path.exists() or path.is_symlink()):
        try:  # a regular file only: a pipe or /dev/zero named so would never end
            source = read_text_file(path, MAX_TEMPLATE * 4, "a template")
        except TextFileError as exc:
            why = (f"larger than {MAX_TEMPLATE:,} characters" if "too big" in str(exc)
                   else str(exc))
            raise TemplateProblem(f"{path}: {why}") from None
        if len(source) > MAX_TEMPLATE:
            raise TemplateProblem(f"{path}: larger than {MAX_TEMPLATE:,} characters")
        return source, str(path)
    built_in = resources.files("transfer_tui.outreach").joinpath("templates", name)
    return built_in.read_text(encoding="utf-8"), f"built-in {name}"


def render_template(name: str, fields: Mapping[str, Any], folder: Path | None = None) -> str:
    """The template ``name`` rendered with ``fields`` (plain data only)."""
    source, where = template_source(name, folder)
    env = _environment()
    try:
        template = env.from_string(source)
        out: list[str] = []
        size = 0
        for chunk in template.generate(**fields):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the template writes more than {MAX_OUTPUT:,} characters")
            out.append(chunk)
        return "".join(out)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"{where}, line {exc.lineno}: {one_line(exc.message, 160)}"
                              ) from None
    except UndefinedError as exc:
        raise TemplateProblem(f"{where}: {one_line(exc.message, 160)} (the fields a template "
                              "may use are listed in the README)") from None
    except (SecurityError, TemplateError) as exc:
        raise TemplateProblem(f"{where}: {one_line(str(exc), 160)}") from None
    except RecursionError:
        raise TemplateProblem(f"{where}: the template calls itself without end") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError,
            IndexError, OverflowError, MemoryError) as exc:
        raise TemplateProblem(f"{where}: {type(exc).__name__}: {one_line(str(exc), 160)}"
                              ) from None
