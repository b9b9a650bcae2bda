#!/usr/bin/env bash
# report_dir.sh STORMLOG: `run --report DIR` writes the four files of a report and leaves the run
# unchanged; a non-empty DIR is refused (exit 2, nothing touched) unless --force; a DIR that
# cannot be made is refused before the run, with one line naming it.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
strip() { grep '^RESULT ' | sed 's/ wall=.*//'; }

plain=$("$bin" run ledger-nemesis --seed 2 | strip)
with=$("$bin" run ledger-nemesis --seed 2 --report "$tmp/r" | strip)
[ -n "$plain" ] && [ "$plain" = "$with" ] || fail "RESULT differs with --report: '$plain' vs '$with'"
for f in report.json report.md report.html trace.json; do
  [ -s "$tmp/r/$f" ] || fail "$f missing or empty"
done
ls -d "$tmp"/r.partial* 2>/dev/null && fail "the staging directory was left behind"

# Not over a directory that holds files.
echo keep > "$tmp/full.txt"; mkdir "$tmp/full"; cp "$tmp/full.txt" "$tmp/full/mine.txt"
err=$("$bin" run kernel-smoke --report "$tmp/full" 2>&1 >/dev/null); code=$?
[ $code -eq 2 ] || fail "a non-empty directory: exit $code, want 2"
[ "$(wc -l <<<"$err")" -eq 1 ] || fail "want one error line, got: $err"
grep -q -- "--report: $tmp/full exists and is not empty (pass --force to replace it)" <<<"$err" || fail "message: $err"
cmp -s "$tmp/full/mine.txt" "$tmp/full.txt" && [ "$(ls "$tmp/full")" = mine.txt ] || fail "the directory was touched"
# --force replaces only an earlier report, never a directory of other files.
err=$("$bin" run kernel-smoke --report "$tmp/full" --force 2>&1 >/dev/null); code=$?
[ $code -eq 2 ] && grep -q "holds files and no report" <<<"$err" || fail "--force over other files: exit $code, $err"
[ "$(ls "$tmp/full")" = mine.txt ] || fail "--force touched a directory of other files"
"$bin" run kernel-smoke --seed 2 --report "$tmp/r/" --force >/dev/null || fail "--force over a report failed"
grep -q '"seed": 2' "$tmp/r/report.json" || fail "--force did not replace the earlier report"
ls -d "$tmp"/r.partial* "$tmp"/r.old* 2>/dev/null && fail "staging or old directories were left behind"
# The working directory, or a directory holding it, is never a report directory.
for d in . "$tmp/full/." "$tmp/full/.." /; do
  err=$(cd "$tmp/full" && "$bin" run kernel-smoke --report "$d" --force 2>&1 >/dev/null); code=$?
  [ $code -eq 2 ] && grep -q "is the working directory or holds it" <<<"$err" || fail "--report $d: exit $code, $err"
done
[ "$(ls "$tmp/full")" = mine.txt ] && [ -e "$tmp/full.txt" ] || fail "refusing the working directory touched it"
# An existing empty directory is fine.
mkdir "$tmp/empty"
"$bin" run kernel-smoke --report "$tmp/empty" >/dev/null || fail "an empty directory was refused"

# A path that cannot be a directory: refused before the run (no RESULT line), nothing written.
touch "$tmp/afile"
out=$("$bin" run ledger-nemesis --report "$tmp/afile/r" 2>"$tmp/err"); code=$?
[ $code -eq 2 ] || fail "under a file: exit $code, want 2"
[ -z "$out" ] || fail "the run went ahead: $out"
grep -q "^stormlog: error: --report: $tmp/afile is not a directory$" "$tmp/err" || fail "message: $(cat "$tmp/err")"
out=$("$bin" run kernel-smoke --report "$tmp/afile" 2>"$tmp/err"); code=$?
[ $code -eq 2 ] && grep -q "exists and is not a directory" "$tmp/err" || fail "a file as the directory: exit $code, $(cat "$tmp/err")"
if [ "$(id -u)" -eq 0 ]; then ro=/proc/stormlog-report; else mkdir "$tmp/ro"; chmod 500 "$tmp/ro"; ro="$tmp/ro/r"; fi
"$bin" run kernel-smoke --report "$ro" 2>"$tmp/err" >/dev/null; code=$?
[ $code -eq 2 ] && grep -q "^stormlog: error: --report: " "$tmp/err" || fail "unwritable: exit $code, $(cat "$tmp/err")"
echo "report_dir: ok"
