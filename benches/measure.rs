//! Timing through criterion, keeping each benchmark's per-iteration times so that ratios
//! between benchmarks of the same run can be computed afterwards.

use criterion::Criterion;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Instant;

#[derive(Default)]
pub struct Recorder {
    samples: RefCell<HashMap<String, Vec<f64>>>,
}

impl Recorder {
    /// Benchmarks `routine` under `name` and returns its median time per call in seconds.
    pub fn run<T>(
        &self,
        criterion: &mut Criterion,
        name: &str,
        mut routine: impl FnMut() -> T,
    ) -> f64 {
        criterion.bench_function(name, |bencher| {
            bencher.iter_custom(|iterations| {
                let start = Instant::now();
                for _ in 0..iterations {
                    black_box(routine());
                }
                let elapsed = start.elapsed();
                self.samples
                    .borrow_mut()
                    .entry(name.to_owned())
                    .or_default()
                    .push(elapsed.as_secs_f64() / iterations.max(1) as f64);
                elapsed
            })
        });
        self.median(name)
    }

    pub fn median(&self, name: &str) -> f64 {
        let samples = self.samples.borrow();
        let Some(times) = samples.get(name) else {
            return f64::NAN;
        };
        percentile(times, 0.5)
    }
}

/// The `fraction` percentile (0.95 for p95) of `values`, by nearest rank.
pub fn percentile(values: &[f64], fraction: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
