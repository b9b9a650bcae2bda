#!/usr/bin/env bash
# check_junit_xsd.sh WRITER XSD SUITE_JSON OUT_DIR BAD_XML...: junit.xml written from SUITE_JSON
# by WRITER validates against our XSD, and each BAD_XML is rejected by it (so the XSD can fail).
# A missing xmllint fails the test: a check that cannot run must not pass (make deps installs it).
set -euo pipefail
writer=$1 xsd=$2 suite=$3 out_dir=$4
shift 4
command -v xmllint >/dev/null || { echo "check_junit_xsd: xmllint is missing (libxml2-utils)"; exit 1; }
mkdir -p "$out_dir"
xml=$out_dir/junit.xml
"$writer" "$suite" "$xml"
xmllint --noout --schema "$xsd" "$xml"
for bad in "$@"; do
  # Exit code 3 or 4 is a validation error; anything else (a broken schema, a missing file)
  # must not count as "rejected".
  set +e
  log=$(xmllint --noout --schema "$xsd" "$bad" 2>&1)
  rc=$?
  set -e
  if [ "$rc" != 3 ] && [ "$rc" != 4 ]; then
    echo "check_junit_xsd: $bad: expected a validation error, xmllint exit $rc:"
    echo "$log"
    exit 1
  fi
  echo "rejected as it should be: $bad: $(grep -m1 -v 'fails to validate' <<<"$log")"
done
