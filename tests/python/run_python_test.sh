#!/usr/bin/env bash
# Runs one tests/python/test_*.py with Debian's own interpreter (/usr/bin/python3, whatever python3 comes first on
# PATH) against build/python. Skips (77) when Debian's python3, pandas or the built module is missing.
# Usage: run_python_test.sh <build dir> <test file>
set -u
BUILD="$1"
TEST="$2"
PYTHON=/usr/bin/python3
if [ ! -x "$PYTHON" ]; then
  echo "SKIP: no /usr/bin/python3 (scripts/install_deps.sh installs python3-dev and python3-pandas)"
  exit 77
fi
if ! "$PYTHON" -c "import pandas" 2>/dev/null; then
  echo "SKIP: Debian's python3 has no pandas (scripts/install_deps.sh installs python3-pandas)"
  exit 77
fi
if ! compgen -G "$BUILD/python/kqlite/_kqlite*.so" >/dev/null; then
  echo "SKIP: the kqlite Python module was not built (pybind11-dev and python3-dev not found at configure time)"
  exit 77
fi
export PYTHONPATH="$(realpath "$BUILD")/python"
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$TEST")" || exit 1
exec "$PYTHON" -m unittest -v "$(basename "$TEST" .py)" 2>&1
