#!/usr/bin/env bash
# The installed kqlite works without the source tree: `cmake --install` into a temporary prefix, the prefix moved
# elsewhere, then the demo hunt (TacticalRMM alerts from P/share/kqlite/demo), the built-in pack's tests and
# --version run from the moved copy, and (when the build made the Python module and Debian's python3 has pandas)
# the installed `import kqlite` queries the installed demo data.
# Usage: install_relocated.sh <build folder> <source folder>
set -u
BUILD="$1"
SOURCE="$2"
source "$(dirname "$0")/e2e_common.sh"

cmake --install "$BUILD" --prefix "$WORK/staged" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; exit 1; }
mv "$WORK/staged" "$WORK/moved prefix"
P="$WORK/moved prefix"
[ -x "$P/bin/kqlite" ] || fail "no $P/bin/kqlite"
[ -f "$P/share/kqlite/demo/DeviceNetworkEvents.jsonl" ] || fail "no demo data in share/kqlite/demo"
[ -f "$P/share/kqlite/rules/rmm/tacticalrmm_network_connection.yaml" ] || fail "no rule copies in share/kqlite/rules"
[ -f "$P/share/doc/kqlite/README.md" ] || fail "no README in share/doc/kqlite"
[ ! -e "$P/bin/kqlite-demo-data.path" ] || fail "the build-folder marker was installed"
if grep -qF -- "$(cd "$SOURCE" && pwd)" "$P/bin/kqlite"; then fail "the binary names the source folder"; fi
# A compiler cache with a base_dir turns source paths relative ("../src/x.cpp"), which the check above misses.
if strings -n 6 "$P/bin/kqlite" | grep -E '(^|/)(src|tools)/[A-Za-z0-9_/]+\.(cpp|h)$' >"$WORK/paths"; then
  fail "the binary names source files by path: $(head -3 "$WORK/paths")"
fi

# Run from elsewhere, with no override: only the installed copy's own files can be used.
cd "$WORK"
env -u KQLITE_DEMO_DATA "$P/bin/kqlite" --version >"$WORK/version" 2>&1 || fail "--version exited $?"
grep -qE '^kqlite [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]+|unknown\)' "$WORK/version" || fail "--version: $(cat "$WORK/version")"

env -u KQLITE_DEMO_DATA "$P/bin/kqlite" hunt >"$WORK/hunt.out" 2>"$WORK/hunt.err"
code=$?
[ "$code" = 0 ] || fail "hunt exited $code: $(head -5 "$WORK/hunt.err")"
grep -qF "TacticalRMM" "$WORK/hunt.out" || fail "hunt printed no TacticalRMM alert: $(head -5 "$WORK/hunt.out")"
grep -qF "$P/share/kqlite/demo" "$WORK/hunt.out" "$WORK/hunt.err" ||
  fail "hunt did not read the installed demo data: $(grep -h demo "$WORK/hunt.out" "$WORK/hunt.err" | head -3)"

env -u KQLITE_DEMO_DATA "$P/bin/kqlite" test >"$WORK/test.out" 2>&1 || fail "kqlite test exited $?: $(tail -3 "$WORK/test.out")"
grep -qE '^[0-9]+ passed, 0 failed' "$WORK/test.out" || fail "kqlite test: $(tail -1 "$WORK/test.out")"

# The chart scripts (npm, scripts/web_deps.sh) install to share/kqlite/web when the build has them: the moved copy
# writes a --chart page from its own files.
if [ -f "$BUILD/web/assets/vega/vega.min.js" ]; then
  [ -f "$P/share/kqlite/web/vs/loader.js" ] || fail "no web UI assets in share/kqlite/web"
  env -u KQLITE_WEB_ASSETS "$P/bin/kqlite" query "print k = 'a', n = 1 | render columnchart" --chart "$WORK/c.html" \
    >/dev/null 2>"$WORK/chart.err" || fail "--chart from the installed copy: $(cat "$WORK/chart.err")"
fi

# The Python module installs to P/lib/python3/dist-packages/kqlite (KQL_PYTHON_INSTALL_DIR) when the build made it;
# Debian's own python3 imports it from the moved prefix, away from the build and source folders.
if compgen -G "$BUILD/python/kqlite/_kqlite*.so" >/dev/null; then
  PACKAGE="$P/lib/python3/dist-packages/kqlite"
  [ -f "$PACKAGE/__init__.py" ] || fail "no Python package in $PACKAGE"
  compgen -G "$PACKAGE/_kqlite*.so" >/dev/null || fail "no Python extension in $PACKAGE: $(ls "$PACKAGE")"
  if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
    PYTHONPATH="$P/lib/python3/dist-packages" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 - "$P" >"$WORK/python.out" \
      2>&1 <<'PYTHON' || fail "the installed Python module: $(tail -5 "$WORK/python.out")"
import os, sys
import kqlite
prefix = sys.argv[1]
assert os.path.realpath(kqlite.__file__).startswith(os.path.realpath(prefix)), kqlite.__file__
frame = kqlite.query("DeviceNetworkEvents | where RemoteUrl has 'tacticalrmm' | count",
                     data=os.path.join(prefix, "share/kqlite/demo"))
print("count", int(frame["Count"][0]))
PYTHON
    grep -qx 'count 14' "$WORK/python.out" || fail "the installed module counted: $(cat "$WORK/python.out")"
  else
    echo "note: Debian's python3 has no pandas; the installed Python module was not imported"
  fi
fi

finish install_relocated
