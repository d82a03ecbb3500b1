# Shared by scripts/start and scripts/test.

# The stamp in .venv that records what the last successful install installed: the hash of the
# dependency files on its first line, then the extras ("dev") installed with them.
STAMP=.venv/kring-install.stamp

ensure_venv() {
  local python=${PYTHON:-}
  if [ -x .venv/bin/python ]; then
    return
  fi
  if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        python=$candidate; break
      fi
    done
  fi
  if [ -z "$python" ]; then
    echo "Kring needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
  fi
  echo "Python: creating .venv with $python"
  "$python" -m venv .venv
}

dependency_hash() {
  cat pyproject.toml requirements/constraints.txt | .venv/bin/python -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'
}

# ensure_installed [EXTRA]: installs Kring into .venv (with the extra, e.g. dev) unless the stamp
# says this very pyproject.toml and constraints file were installed, with that extra, before.
# The install is editable, so changes to the code itself never need it.
ensure_installed() {
  local extra=${1:-}
  local hash spec=. kept=
  hash=$(dependency_hash)
  if [ -n "$extra" ]; then spec=".[$extra]"; fi
  if [ -f "$STAMP" ] && [ "$(head -n 1 "$STAMP")" = "$hash" ]; then
    kept=$(tail -n +2 "$STAMP")
    if [ -z "$extra" ] || grep -qx -- "$extra" <<<"$kept"; then
      echo "Dependencies: up to date in .venv${extra:+ (with $extra)}"
      return
    fi
    echo "Dependencies: installing the $extra extra into .venv…"
  elif [ -f "$STAMP" ]; then
    echo "Dependencies: pyproject.toml or requirements/constraints.txt changed, installing into .venv${extra:+ (with $extra)}…"
  else
    echo "Dependencies: installing into .venv${extra:+ (with $extra)} (the first time takes a few minutes)…"
  fi
  rm -f "$STAMP"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -c requirements/constraints.txt -e "$spec"
  # Reached only when pip succeeded: the scripts run with set -e.
  {
    echo "$hash"
    printf '%s\n%s\n' "$kept" "$extra" | grep -v '^$' | sort -u || true
  } >"$STAMP.tmp"
  mv "$STAMP.tmp" "$STAMP"
}
