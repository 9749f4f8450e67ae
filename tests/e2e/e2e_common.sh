# Sourced by the e2e scripts: a temporary folder $WORK removed on exit, a failure counter, fail / expect_in, and
# finish (prints "<name>: ok" or exits 1).
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

expect_in() {  # expect_in FILE TEXT
  grep -qF -- "$2" "$1" || { fail "$1 lacks: $2"; sed 's/^/  /' "$1" | head -30; }
}

finish() {  # finish NAME
  [ "$failures" = 0 ] && echo "$1: ok" || exit 1
}
