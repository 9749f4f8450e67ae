#!/usr/bin/env bash
# Detection-as-code in CI, through the CLI on a temporary copy of a built-in rule and its tests with one stale
# expectation: `kqlite test --junit` writes the JUnit report, `--format github` prints annotations, `--update`
# records the current rows (keeping the rest of the file) so the next run passes; `kqlite lint --format github`
# annotates a broken rule. Usage: test_ci_reports.sh <kqlite binary> <source folder>
set -u
KQLITE="$1"
SOURCE="$2"
source "$(dirname "$0")/e2e_common.sh"

mkdir -p "$WORK/rules"
cp "$SOURCE/rules/builtin/rmm/tacticalrmm_network_connection.yaml" "$WORK/rules/"
# The first case's expectation goes stale: another host, two alerts.
TESTS="$WORK/rules/tacticalrmm_network_connection.tests.yaml"
sed -e "0,/alerts: 1/s//alerts: 2/" -e "0,/DeviceName: 'ws-1'/s//DeviceName: 'ws-9'/" \
  "$SOURCE/rules/builtin/rmm/tacticalrmm_network_connection.tests.yaml" >"$TESTS"
cp "$TESTS" "$WORK/before.yaml"

"$KQLITE" test "$WORK/rules" --junit "$WORK/junit.xml" --format github >"$WORK/out" 2>&1
[ $? = 1 ] || fail "a stale expectation did not fail the run"
expect_in "$WORK/out" "FAIL $TESTS:5: Tactical RMM process reaches each of its domains (true_positive)"
expect_in "$WORK/out" "::error file=$TESTS,line=5::test case 'Tactical RMM process reaches each of its domains' failed%0Aexpected 2 alert(s), got 1"
expect_in "$WORK/junit.xml" '<testsuites name="kqlite test" tests="4" failures="1" errors="0"'
expect_in "$WORK/junit.xml" "<testsuite name=\"$WORK/rules/tacticalrmm_network_connection.yaml\" tests=\"4\" failures=\"1\""
expect_in "$WORK/junit.xml" '<failure message="expected 2 alert(s), got 1 from 1 result row(s); grouping: SingleAlert" type="true_positive">'
expect_in "$WORK/junit.xml" "expected row not found: {DeviceName: ws-9, RemoteUrl: tacticalrmm.io, Count: 1}"
xmllint --version >/dev/null 2>&1 && { xmllint --noout "$WORK/junit.xml" || fail "junit.xml is not well-formed XML"; }

# --update rewrites only the stale case's expect block; the header comment and the other cases stay.
"$KQLITE" test "$TESTS" --update >"$WORK/update" 2>&1 || fail "test --update exited $?: $(cat "$WORK/update")"
expect_in "$WORK/update" "updated 1 case(s) in $TESTS"
diff "$SOURCE/rules/builtin/rmm/tacticalrmm_network_connection.tests.yaml" "$TESTS" >"$WORK/diff"
[ $? = 0 ] || fail "the updated file differs from the original: $(cat "$WORK/diff")"
"$KQLITE" test "$TESTS" >"$WORK/again" 2>&1 || fail "the updated tests still fail: $(cat "$WORK/again")"
expect_in "$WORK/again" "4 passed, 0 failed (1 test file(s))"
"$KQLITE" test --update >"$WORK/builtin" 2>&1
[ $? = 2 ] || fail "--update on the built-in pack did not exit 2"
"$KQLITE" test "$TESTS" --format junit >"$WORK/bad" 2>&1
[ $? = 2 ] || fail "test --format junit did not exit 2"

# --update then test passes for cells the golden encoding writes differently: an empty string (golden "(empty)"),
# a null, a line break, a dynamic bag.
mkdir -p "$WORK/messy"
cat >"$WORK/messy/empty_cells.yaml" <<'YAML'
id: 2b0c8f4e-3d1a-4f6b-9a7e-5c2d1e0f9b83
name: Empty cells
severity: Low
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: |
  DeviceProcessEvents
  | extend Blank = "", Missing = tolong(""), Extra = bag_pack("user", AccountName, "args", ProcessCommandLine)
  | project DeviceName, AccountName, ProcessCommandLine, Blank, Missing, Extra
YAML
cat >"$WORK/messy/empty_cells.tests.yaml" <<'YAML'
now: 2024-10-09T15:00:00Z
cases:
  - name: a process without an account
    kind: true_positive
    events:
      DeviceProcessEvents: |
        {"Timestamp":"2024-10-09T14:00:00Z","DeviceName":"ws-7","AccountName":"","ProcessCommandLine":"powershell -c \"a\"\n-b"}
YAML
"$KQLITE" test "$WORK/messy" --update >"$WORK/messy_update" 2>&1 ||
  fail "test --update of the empty cells exited $?: $(cat "$WORK/messy_update")"
expect_in "$WORK/messy/empty_cells.tests.yaml" "          AccountName: ''"
expect_in "$WORK/messy/empty_cells.tests.yaml" "          Missing: null"
"$KQLITE" test "$WORK/messy" >"$WORK/messy_again" 2>&1 ||
  fail "the updated empty cells fail: $(cat "$WORK/messy_again" "$WORK/messy/empty_cells.tests.yaml")"
expect_in "$WORK/messy_again" "1 passed, 0 failed (1 test file(s))"

# lint --format github: a rule with an unknown column, annotated at its line and column.
cat >"$WORK/broken.yaml" <<'YAML'
id: 0c2f1c41-6a6e-4d43-9f7e-8a1d0c5e4b11
name: Broken, on purpose
severity: High
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: |
  DeviceNetworkEvents
  | where RemoteUrlz has "tacticalrmm.io"
YAML
"$KQLITE" lint "$WORK/broken.yaml" --format github >"$WORK/lint" 2>&1
[ $? = 1 ] || fail "lint of a broken rule did not exit 1"
grep -qE "^::error file=$WORK/broken.yaml,line=10,col=[0-9]+::KQL[A-Z]?[0-9]+: .*RemoteUrlz" "$WORK/lint" ||
  fail "no github annotation for the unknown column: $(cat "$WORK/lint")"

finish test_ci_reports
