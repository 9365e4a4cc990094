//! Deterministic synthetic live blogs of realistic shape, for demos and benchmarks.

use crate::model::{
    BlogStatus, Byline, Entry, EntryKind, EntryStatus, ExtraZone, LiveBlog, Media, ZoneLabel,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SUBJECTS: &[&str] = &[
    "The foreign minister",
    "A government spokesperson",
    "Officials in Kyiv",
    "The prime minister",
    "Our correspondent",
    "The European Commission",
    "Talks in Riyadh",
    "Opposition leaders",
    "The defence secretary",
    "Analysts",
];
const VERBS: &[&str] = &[
    "said",
    "warned",
    "confirmed",
    "insisted",
    "suggested",
    "denied",
    "announced",
    "reiterated",
];
const CLAUSES: &[&str] = &[
    "that negotiations would continue into the evening",
    "a ceasefire was not yet on the table",
    "sanctions could be eased as part of a settlement",
    "Europe must have a seat at the table",
    "a second round of talks is expected next week",
    "the delegations met for four-and-a-half hours",
    "no date has been set for a leaders' meeting",
    "humanitarian corridors remain the priority",
    "the markets reacted calmly to the news",
    "troops would not be deployed without a mandate",
];
const QUOTES: &[&str] = &[
    "We are not going to predetermine what those are.",
    "One meeting is not sufficient to establish enduring peace.",
    "Negotiations should not take place behind our backs.",
    "A lot of work remains before we can have a result.",
];
const HEADLINES: &[&str] = &[
    "Talks resume after short break",
    "Kremlin responds to Washington",
    "European leaders call emergency meeting",
    "What we know so far",
    "Markets steady as talks continue",
    "Zelenskyy postpones visit",
    "Analysis: a turning point?",
];
const WRITERS: &[(&str, &str)] = &[
    ("Deborah Haynes", "security and defence editor"),
    ("Alix Culbertson", "political reporter"),
    ("Mark Stone", "US correspondent"),
    ("Diana Magnay", "international correspondent"),
    ("Ollie Cooper", "live reporter"),
];

/// A blog of `posts` entries, the same for the same `seed`.
pub fn generate(posts: usize, seed: u64) -> LiveBlog {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let latest = Utc
        .with_ymd_and_hms(2025, 2, 18, 14, 47, 0)
        .single()
        .unwrap_or_default();
    let mut blog = LiveBlog::new("Ukraine war latest: synthetic coverage", latest);
    blog.settings.standfirst =
        "A generated live page for demonstrations and benchmarks. Follow updates here.".into();
    blog.settings.slug = format!("generated-{posts}-{seed}");
    blog.settings.canonical_url = Some(format!(
        "https://news.example.com/live/{}",
        blog.settings.slug
    ));
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Europe::London, "UK");
    blog.settings.extra_zones = vec![ExtraZone::new(chrono_tz::Asia::Riyadh, "Saudi Arabia")];
    blog.settings.status = BlogStatus::Live;

    let mut time = latest;
    let mut entries = Vec::with_capacity(posts);
    for index in 0..posts {
        let entry = generate_entry(&mut rng, index, time, &entries);
        time -= Duration::seconds(rng.random_range(45..900));
        entries.push(entry);
    }
    blog.settings.coverage_start = entries
        .last()
        .map(|entry: &Entry| entry.display_time - Duration::minutes(5))
        .unwrap_or(latest);
    let summaries = (posts / 2000).clamp(1, 3).min(posts);
    for entry in entries
        .iter_mut()
        .step_by((posts / summaries.max(1)).max(1))
        .take(summaries)
    {
        entry.kind = EntryKind::Summary;
        entry.status = EntryStatus::Published;
        entry.headline = "If you're just joining us, here's what you need to know".into();
        blog.pinned.push(entry.id.clone());
    }
    blog.entries = entries.into_iter().map(std::sync::Arc::new).collect();
    blog
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn sentence(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {} {}.",
        pick(rng, SUBJECTS),
        pick(rng, VERBS),
        pick(rng, CLAUSES)
    )
}

fn generate_entry(
    rng: &mut ChaCha8Rng,
    index: usize,
    time: DateTime<Utc>,
    earlier: &[Entry],
) -> Entry {
    let id = crate::model::EntryId::new(format!("post-{index}"))
        .expect("post- and digits form a valid id");
    let mut entry = Entry::new_post(id, time);
    entry.status = if rng.random_bool(0.05) {
        EntryStatus::Draft
    } else {
        EntryStatus::Published
    };
    entry.modified = time + Duration::seconds(rng.random_range(0..120));
    if rng.random_bool(0.3) {
        entry.headline = pick(rng, HEADLINES).to_string();
    }
    if rng.random_bool(0.4) {
        let (name, role) = *pick(rng, WRITERS);
        entry.bylines.push(Byline {
            name: name.into(),
            role: role.into(),
        });
    }
    // Lengths vary as on a real page: mostly short updates, a few long analyses.
    let paragraphs = match rng.random_range(0..100) {
        0..60 => rng.random_range(1..3),
        60..95 => rng.random_range(3..6),
        _ => rng.random_range(6..14),
    };
    let mut body = Vec::with_capacity(paragraphs + 2);
    for _ in 0..paragraphs {
        let sentences = rng.random_range(1..4);
        body.push(
            (0..sentences)
                .map(|_| sentence(rng))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if rng.random_bool(0.25) {
        body.push(format!("> “{}”", pick(rng, QUOTES)));
    }
    if rng.random_bool(0.1) {
        body.push(format!("> For context: {}", sentence(rng)));
    }
    if rng.random_bool(0.1)
        && let Some(target) = earlier.get(rng.random_range(0..earlier.len().max(1)))
    {
        body.push(format!("Read more in [our earlier post](#{}).", target.id));
    }
    entry.body = body.join("\n\n");
    entry.flags.key_event = rng.random_bool(0.08);
    entry.flags.breaking = rng.random_bool(0.02);
    if entry.flags.key_event && entry.headline.is_empty() {
        entry.headline = pick(rng, HEADLINES).to_string();
    }
    entry.media = match rng.random_range(0..100) {
        0..10 => Some(Media::Image {
            url: format!("https://images.example.com/live/{index}.jpg"),
            alt: "Delegations seated at a long table in Riyadh".into(),
            caption: "The talks in Riyadh. Pic: Reuters".into(),
        }),
        10..13 => Some(Media::Video {
            url: format!("https://www.youtube.com/watch?v=vid{index:08}"),
            caption: "Could this mark a turning point for the war?".into(),
        }),
        _ => None,
    };
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_sound() {
        let first = generate(300, 7);
        assert_eq!(first, generate(300, 7));
        assert_ne!(first, generate(300, 8));
        assert_eq!(first.entries.len(), 300);
        assert!(first.violations().is_empty());
        assert!(!first.pinned.is_empty());
        assert!(first.entries.iter().any(|e| e.is_draft()));
        assert!(first.entries.iter().any(|e| e.media.is_some()));
        // Newest first.
        assert!(
            first
                .entries
                .iter()
                .zip(first.entries.iter().skip(1))
                .all(|(newer, older)| newer.display_time >= older.display_time)
        );
    }

    #[test]
    fn tiny_blogs_generate() {
        assert!(generate(0, 1).entries.is_empty());
        assert_eq!(generate(1, 1).pinned.len(), 1);
    }
}
