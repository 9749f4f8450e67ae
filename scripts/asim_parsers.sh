#!/usr/bin/env bash
# The ASIM parsers of the Azure-Sentinel repository, for tests and the compatibility record. Their text is
# Microsoft's and is never committed here: `export` copies them out of a git copy of the repository into a folder
# outside the project, which e2e/asim_parsers reads through KQL_AZURE_SENTINEL_DIR; `report` lists, for every
# parser of such a folder, whether it loads and binds in kqlite, and why not.
#
#   scripts/asim_parsers.sh export GIT_DIR OUT_DIR [REV]   # GIT_DIR: a clone or mirror (e.g. /work/.mirror/...)
#   export KQL_AZURE_SENTINEL_DIR=OUT_DIR                   # then: ctest -R e2e/asim_parsers
#   scripts/asim_parsers.sh report KQLITE OUT_DIR           # one line per parser: ok / FAIL <reason>
#
# Exported: Parsers/ASim*/Parsers/**.yaml (the unifying and source-specific parsers) and ASIM/lib/functions/*.yaml
# (the helper functions they call, such as _ASIM_ResolveDvcFQDN).
set -euo pipefail
usage() { sed -n '2,12p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
case "$1" in
  export)
    git_dir=$2 out=$3 rev=${4:-HEAD}
    git --git-dir="$git_dir" rev-parse --verify -q "$rev^{commit}" >/dev/null || { echo "not a git copy: $git_dir" >&2; exit 2; }
    count=0
    while IFS= read -r path; do
      mkdir -p "$out/$(dirname "$path")"
      git --git-dir="$git_dir" show "$rev:$path" >"$out/$path"
      count=$((count + 1))
    done < <(git --git-dir="$git_dir" ls-tree -r --name-only "$rev" -- Parsers ASIM/lib/functions |
             grep -E '^Parsers/ASim[^/]*/Parsers/[^/]*\.ya?ml$|^ASIM/lib/functions/[^/]*\.ya?ml$')
    echo "exported $count parser files of $(git --git-dir="$git_dir" rev-parse --short "$rev") to $out"
    ;;
  report)
    kqlite=$2 dir=$3
    functions=()
    for folder in "$dir"/Parsers/ASim*/Parsers "$dir"/ASIM/lib/functions; do
      [ -d "$folder" ] && functions+=(--functions "$folder")
    done
    [ ${#functions[@]} -gt 0 ] || { echo "no Parsers/ASim*/Parsers folder under $dir" >&2; exit 2; }
    # Load problems (files that do not parse) are reported by every run; print them once.
    "$kqlite" query 'print 1' "${functions[@]}" 2>&1 >/dev/null | grep 'warning' || true
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    ok=0 failed=0
    for file in "$dir"/Parsers/ASim*/Parsers/*.y*ml; do
      name=$(grep -m1 -E '^(ParserName|FunctionName):' "$file" | sed 's/^[A-Za-z]*: *//; s/[[:space:]]*$//') || true
      [ -n "$name" ] || continue
      # `lint` binds without data: tables are the catalog's, so only the parser's own problems show.
      printf '%s | take 0\n' "$name" >"$work/parser.kql"
      if "$kqlite" lint "$work/parser.kql" "${functions[@]}" >"$work/lint.txt" 2>&1; then
        echo "ok   $name"
        ok=$((ok + 1))
      else
        echo "FAIL $name: $(grep -m1 -E 'error' "$work/lint.txt" | sed 's/^[^ ]* //' | cut -c1-300)"
        failed=$((failed + 1))
      fi
    done
    echo "$ok parser(s) bind, $failed do not"
    ;;
  *) usage ;;
esac
