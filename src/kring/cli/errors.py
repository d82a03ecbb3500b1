"""Errors the CLI reports as one clear line and a non-zero exit code (2: bad input)."""


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
