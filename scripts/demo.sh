#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to TacticalRMM alerts: install dependencies, build, hunt the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
./build/kqlite hunt
