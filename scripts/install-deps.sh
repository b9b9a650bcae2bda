#!/usr/bin/env bash
# Installs the Debian 12 packages stormlog builds with, and nothing when all are present.
# Idempotent: dpkg is asked first, so a machine that has everything never touches apt.
# Arguments add packages a target needs beyond the build (make fuzz: clang and libFuzzer).
set -euo pipefail

packages=(
  g++ cmake ninja-build make
  libboost-fiber-dev libboost-context-dev libboost-dev
  librapidcheck-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libcli11-dev libbenchmark-dev
  # The allocator every non-sanitized program links (see CMakeLists.txt).
  libmimalloc-dev
  clang-format python3
  # Chart.js is embedded into the HTML reports; the tests render them in headless Chromium and
  # check XML reports with xmllint (libxml2-utils).
  libjs-chart.js chromium libxml2-utils
  # The deploy tests read the Kubernetes manifests as YAML.
  python3-yaml
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
