//! A run of articles (the pinned ones, or the timeline) and their structured data,
//! written on several threads when it is long. The run is cut into many contiguous
//! shares; each thread takes the next share not yet taken, so a thread slowed by a busy
//! machine holds up little, and the shares are joined in order, so the page is the same
//! bytes whatever the scheduling. Each body is parsed once, for its HTML and its words.

use super::entry::{ArticleWords, EntryView, HeadlineLevel, PageContext};
use super::structured_data::push_postings;
use crate::model::Entry;
use maud::Render;
use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;

/// Below this many articles (a few milliseconds of work) one thread is quicker than
/// starting others, above all on a busy machine.
const PARALLEL_FROM: usize = 512;
/// More threads than this gain nothing on a page: the joins and the memory traffic dominate.
const MAX_THREADS: usize = 8;
/// Shares per thread: enough that the threads finish together even when one is slowed.
const SHARES_PER_THREAD: usize = 8;
/// Markup around a body, per article, for balancing the shares and sizing buffers.
const MARKUP_PER_ARTICLE: usize = 700;
/// The same for a `BlogPosting` around its words.
const POSTING_MARKUP: usize = 300;
/// The threads a long run is written with, asked of the system once.
static THREADS: OnceLock<usize> = OnceLock::new();
/// Articles written between two hand-overs to a [`Sink`]: a few hundred kilobytes.
const SINK_CHUNK: usize = 512;

/// Where a page goes while it is written: what the page's buffer holds is handed on after
/// each run of articles, so that a 100,000-post page is never whole in memory. The first
/// error is kept and ends the writing.
pub(crate) struct Sink<'w> {
    out: RefCell<&'w mut dyn std::io::Write>,
    error: RefCell<Option<std::io::Error>>,
}

impl<'w> Sink<'w> {
    pub fn new(out: &'w mut dyn std::io::Write) -> Self {
        Self {
            out: RefCell::new(out),
            error: RefCell::new(None),
        }
    }

    /// Writes out what `buffer` holds and empties it.
    pub fn drain(&self, buffer: &mut String) {
        let mut error = self.error.borrow_mut();
        if error.is_none()
            && let Err(failed) = self.out.borrow_mut().write_all(buffer.as_bytes())
        {
            *error = Some(failed);
        }
        buffer.clear();
    }

    /// Writes `text` out as it is.
    pub fn write(&self, text: &str) {
        let mut error = self.error.borrow_mut();
        if error.is_none()
            && let Err(failed) = self.out.borrow_mut().write_all(text.as_bytes())
        {
            *error = Some(failed);
        }
    }

    pub fn finish(self) -> std::io::Result<()> {
        match self.error.into_inner() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

pub(crate) struct Articles<'a, 's, 'w> {
    pub page: PageContext<'a>,
    pub entries: &'a [&'a Entry],
    pub level: HeadlineLevel,
    /// The page's canonical address, for each posting's URL.
    pub canonical: Option<&'a str>,
    /// Receives the run's `BlogPosting`s for the page's structured data.
    pub postings: &'a RefCell<Vec<Vec<u8>>>,
    /// Where the page is being written, when it is not built whole.
    pub sink: Option<&'s Sink<'w>>,
    /// Whether the page's structured data lists these articles (an archive page's does not).
    pub structured_data: bool,
}

impl Render for Articles<'_, '_, '_> {
    fn render_to(&self, buffer: &mut String) {
        // Short runs (an archive page's) never ask: the answer reads cgroup files each time,
        // which was 12% of a 2,000-page site export.
        let threads = if self.entries.len() < PARALLEL_FROM {
            1
        } else {
            *THREADS.get_or_init(|| {
                thread::available_parallelism()
                    .map_or(1, NonZeroUsize::get)
                    .min(MAX_THREADS)
            })
        };
        let writer = ShareWriter {
            page: self.page,
            level: self.level,
            canonical: self.canonical,
            structured_data: self.structured_data,
        };
        if threads < 2 || self.entries.len() < PARALLEL_FROM {
            let chunk = if self.sink.is_some() {
                SINK_CHUNK
            } else {
                self.entries.len().max(1)
            };
            for entries in self.entries.chunks(chunk) {
                let postings = writer.write_share(buffer, entries);
                self.postings.borrow_mut().push(postings);
                if let Some(sink) = self.sink {
                    sink.drain(buffer);
                }
            }
            return;
        }
        // Written out as they come, small shares keep little waiting in memory.
        let parts = match self.sink {
            Some(_) => (self.entries.len() / SINK_CHUNK).max(threads * SHARES_PER_THREAD),
            None => threads * SHARES_PER_THREAD,
        };
        let shares = split_by_weight(self.entries, parts);
        let next = AtomicUsize::new(0);
        // Shares written, waiting for the ones before them.
        let slots: Mutex<Vec<Option<Written>>> = Mutex::new(shares.iter().map(|_| None).collect());
        let take_share = || {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let share = shares.get(index)?;
            let written = writer.render_share(share);
            if let Ok(mut slots) = slots.lock() {
                slots[index] = Some(written);
            }
            Some(())
        };
        // Hands the shares done so far, in order, to the page (and on to the sink).
        let mut joined = 0;
        let join_ready = |buffer: &mut String, joined: &mut usize| {
            let mut postings = self.postings.borrow_mut();
            while let Some(written) = slots
                .lock()
                .ok()
                .and_then(|mut slots| slots.get_mut(*joined).and_then(Option::take))
            {
                buffer.push_str(&written.0);
                postings.push(written.1);
                *joined += 1;
                if let Some(sink) = self.sink {
                    sink.drain(buffer);
                }
            }
        };
        thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .filter_map(|_| {
                    thread::Builder::new()
                        .name("newsdesk-export".into())
                        .spawn_scoped(scope, || while take_share().is_some() {})
                        .ok()
                })
                .collect();
            while take_share().is_some() {
                join_ready(buffer, &mut joined);
            }
            for worker in workers {
                let _ = worker.join();
            }
        });
        join_ready(buffer, &mut joined);
        // A share whose thread died is written here.
        while joined < shares.len() {
            let (html, share_postings) = writer.render_share(shares[joined]);
            buffer.push_str(&html);
            self.postings.borrow_mut().push(share_postings);
            joined += 1;
            join_ready(buffer, &mut joined);
        }
    }
}

/// A share's articles and their postings.
type Written = (String, Vec<u8>);

/// What a thread needs to write a share: shared, read-only.
#[derive(Clone, Copy)]
struct ShareWriter<'a> {
    page: PageContext<'a>,
    level: HeadlineLevel,
    canonical: Option<&'a str>,
    structured_data: bool,
}

impl ShareWriter<'_> {
    fn render_share(&self, entries: &[&Entry]) -> (String, Vec<u8>) {
        let body_bytes: usize = entries.iter().map(|entry| entry.body.len()).sum();
        let mut html = String::with_capacity(body_bytes + MARKUP_PER_ARTICLE * entries.len());
        let postings = self.write_share(&mut html, entries);
        (html, postings)
    }

    /// Writes the articles into `buffer` and returns their postings.
    fn write_share(&self, buffer: &mut String, entries: &[&Entry]) -> Vec<u8> {
        let body_bytes: usize = entries.iter().map(|entry| entry.body.len()).sum();
        let words = RefCell::new(if self.structured_data {
            ArticleWords::with_capacity(entries.len(), body_bytes)
        } else {
            ArticleWords::with_capacity(0, 0)
        });
        for entry in entries {
            EntryView {
                page: &self.page,
                entry,
                level: self.level,
                words: self.structured_data.then_some(&words),
            }
            .render_to(buffer);
            // One article per line keeps successive exports easy to compare.
            buffer.push('\n');
        }
        if !self.structured_data {
            return Vec::new();
        }
        let mut postings = Vec::with_capacity(body_bytes + POSTING_MARKUP * entries.len());
        push_postings(&mut postings, entries, &words.borrow(), self.canonical);
        postings
    }
}

/// `parts` contiguous shares of about equal text, in order.
fn split_by_weight<'e, 'a>(entries: &'e [&'a Entry], parts: usize) -> Vec<&'e [&'a Entry]> {
    let weight = |entry: &&Entry| entry.body.len() + MARKUP_PER_ARTICLE;
    let total: usize = entries.iter().map(weight).sum();
    let mut shares = Vec::with_capacity(parts);
    let mut start = 0;
    let mut running = 0;
    for (index, entry) in entries.iter().enumerate() {
        running += weight(entry);
        let boundary = total * (shares.len() + 1) / parts;
        if running >= boundary && shares.len() + 1 < parts {
            shares.push(&entries[start..=index]);
            start = index + 1;
        }
    }
    shares.push(&entries[start..]);
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn shares_cover_every_entry_once_in_order() {
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let entries: Vec<Entry> = (0..103)
            .map(|index| {
                let id = crate::model::EntryId::new(format!("p{index}")).unwrap();
                let mut entry = Entry::new_post(id, now);
                entry.body = "words ".repeat(index % 17);
                entry
            })
            .collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        for parts in 1..=9 {
            let shares = split_by_weight(&refs, parts);
            assert_eq!(shares.len(), parts);
            let joined: Vec<&str> = shares
                .iter()
                .flat_map(|s| s.iter().map(|e| e.id.as_str()))
                .collect();
            let all: Vec<&str> = refs.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(joined, all);
        }
        assert_eq!(split_by_weight(&[], 3).concat().len(), 0);
    }
}
