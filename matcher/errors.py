"""One error family, so callers can catch everything matcher raises with one ``except``.

::

    MatcherError
    ├── InputError (ValueError)            bad input; names the file and the problem
    │   ├── EmptyInputError                nothing to read
    │   ├── UnsupportedFormatError         not a format we read (binary junk, unknown extension)
    │   ├── DocumentError                  PDF/DOCX not readable (corrupt, encrypted, no text)
    │   └── InputTooLargeError             over the size or time bound
    ├── ConfigError (ValueError)           invalid option or config value
    ├── PreferenceError (ValueError)       invalid JPO preferences; lists every problem at once
    ├── InfeasibleError                    an allocation with constraints that cannot be met
    ├── AuditError                         an audit log that is incomplete or altered
    ├── MissingDependencyError (ImportError) an optional extra is not installed; names the extra
    └── ModelError                         model files that fail their checksum or cannot be read

Messages never contain CV text or personal data, only file names and the nature of the problem.
"""

from __future__ import annotations

from os import PathLike


class MatcherError(Exception):
    """Base of every error matcher raises on purpose."""


class InputError(MatcherError, ValueError):
    """Input that cannot be used; ``path`` names the file when there is one."""

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class EmptyInputError(InputError):
    pass


class UnsupportedFormatError(InputError):
    pass


class DocumentError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class ConfigError(MatcherError, ValueError):
    pass


class PreferenceError(MatcherError, ValueError):
    """Invalid preferences; ``problems`` lists every problem found, not just the first."""

    def __init__(
        self, problems: list[str] | tuple[str, ...], *, heading: str = "preferences"
    ) -> None:
        self.problems = tuple(dict.fromkeys(problems))  # each problem once
        self.heading = heading
        super().__init__(
            f"{len(self.problems)} problem(s) in {heading}:\n- " + "\n- ".join(self.problems)
        )


class InfeasibleError(MatcherError):
    pass


class AuditError(MatcherError):
    pass


class ModelError(MatcherError):
    """Model weights that are damaged, incomplete or not the published ones."""


class MissingDependencyError(MatcherError, ImportError):
    """An optional dependency is missing; the message names the extra that provides it."""

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is required for this feature: pip install 'osce-matcher[{extra}]'"
        )


class MatcherWarning(UserWarning):
    """Warnings matcher emits (parsing fell back, a section was empty, ...)."""
