#!/usr/bin/env bash
# The Python packaging (pyproject.toml, setup.py, MANIFEST.in) without pip, with Debian's python3-setuptools and
# python3-wheel: the version agrees with CMake's; the source archive (`setup.py sdist`) holds what the CMake build
# reads and configures on its own; the wheel built from that archive through setuptools' PEP 517 backend (what
# `pip install .` calls) holds the package, the extension and the metadata, and imports from where it is unpacked.
# The wheel's extension comes from this build folder (KQLITE_CMAKE_BUILD_DIR) rather than a second full build.
# Not tested here: pip itself (its isolated build environment, which downloads setuptools, and its installing).
# Skips (77) without Debian's python3, setuptools, wheel or the built module.
# Usage: packaging.sh <build dir> <source dir>
set -u
BUILD="$(realpath "$1")"
SOURCE="$(realpath "$2")"
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c "import setuptools, wheel" 2>/dev/null; then
  echo "SKIP: Debian's python3 lacks setuptools or wheel (scripts/install_deps.sh: python3-setuptools python3-wheel)"
  exit 77
fi
if ! compgen -G "$BUILD/python/kqlite/_kqlite*.so" >/dev/null; then
  echo "SKIP: the kqlite Python module was not built (pybind11-dev and python3-dev not found at configure time)"
  exit 77
fi
source "$SOURCE/tests/e2e/e2e_common.sh"
export PYTHONDONTWRITEBYTECODE=1
cmake_version="$(sed -n 's/^project(kqlite VERSION \([0-9.]*\).*/\1/p' "$SOURCE/CMakeLists.txt")"

cd "$SOURCE" || exit 1
version="$("$PYTHON" setup.py --version 2>"$WORK/version.err" | tail -n 1)"
[ "$version" = "$cmake_version" ] ||
  fail "setup.py --version: '$version', CMake's: '$cmake_version' $(cat "$WORK/version.err")"

# The source archive, with its egg-info kept out of the source folder.
"$PYTHON" setup.py -q egg_info --egg-base "$WORK" sdist --dist-dir "$WORK/dist" >"$WORK/sdist.log" 2>&1 ||
  { fail "sdist: $(tail -5 "$WORK/sdist.log")"; finish python_packaging; }
archive="$WORK/dist/kqlite-$cmake_version.tar.gz"
[ -f "$archive" ] || { fail "no $archive: $(ls "$WORK/dist")"; finish python_packaging; }
tar -tzf "$archive" >"$WORK/archive"
for path in CMakeLists.txt pyproject.toml setup.py python/kqlite/__init__.py python/kqlite_module.cpp \
  src/engine/engine.cpp data/catalog/tables.json cmake/python_module.cmake web/ui/app.js docs/python.md; do
  grep -qx "kqlite-$cmake_version/$path" "$WORK/archive" || fail "the source archive lacks $path"
done
grep -q "^kqlite-$cmake_version/build/" "$WORK/archive" && fail "the source archive holds a build folder"
mkdir -p "$WORK/unpacked"
tar -xzf "$archive" -C "$WORK/unpacked"
UNPACKED="$WORK/unpacked/kqlite-$cmake_version"
# The archive alone configures (every source file CMake names is in it).
cmake -S "$UNPACKED" -B "$WORK/configured" -DKQL_BUILD_TESTS=OFF -DKQL_WEB_ASSETS=OFF >"$WORK/configure.log" 2>&1 ||
  fail "the source archive does not configure: $(grep -A3 'CMake Error' "$WORK/configure.log" | head -8)"

# The wheel, built from the unpacked archive as pip would (setuptools.build_meta, the pyproject.toml backend).
(cd "$UNPACKED" && KQLITE_CMAKE_BUILD_DIR="$BUILD" "$PYTHON" -c \
  "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))" "$WORK/wheel") \
  >"$WORK/wheel.log" 2>&1 || { fail "build_wheel: $(tail -5 "$WORK/wheel.log")"; finish python_packaging; }
wheel="$(ls "$WORK"/wheel/kqlite-"$cmake_version"-cp3*-linux_*.whl 2>/dev/null | head -1)"
[ -n "$wheel" ] || { fail "no platform wheel: $(ls "$WORK/wheel")"; finish python_packaging; }
"$PYTHON" - "$wheel" "$WORK/site" >"$WORK/unzip.log" 2>&1 <<'PYTHON' || fail "the wheel: $(cat "$WORK/unzip.log")"
import sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
names = archive.namelist()
assert "kqlite/__init__.py" in names, names
assert any(n.startswith("kqlite/_kqlite.cpython-") and n.endswith(".so") for n in names), names
metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
lines = metadata.splitlines()
for line in ("Name: kqlite", "Requires-Dist: numpy", "Requires-Python: >=3.9"):
    assert line in lines, (line, metadata[:600])
# "pandas>=1.3", or "pandas (>=1.3)" from older setuptools.
assert any(l.startswith("Requires-Dist: pandas") and ">=1.3" in l for l in lines), metadata[:600]
archive.extractall(sys.argv[2])
PYTHON
if "$PYTHON" -c "import pandas" 2>/dev/null; then
  cd "$WORK" || exit 1
  PYTHONPATH="$WORK/site" "$PYTHON" -c "import kqlite, sys
assert kqlite.__file__.startswith(sys.argv[1]), kqlite.__file__
print(kqlite.query('print n = 40 + 2')['n'][0])" "$WORK/site" >"$WORK/import.out" 2>&1
  [ "$(tail -n 1 "$WORK/import.out")" = 42 ] || fail "the unpacked wheel: $(cat "$WORK/import.out")"
else
  echo "note: Debian's python3 has no pandas; the wheel was not imported"
fi
finish python_packaging
