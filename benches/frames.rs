//! Headless frames of the real app (its `ui` plus tessellation), timed one by one so that
//! percentiles can be taken: scrolling with random jumps, typing into one entry, and
//! frames while a save runs in the background.

use crate::measure::percentile;
use egui::{Event, Key, Modifiers, MouseWheelUnit, Pos2, RawInput, Rect, Vec2};
use newsdesk::ui::NewsdeskApp;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

const SCREEN: Vec2 = Vec2::new(1400.0, 900.0);
/// Over the timeline, which sits on the left.
const TIMELINE_POINT: Pos2 = Pos2::new(150.0, 450.0);

pub struct Frames {
    ctx: egui::Context,
    pub app: NewsdeskApp,
    time: f64,
}

impl Frames {
    pub fn new(app: NewsdeskApp) -> Self {
        let mut frames = Self {
            ctx: egui::Context::default(),
            app,
            time: 0.0,
        };
        // Fonts, first layout and caches are paid before timing starts.
        for _ in 0..20 {
            frames.frame(Vec::new());
        }
        frames
    }

    /// The context the app runs in (to start what needs one, such as joining a room).
    pub fn ctx(&self) -> egui::Context {
        self.ctx.clone()
    }

    /// Runs one frame with `events` and returns its duration in seconds.
    pub fn frame(&mut self, events: Vec<Event>) -> f64 {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            events,
            ..RawInput::default()
        };
        let app = &mut self.app;
        let start = Instant::now();
        let output = self.ctx.run_ui(input, |ui| app.ui(ui));
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed().as_secs_f64();
        std::hint::black_box(primitives);
        elapsed
    }

    /// Frames scrolling the timeline by wheel, with a jump to a random entry every tenth.
    pub fn scrolling(&mut self, count: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let ids: Vec<_> = self
            .app
            .blog()
            .entries
            .iter()
            .map(|e| e.id.clone())
            .collect();
        let mut times = Vec::with_capacity(count);
        self.frame(vec![Event::PointerMoved(TIMELINE_POINT)]);
        for index in 0..count {
            if index % 10 == 0 && !ids.is_empty() {
                self.app.select(ids[rng.random_range(0..ids.len())].clone());
            }
            let wheel = Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: Vec2::new(0.0, rng.random_range(-400.0..400.0)),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            };
            times.push(self.frame(vec![wheel]));
        }
        times
    }

    /// Frames each typing one character into the body of an entry mid-timeline.
    pub fn typing(&mut self, count: usize) -> Vec<f64> {
        // The middle of the timeline: typing there must not cost a search from the top.
        let entries = &self.app.blog().entries;
        let Some(first) = entries.get(entries.len() / 2).map(|e| e.id.clone()) else {
            return Vec::new();
        };
        self.app.select(first.clone());
        self.frame(Vec::new());
        let body = newsdesk::ui::body_field_id(&first);
        self.ctx.memory_mut(|memory| memory.request_focus(body));
        self.frame(Vec::new());
        (0..count)
            .map(|index| {
                let letter = if index % 6 == 5 { " " } else { "e" };
                self.frame(vec![Event::Text(letter.into())])
            })
            .collect()
    }

    /// After `typing` (the body has focus): `rounds` times, Ctrl+S then one keystroke
    /// timed while the save still holds its snapshot of the document; then the save is
    /// waited for, untimed.
    pub fn first_keystrokes_after_save(&mut self, rounds: usize) -> Vec<f64> {
        self.keystrokes_after_saves(rounds, false)
    }

    /// The first keystroke after Ctrl+S once the save has finished (no snapshot held any
    /// more): what the first edit of a saved document costs by itself.
    pub fn first_keystrokes_after_finished_save(&mut self, rounds: usize) -> Vec<f64> {
        self.keystrokes_after_saves(rounds, true)
    }

    fn keystrokes_after_saves(&mut self, rounds: usize, after_save_finished: bool) -> Vec<f64> {
        let ctrl_s = ctrl_s();
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            self.frame(vec![ctrl_s.clone()]);
            if !self.app.is_busy() {
                // Nothing was saved (nothing to save, or no file): nothing to measure.
                continue;
            }
            if !after_save_finished {
                times.push(self.frame(vec![Event::Text("e".into())]));
            }
            while self.app.is_busy() {
                std::thread::sleep(std::time::Duration::from_millis(5));
                self.frame(Vec::new());
            }
            if after_save_finished {
                times.push(self.frame(vec![Event::Text("e".into())]));
            }
        }
        times
    }

    /// Idle frames (a slowly moving pointer), for comparison with frames during a save.
    pub fn idle(&mut self, count: usize) -> Vec<f64> {
        (0..count)
            .map(|index| {
                let point = Pos2::new(700.0 + (index % 50) as f32, 400.0);
                self.frame(vec![Event::PointerMoved(point)])
            })
            .collect()
    }

    /// Presses Ctrl+S and times frames until the background save has finished.
    pub fn during_save(&mut self, limit: usize) -> Vec<f64> {
        let ctrl_s = ctrl_s();
        self.frame(vec![ctrl_s]);
        let mut times = Vec::new();
        let mut index = 0;
        while self.app.is_busy() && times.len() < limit {
            let point = Pos2::new(700.0 + (index % 50) as f32, 400.0);
            times.push(self.frame(vec![Event::PointerMoved(point)]));
            index += 1;
        }
        times
    }
}

/// Ctrl+S pressed.
fn ctrl_s() -> Event {
    Event::Key {
        key: Key::S,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    }
}

pub fn p95(times: &[f64]) -> f64 {
    percentile(times, 0.95)
}
