#!/usr/bin/env bash
# `cpack -G DEB` makes a Debian package holding the CLI, the demo data and the rule copies, depending on the shared
# libraries kqlite links (Depends from dpkg-shlibdeps), whose unpacked binary hunts the packaged demo data. Skipped
# (77) without dpkg-deb. Usage: package_deb.sh <build folder>
set -u
BUILD="$1"
command -v dpkg-deb >/dev/null || exit 77
source "$(dirname "$0")/e2e_common.sh"
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK" >"$WORK/cpack.log" 2>&1 || { cat "$WORK/cpack.log"; exit 1; }
DEB="$(ls "$WORK"/kqlite_*.deb 2>/dev/null | head -1)"
[ -n "$DEB" ] || { cat "$WORK/cpack.log"; exit 1; }
dpkg-deb --info "$DEB" >"$WORK/info"
dpkg-deb --contents "$DEB" >"$WORK/contents"
# fmt is linked statically (header-only use), so it is no dependency.
for library in libre2 libyaml-cpp libzstd zlib1g libsimdjson; do
  grep -q "Depends:.*$library" "$WORK/info" || fail "Depends lacks $library: $(grep Depends "$WORK/info")"
done
grep -q "Maintainer:" "$WORK/info" || fail "no Maintainer"
grep -q "\./usr/bin/kqlite$" "$WORK/contents" || fail "no /usr/bin/kqlite"
grep -q "\./usr/share/kqlite/demo/DeviceNetworkEvents.jsonl$" "$WORK/contents" || fail "no demo data"
# The Python package, when the build made the module, where Debian's python3 looks (/usr/lib/python3/dist-packages).
if compgen -G "$BUILD/python/kqlite/_kqlite*.so" >/dev/null; then
  grep -q "\./usr/lib/python3/dist-packages/kqlite/__init__\.py$" "$WORK/contents" || fail "no Python package"
  grep -qE "\./usr/lib/python3/dist-packages/kqlite/_kqlite[^/]*\.so$" "$WORK/contents" || fail "no Python extension"
fi
# Unpacked (as dpkg would lay it out, under a temporary root), the binary hunts the packaged demo data.
dpkg-deb -x "$DEB" "$WORK/root"
env -u KQLITE_DEMO_DATA "$WORK/root/usr/bin/kqlite" hunt >"$WORK/hunt" 2>&1 || fail "packaged hunt exited $?"
expect_in "$WORK/hunt" "TacticalRMM"
expect_in "$WORK/hunt" "$WORK/root/usr/share/kqlite/demo"
finish package_deb
