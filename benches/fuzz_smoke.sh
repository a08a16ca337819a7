#!/usr/bin/env bash
# Fuzz smoke run of the JSON models.
#
# With cargo-fuzz and a nightly toolchain (`cargo install cargo-fuzz`,
# `rustup toolchain install nightly`): runs the `models` libFuzzer target in
# fuzz/ for SECONDS (default 60), seeded with the recorded fixtures
# ($SPOTDECK_FIXTURES, default ../shared/reference/fixtures).
# Without them: runs the seeded-mutation/proptest equivalent in
# tests/proptest_models.rs, which exercises the same deserializers.
#
# Usage: benches/fuzz_smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-60}"
FIXTURES="${SPOTDECK_FIXTURES:-$PWD/../shared/reference/fixtures}"

if cargo fuzz --version >/dev/null 2>&1 && rustup run nightly rustc --version >/dev/null 2>&1; then
  CORPUS="$(mktemp -d)"
  trap 'rm -rf "$CORPUS"' EXIT
  if [ -d "$FIXTURES" ]; then
    cp "$FIXTURES"/*.json "$CORPUS"/
  fi
  cd fuzz
  cargo +nightly fuzz run models "$CORPUS" -- -max_total_time="$SECS" -max_len=65536
else
  echo "cargo-fuzz or nightly not found: running the proptest/mutation equivalent" >&2
  SPOTDECK_FIXTURES="$FIXTURES" cargo test --release --test proptest_models
fi
