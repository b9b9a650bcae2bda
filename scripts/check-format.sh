#!/usr/bin/env bash
# check-format.sh [--fix] [ROOT]: every C++ source follows the root's .clang-format (clang-format 14,
# as Debian 12 ships it). Prints each file that differs and exits 1; --fix reformats them instead.
set -euo pipefail
fix=0
[ "${1:-}" = --fix ] && { fix=1; shift; }
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
tool=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$tool" ] || { echo "check-format: clang-format 14 is not installed (make deps installs it)"; exit 2; }
mapfile -d '' files < <(find sim system faults properties workloads scenarios reports bench cli tests examples fuzz \
                          \( -name '*.cpp' -o -name '*.hpp' \) -print0 2>/dev/null | sort -z)
if [ "$fix" = 1 ]; then
  "$tool" -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$tool" --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "$f: not formatted (scripts/check-format.sh --fix)"
    bad=1
  fi
done
[ "$bad" = 0 ] && echo "format: ${#files[@]} files follow .clang-format"
exit "$bad"
