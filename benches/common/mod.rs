//! A small timing harness shared by the benches: run a closure many times,
//! print the median and p95 and the ratio of the median to a target.
#![allow(dead_code)]

pub mod player;

use std::time::{Duration, Instant};

/// Timing summary of one benchmark.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// Median time per iteration.
    pub median: Duration,
    /// 95th percentile per iteration.
    pub p95: Duration,
    /// Fastest iteration.
    pub min: Duration,
}

/// Runs `f` `warmup` times untimed, then `iters` times timed, one sample per call.
pub fn measure(warmup: usize, iters: usize, mut f: impl FnMut()) -> Summary {
    for _ in 0..warmup {
        f();
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    summarize(&mut samples)
}

/// Median, p95 and minimum of `samples` (sorted in place).
pub fn summarize(samples: &mut [Duration]) -> Summary {
    assert!(!samples.is_empty(), "no samples");
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Summary {
        median: at(0.5),
        p95: at(0.95),
        min: samples[0],
    }
}

/// Prints one result line: `name  median  p95  target  ratio  MET/MISSED`.
pub fn report(name: &str, s: Summary, target: Duration) {
    let ratio = s.median.as_secs_f64() / target.as_secs_f64();
    println!(
        "{name:<48} median {:>10.3?}  p95 {:>10.3?}  min {:>10.3?}  target < {:?}  ratio {ratio:.4}  {}",
        s.median,
        s.p95,
        s.min,
        target,
        if s.median < target { "MET" } else { "MISSED" }
    );
}

/// Prints a single measured value against a target.
pub fn report_value(name: &str, value: Duration, target: Duration, extra: &str) {
    let ratio = value.as_secs_f64() / target.as_secs_f64();
    println!(
        "{name:<48} {value:>10.3?}  target < {target:?}  ratio {ratio:.3}  {}  {extra}",
        if value < target { "MET" } else { "MISSED" }
    );
}
