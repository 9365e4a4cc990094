//! The editor's publish loop, on a background thread so that typing never waits for it.
//! The editor hands it the document (an `Arc` snapshot, shared without copying) whenever a
//! change affects the page; the loop publishes at most once per interval, always the
//! latest document, and after a failure tries again with a growing pause (the interval
//! doubled per failure, up to five minutes). Status reports come home on a channel read
//! once per frame.

use super::publisher::Publisher;
use super::target::Target;
use crate::model::LiveBlog;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest pause between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishStatus {
    Publishing,
    Published {
        at: DateTime<Utc>,
        /// Files written ("3 files updated").
        written: usize,
        target: String,
    },
    Failed {
        at: DateTime<Utc>,
        /// A plain sentence.
        message: String,
        /// When the loop tries again by itself.
        retry_in: Duration,
    },
}

enum Request {
    Publish {
        blog: Arc<LiveBlog>,
        /// "Publish now": no waiting for the interval or a retry pause.
        now: bool,
    },
    /// Where the document is saved now, for its pictures.
    Document(Option<std::path::PathBuf>),
    Stop,
}

pub struct AutoPublisher {
    requests: Sender<Request>,
    statuses: Receiver<PublishStatus>,
    thread: Option<JoinHandle<()>>,
}

impl AutoPublisher {
    /// Starts the loop; `wake` is called after each status report (the editor asks for a
    /// repaint there).
    pub fn start(wake: impl Fn() + Send + 'static) -> Self {
        let (requests, inbox) = channel();
        let (report, statuses) = channel();
        let thread = std::thread::Builder::new()
            .name("newsdesk-publish".into())
            .spawn(move || {
                crate::background::lower_current_thread_priority();
                run(&inbox, &|status| {
                    let _ = report.send(status);
                    wake();
                });
            })
            .ok();
        Self {
            requests,
            statuses,
            thread,
        }
    }

    /// The page changed: publish this document when the interval allows.
    pub fn changed(&self, blog: Arc<LiveBlog>) {
        let _ = self.requests.send(Request::Publish { blog, now: false });
    }

    /// File > Publish now.
    /// The document is saved at `document` (or nowhere yet): its pictures are read from
    /// beside it on the next publish.
    pub fn set_document(&self, document: Option<std::path::PathBuf>) {
        let _ = self.requests.send(Request::Document(document));
    }

    pub fn publish_now(&self, blog: Arc<LiveBlog>) {
        let _ = self.requests.send(Request::Publish { blog, now: true });
    }

    /// The latest status reported since the last call, if any.
    pub fn latest_status(&self) -> Option<PublishStatus> {
        self.statuses.try_iter().last()
    }

    /// Waits for the next status report (for tests and the command line).
    pub fn next_status(&self, timeout: Duration) -> Option<PublishStatus> {
        self.statuses.recv_timeout(timeout).ok()
    }
}

impl Drop for AutoPublisher {
    fn drop(&mut self) {
        let _ = self.requests.send(Request::Stop);
        // A publish under way finishes on its own; the editor does not wait for it.
        drop(self.thread.take());
    }
}

fn interval_of(blog: &LiveBlog) -> Duration {
    Duration::from_secs(u64::from(blog.settings.publish.auto_publish_seconds.max(1)))
}

fn run(inbox: &Receiver<Request>, report: &dyn Fn(PublishStatus)) {
    let mut publisher = Publisher::new();
    let mut pending: Option<Arc<LiveBlog>> = None;
    let mut due: Option<Instant> = None;
    // No publish before this (the interval after the last one, or a retry pause).
    let mut not_before = Instant::now();
    let mut failures: u32 = 0;
    loop {
        let request = match due {
            Some(due) => match inbox.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(request) => Some(request),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match inbox.recv() {
                Ok(request) => Some(request),
                Err(_) => return,
            },
        };
        match request {
            Some(Request::Stop) => return,
            Some(Request::Document(document)) => {
                publisher.set_document(document.as_deref());
                continue;
            }
            Some(Request::Publish { blog, now }) => {
                pending = Some(blog);
                let when = if now { Instant::now() } else { not_before };
                due = Some(due.map_or(when, |due| due.min(when)));
                continue;
            }
            None => {}
        }
        let Some(blog) = pending.take() else {
            due = None;
            continue;
        };
        report(PublishStatus::Publishing);
        let interval = interval_of(&blog);
        let result = Target::of(&blog.settings.publish)
            .map_err(super::PublishError::from)
            .and_then(|target| {
                publisher
                    .publish(&blog, &target, Utc::now())
                    .map(|done| (target, done))
            });
        match result {
            Ok((target, done)) => {
                failures = 0;
                not_before = Instant::now() + interval;
                due = None;
                report(PublishStatus::Published {
                    at: Utc::now(),
                    written: done.written.len(),
                    target: target.to_string(),
                });
            }
            Err(error @ super::PublishError::Target(_)) => {
                // No target, or a mistyped one: retrying cannot help until the settings
                // change, which sends the document again.
                due = None;
                report(PublishStatus::Failed {
                    at: Utc::now(),
                    message: error.to_string(),
                    retry_in: Duration::ZERO,
                });
            }
            Err(error) => {
                failures = failures.saturating_add(1);
                let pause = interval
                    .saturating_mul(1 << failures.min(8))
                    .min(MAX_BACKOFF);
                not_before = Instant::now() + pause;
                due = Some(not_before);
                // Kept for the retry, unless a newer document arrives first.
                pending = Some(blog);
                report(PublishStatus::Failed {
                    at: Utc::now(),
                    message: error.to_string(),
                    retry_in: pause,
                });
            }
        }
    }
}
