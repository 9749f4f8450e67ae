#!/usr/bin/env bash
# externaldata over local files through `kqlite query --externaldata URL=PATH`: csv with ignoreFirstRecord, tsv,
# txt, json, a plain local path, and the error for an unmapped URL (it must name the URL and the option).
# Usage: externaldata_cli.sh KQLITE
set -euo pipefail
kqlite="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf 'Name,Ip,Port\nweb01,10.0.0.5,443\n"db, primary",10.0.0.9,1433\n' > "$dir/hosts.csv"
printf 'alpha\t1\nbeta\t2\n' > "$dir/pairs.tsv"
printf 'first line\nsecond, with comma\n' > "$dir/lines.txt"
printf '{"u":"alice","n":3}\n{"u":"bob","n":null}\n' > "$dir/users.json"
strip_cr() { tr -d "\r"; }
fail() { echo "FAIL: $1"; echo "--- got:"; echo "$2"; exit 1; }

url="https://example.com/iocs/hosts.csv?sig=a=b"
got="$("$kqlite" query --format csv --externaldata "$url=$dir/hosts.csv" \
  "externaldata(Name:string, Ip:string, Port:long) [\"$url\"] with (format='csv', ignoreFirstRecord=true) | where Port > 400" | strip_cr)"
want=$'Name,Ip,Port\nweb01,10.0.0.5,443\n"db, primary",10.0.0.9,1433'
[ "$got" = "$want" ] || fail "csv" "$got"

got="$("$kqlite" query --format csv "externaldata(k:string, v:long) [@'$dir/pairs.tsv'] with (format=tsv) | summarize sum(v)" | strip_cr)"
[ "$got" = $'sum_v\n3' ] || fail "tsv" "$got"

got="$("$kqlite" query --format csv "externaldata(line:string) [@'$dir/lines.txt'] with (format=txt) | count" | strip_cr)"
[ "$got" = $'Count\n2' ] || fail "txt" "$got"

got="$("$kqlite" query --format csv "externaldata(u:string, n:long) [@'$dir/users.json'] with (format=multijson) | where isnull(n) | project u" | strip_cr)"
[ "$got" = $'u\nbob' ] || fail "json" "$got"

if out="$("$kqlite" query "externaldata(x:string) [\"https://evil.example/x.csv\"]" 2>&1)"; then
  fail "unmapped URL must fail" "$out"
fi
case "$out" in
  *https://evil.example/x.csv*--externaldata*) ;;
  *) fail "unmapped URL message" "$out" ;;
esac
# lint binds it as Microsoft's binder does: the query declares the schema; only running needs the file.
printf 'externaldata(x:string) ["https://evil.example/x.csv"] | where x has "a"\n' >"$dir/unmapped.kql"
if ! out="$("$kqlite" lint "$dir/unmapped.kql" 2>&1)"; then
  fail "lint of an unmapped externaldata URL must bind" "$out"
fi
# zipPattern (Sentinel's DGA rule reads a zipped top-1M list): the URL mapped to the extracted file is read as
# the format says; mapped to the archive itself it is an error that says to extract it.
zurl="http://s3-us-west-1.amazonaws.com/umbrella-static/top-1m.csv.zip"
printf '1,google.com\n2,microsoft.com\n' > "$dir/top-1m.csv"
got="$("$kqlite" query --format csv --externaldata "$zurl=$dir/top-1m.csv" \
  "externaldata(Position:int, Domain:string) [@\"$zurl\"] with (format='csv', zipPattern='*.csv') | where Position == 2" | strip_cr)"
[ "$got" = $'Position,Domain\n2,microsoft.com' ] || fail "zipPattern over the extracted file" "$got"
printf 'PK\003\004not really a zip' > "$dir/top-1m.csv.zip"
if out="$("$kqlite" query --externaldata "$zurl=$dir/top-1m.csv.zip" \
  "externaldata(Position:int, Domain:string) [@\"$zurl\"] with (format='csv', zipPattern='*.csv')" 2>&1)"; then
  fail "a zip archive must be an error" "$out"
fi
case "$out" in
  *"zip archive"*extract*) ;;
  *) fail "zip archive message" "$out" ;;
esac
echo "ok"
