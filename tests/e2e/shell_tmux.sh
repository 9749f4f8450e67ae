#!/usr/bin/env bash
# `kqlite shell` driven as a person would, under tmux (send-keys, capture-pane): tab completion of a table and a
# column, a multi-line query ended by an empty line, .schema, Ctrl-C during a long query keeps the shell, .load
# completing a folder and a file, the history file. Skips (77) without tmux. Usage: shell_tmux.sh <kqlite binary>
set -u
KQLITE="$(realpath "$1")"
if ! command -v tmux >/dev/null; then
  echo "SKIP: tmux is not installed (scripts/install_deps.sh installs it)"
  exit 77
fi
source "$(dirname "$0")/e2e_common.sh"
SOCKET="kqlite-shell-test-$$"
tmux_() { tmux -L "$SOCKET" -f /dev/null "$@"; }
trap 'tmux_ kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data" "$WORK/state"
cat >"$WORK/data/DeviceProcessEvents.jsonl" <<'JSON'
{"Timestamp":"2024-10-09T14:02:11.5Z","DeviceName":"ws-017.corp.example","FileName":"powershell.exe","ProcessCommandLine":"powershell -enc SQBFAFgA"}
{"Timestamp":"2024-10-09T14:05:00Z","DeviceName":"ws-017.corp.example","FileName":"cmd.exe","ProcessCommandLine":"cmd /c whoami"}
{"Timestamp":"2024-10-09T15:45:09Z","DeviceName":"SRV-DC01","FileName":"rundll32.exe","ProcessCommandLine":"rundll32.exe C:\\Users\\Public\\a.dll,Start"}
JSON

screen() { tmux_ capture-pane -p -t shell; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (the sanitizer build is slow to start and to run).
wait_for() {
  local deadline=$((SECONDS + ${2:-30}))
  while ! screen | grep -qF -- "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "the screen never showed: $1"
      screen | sed 's/^/  | /'
      return 1
    fi
    sleep 0.2
  done
}

tmux_ new-session -d -s shell -x 150 -y 50 \
  "env XDG_STATE_HOME='$WORK/state' TERM=xterm '$KQLITE' shell --data '$WORK/data'; echo SHELL-EXITED=\$?; sleep 30"
wait_for "kql>" || exit 1

# A table by completion, then a column of that table by completion, over three lines; an empty line runs it.
tmux_ send-keys -t shell 'DeviceProcessEv' Tab
wait_for "kql> DeviceProcessEvents"
tmux_ send-keys -t shell Enter '| where ProcessComm' Tab
wait_for "...> | where ProcessCommandLine"
tmux_ send-keys -t shell 'has "enc"' Enter '| project DeviceName, FileName' Enter Enter
wait_for "(1 row)"
screen | grep -qE '^ws-017\.corp\.example +powershell\.exe' || fail "the multi-line query's row: $(screen)"

# .schema of the loaded table.
tmux_ send-keys -t shell C-l '.schema DeviceProcessEvents' Enter
wait_for "ProcessCommandLine: string"

# Ctrl-C during a long query cancels it and the shell goes on.
tmux_ send-keys -t shell C-l 'range i from 1 to 99000000 step 1 | where hash_sha256(tostring(i)) has "zzz" | count\;' Enter
sleep 2
tmux_ send-keys -t shell C-c
wait_for "query cancelled"
tmux_ send-keys -t shell 'print alive = strcat("y", "es")\;' Enter
wait_for "yes"

# Ctrl-C at the prompt drops the query being typed.
# (Wait for the typed text first: Ctrl-C flushes the terminal's unread input, as it would for a fast typist.)
tmux_ send-keys -t shell C-l 'print dropped = 1' Enter '| extend more = 2'
wait_for "...> | extend more = 2"
tmux_ send-keys -t shell C-c
wait_for "more = 2^C"
tmux_ send-keys -t shell 'print kept = 3\;' Enter
wait_for "kept"
screen | grep -qE '^dropped +more' && fail "the query cancelled at the prompt ran: $(screen)"

# fork returns several tables: each under its '== name ==' heading, as `kqlite query` prints them.
tmux_ send-keys -t shell C-l 'DeviceProcessEvents | fork Hosts = (summarize n = count() by DeviceName | sort by DeviceName asc) (count)\;' Enter
wait_for "== Table_1 =="
screen | grep -qE '^== Hosts == *$' || fail "no heading of the first fork table: $(screen)"
screen | grep -qE '^SRV-DC01 +1 *$' || fail "no row of the first fork table: $(screen)"
screen | grep -A3 -E '^== Table_1 ==' | grep -qE '^3 *$' || fail "no count in the second fork table: $(screen)"

# .load completes a folder (with its '/') and then a file in it, and loads it.
mkdir -p "$WORK/more exports"
printf '%s\n' '{"TimeGenerated":"2024-10-09T14:20:00Z","UserPrincipalName":"j.doe@contoso.example","ResultType":"50126"}' \
  >"$WORK/more exports/SigninLogs.jsonl"
tmux_ send-keys -t shell C-l ".load $WORK/mo" Tab
wait_for ".load $WORK/more exports/"
tmux_ send-keys -t shell 'Sig' Tab
wait_for ".load $WORK/more exports/SigninLogs.jsonl"
tmux_ send-keys -t shell Enter '.tables' Enter
wait_for "SigninLogs"

tmux_ send-keys -t shell '.quit' Enter
wait_for "SHELL-EXITED=0"
[ -f "$WORK/state/kqlite/history" ] || fail "no history file under XDG_STATE_HOME"
grep -qF "| where ProcessCommandLine has" "$WORK/state/kqlite/history" 2>/dev/null ||
  fail "the history lacks a typed line: $(cat "$WORK/state/kqlite/history" 2>/dev/null)"
finish shell_tmux
