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

pub(crate) struct Articles<'a> {
    pub page: PageContext<'a>,
    pub entries: &'a [&'a Entry],
    pub level: HeadlineLevel,
    /// The page's canonical address, for each posting's URL.
    pub canonical: Option<&'a str>,
    /// Receives the run's `BlogPosting`s for the page's structured data.
    pub postings: &'a RefCell<Vec<Vec<u8>>>,
}

impl Render for Articles<'_> {
    fn render_to(&self, buffer: &mut String) {
        let threads = thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(MAX_THREADS);
        let writer = ShareWriter {
            page: self.page,
            level: self.level,
            canonical: self.canonical,
        };
        if threads < 2 || self.entries.len() < PARALLEL_FROM {
            let postings = writer.write_share(buffer, self.entries);
            self.postings.borrow_mut().push(postings);
            return;
        }
        let shares = split_by_weight(self.entries, threads * SHARES_PER_THREAD);
        let next = AtomicUsize::new(0);
        // Takes shares until none is left; returns them with their places.
        let take_shares = || {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(share) = shares.get(index) else {
                    return done;
                };
                done.push((index, writer.render_share(share)));
            }
        };
        let mut slots: Vec<Option<(String, Vec<u8>)>> = shares.iter().map(|_| None).collect();
        thread::scope(|scope| {
            let workers: Vec<_> = (1..threads)
                .filter_map(|_| {
                    thread::Builder::new()
                        .name("newsdesk-export".into())
                        .spawn_scoped(scope, take_shares)
                        .ok()
                })
                .collect();
            let mut done = take_shares();
            for worker in workers {
                done.extend(worker.join().unwrap_or_default());
            }
            for (index, written) in done {
                slots[index] = Some(written);
            }
        });
        // A share whose thread could not start or died is written here.
        let written = slots
            .into_iter()
            .zip(&shares)
            .map(|(slot, share)| slot.unwrap_or_else(|| writer.render_share(share)));
        let mut postings = self.postings.borrow_mut();
        for (html, share_postings) in written {
            buffer.push_str(&html);
            postings.push(share_postings);
        }
    }
}

/// What a thread needs to write a share: shared, read-only.
#[derive(Clone, Copy)]
struct ShareWriter<'a> {
    page: PageContext<'a>,
    level: HeadlineLevel,
    canonical: Option<&'a str>,
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
        let words = RefCell::new(ArticleWords::with_capacity(entries.len(), body_bytes));
        for entry in entries {
            EntryView {
                page: &self.page,
                entry,
                level: self.level,
                words: Some(&words),
            }
            .render_to(buffer);
            // One article per line keeps successive exports easy to compare.
            buffer.push('\n');
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
