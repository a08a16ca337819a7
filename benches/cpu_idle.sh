#!/usr/bin/env bash
# CPU of the real release binary while paused and while playing, requests per
# minute seen by the simulator, and peak RSS with cover art loaded.
#
# The measurement lives in benches/idle.rs: it starts the simulator in-process
# (so its request log can be read), runs the release binary in tmux against
# it, and reads utime+stime from /proc/PID/stat of the app before and after
# each phase, and VmHWM from /proc/PID/status.
#
# Usage: benches/cpu_idle.sh [SECONDS_PER_PHASE]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
SPOTDECK_BENCH_SECS="${1:-60}" cargo bench --bench idle
