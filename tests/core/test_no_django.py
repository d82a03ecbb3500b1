import pkgutil
import subprocess
import sys

import kring.core


def test_it_never_imports_django_from_the_core():
    modules = [m.name for m in pkgutil.walk_packages(kring.core.__path__, "kring.core.")]
    assert modules, "kring.core has modules to check"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
