#!/usr/bin/env bash
# Start-up to first frame of `spotdeck --demo` (release build), in tmux.
#
# Method (no product change needed): each run starts a fresh tmux session
# whose shell records a wall-clock timestamp and then `exec`s the binary.
# The app logs (tracing, wall-clock timestamps to µs) "simulator listening"
# once the embedded simulator is up, and "first frame drawn" right after the first
# `terminal.draw` returns. From those:
#   sim_up      = process start -> simulator listening
#   first_frame = simulator up  -> first frame drawn      (target < 50 ms)
#   total       = process start -> first frame
#   data        = process start -> "Now playing on" seen by polling
#                 `tmux capture-pane` every ~5 ms (first frame with data)
#
# Usage: benches/startup.sh [RUNS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/spotdeck"
command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

WORK="$(mktemp -d)"
SOCK="spotdeck-startup-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.txt"
: >"$RESULTS"

for i in $(seq 1 "$RUNS"); do
  HOME_DIR="$WORK/home$i"
  mkdir -p "$HOME_DIR"
  tmux -L "$SOCK" -f /dev/null new-session -d -s "run$i" -x 120 -y 40 \
    "date +%s.%N > '$HOME_DIR/t0'; exec env SPOTDECK_HOME='$HOME_DIR' SPOTDECK_LOG=info TERM=xterm-256color '$BIN' --demo --images halfblocks"
  seen=""
  for _ in $(seq 1 2000); do
    if tmux -L "$SOCK" capture-pane -p -t "run$i" 2>/dev/null | grep -q "Now playing on"; then
      seen="$(date +%s.%N)"
      break
    fi
    sleep 0.005
  done
  tmux -L "$SOCK" send-keys -t "run$i" q
  sleep 0.3
  tmux -L "$SOCK" kill-session -t "run$i" 2>/dev/null || true
  echo "$(cat "$HOME_DIR/t0") ${seen:-0} $HOME_DIR/state/spotdeck.log" >>"$RESULTS"
done

python3 - "$RESULTS" <<'PY'
import sys, re, statistics
from datetime import datetime

def ts(line):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z", line)
    if not m:
        return None
    s = m.group(1)
    head, frac = s.split(".")
    return datetime.fromisoformat(head + "+00:00").timestamp() + float("0." + frac)

rows = {"sim_up": [], "first_frame": [], "total": [], "data": []}
for line in open(sys.argv[1]):
    t0, seen, log = line.split()
    t0, seen = float(t0), float(seen)
    sim = frame = None
    for l in open(log, errors="replace"):
        if sim is None and "simulator listening" in l:
            sim = ts(l)
        if frame is None and "first frame drawn" in l:
            frame = ts(l)
    if sim is None or frame is None:
        print("run without the expected log lines:", log)
        continue
    rows["sim_up"].append((sim - t0) * 1e3)
    rows["first_frame"].append((frame - sim) * 1e3)
    rows["total"].append((frame - t0) * 1e3)
    if seen > 0:
        rows["data"].append((seen - t0) * 1e3)

def line(name, v, target=None):
    if not v:
        print(f"{name:<44} no samples"); return
    v = sorted(v)
    med = statistics.median(v)
    p95 = v[min(len(v) - 1, round(0.95 * (len(v) - 1)))]
    s = f"{name:<44} median {med:8.1f} ms  p95 {p95:8.1f} ms  min {v[0]:8.1f} ms  (n={len(v)})"
    if target:
        s += f"  target < {target} ms  ratio {med/target:.3f}  {'MET' if med < target else 'MISSED'}"
    print(s)

print("start-up of `spotdeck --demo` (release, tmux 120x40)")
line("process start -> simulator up", rows["sim_up"])
line("simulator up -> first frame drawn", rows["first_frame"], 50)
line("process start -> first frame drawn", rows["total"])
line("process start -> 'Now playing on' visible", rows["data"])
PY
