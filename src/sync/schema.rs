//! How a live blog is laid out in the Loro document: the one place that knows the keys.
//!
//! ```text
//! root map "meta"       format: i64 (FORMAT = 1)           (written once by the creator)
//! root map "settings"   last writer wins per key:
//!     title, standfirst, slug, language: string
//!     canonical_url: string | null
//!     time_zone: IANA name, time_zone_label: string
//!     extra_zones: JSON string of [{"zone": IANA name, "label": string}]
//!     coverage_start: i64 ms, coverage_end: i64 ms | null
//!     status: "live" | "ended"
//! root movable list "entries", one map per entry, never removed (see `deleted`):
//!     id: string                      the entry id (see "Same id twice" below)
//!     kind: "post" | "summary"
//!     status: "draft" | "ready" | "published" | "scheduled RFC3339-TIME"
//!                                     ("scheduled 2025-02-18T14:30:00Z"; one string, so the
//!                                     time and the status change together, last writer wins)
//!     key_event, breaking: bool
//!     display_time, created, modified: i64 milliseconds since 1970 UTC
//!     bylines: JSON string of [{"name", "role"}]   media: JSON string of Media | null
//!                                     (whole values: last writer wins; nobody merges half a byline)
//!     headline, body, correction: LoroText (concurrent typing merges)
//!     deleted: bool                   a tombstone: a concurrent move cannot bring a post back
//! root movable list "pinned": entry ids (strings), in pinned order
//! ```
//!
//! Reading is forgiving and deterministic, so every replica reads the same document from the
//! same state, whatever a hostile or buggy peer wrote: a value of the wrong type falls back to
//! the field's default (a draft, no media, the epoch for a time), a list item that is not a map
//! or has no valid id is hidden, tombstones are hidden, pinned ids are deduplicated (first one
//! wins) and ids that name no visible entry are dropped, and a coverage end before its start is
//! raised to the start.
//!
//! Statuses added after the first editors shipped ("ready", "scheduled …") read as drafts in
//! an editor that predates them (never in print by mistake), so `FORMAT` stayed 1 and such
//! editors can still join the room.
//!
//! Same id twice: two editors can create an entry with the same id at once ("post-20250218-
//! 144700" made in the same second). The entry whose container was created first by Loro's
//! container-id order (counter, then peer) keeps the id; each other one is shown under a
//! derived id, `BASE__COUNTER_PEER` (hex peer), so no post is lost and no id appears twice.
//! Ids containing `__` are reserved for this: a document using one is refused by `create`, and
//! a peer writing one is ignored.

use crate::edit::BlogSettings;
use crate::model::{
    BlogStatus, Byline, Entry, EntryId, EntryKind, EntryStatus, ExtraZone, Flags, LiveBlog, Media,
    Zone, ZoneLabel,
};
use chrono::{DateTime, Datelike, Utc};
use loro::{Container, ContainerID, LoroMap, LoroText, LoroValue, ValueOrContainer};

/// The version of this layout. A reader refuses a higher one.
pub const FORMAT: i64 = 1;

pub const META: &str = "meta";
pub const FORMAT_KEY: &str = "format";
pub const SETTINGS: &str = "settings";
pub const ENTRIES: &str = "entries";
pub const PINNED: &str = "pinned";

pub mod key {
    pub const ID: &str = "id";
    pub const KIND: &str = "kind";
    pub const STATUS: &str = "status";
    pub const KEY_EVENT: &str = "key_event";
    pub const BREAKING: &str = "breaking";
    pub const DISPLAY_TIME: &str = "display_time";
    pub const CREATED: &str = "created";
    pub const MODIFIED: &str = "modified";
    pub const BYLINES: &str = "bylines";
    pub const MEDIA: &str = "media";
    pub const HEADLINE: &str = "headline";
    pub const BODY: &str = "body";
    pub const CORRECTION: &str = "correction";
    pub const DELETED: &str = "deleted";

    pub const TITLE: &str = "title";
    pub const STANDFIRST: &str = "standfirst";
    pub const SLUG: &str = "slug";
    pub const CANONICAL_URL: &str = "canonical_url";
    pub const LANGUAGE: &str = "language";
    pub const TIME_ZONE: &str = "time_zone";
    pub const TIME_ZONE_LABEL: &str = "time_zone_label";
    pub const EXTRA_ZONES: &str = "extra_zones";
    pub const COVERAGE_START: &str = "coverage_start";
    pub const COVERAGE_END: &str = "coverage_end";
    pub const BLOG_STATUS: &str = "status";
    /// The publish settings as one JSON value: the desk publishes one page, to one place.
    pub const PUBLISH: &str = "publish";
}

/// The text fields, each a `LoroText` in the entry's map.
pub const TEXT_KEYS: [&str; 3] = [key::HEADLINE, key::BODY, key::CORRECTION];

/// `model::id::MAX_ID_LEN`, which `model` does not export.
const MAX_ID_LEN: usize = 64;

/// Marks derived ids; raw ids containing it are reserved.
const DERIVED_MARK: &str = "__";

/// Whether `id` may be stored as an entry id in a shared blog.
pub fn is_reserved(id: &EntryId) -> bool {
    id.as_str().contains(DERIVED_MARK)
}

/// The id shown for an entry that lost its id to an earlier one: unique because the container
/// id is, and never equal to a raw id because raw ids may not contain `__`.
pub fn derived_id(base: &EntryId, container: &ContainerID) -> EntryId {
    let (counter, peer) = container_order(container);
    let suffix = format!("{DERIVED_MARK}{counter}_{peer:x}");
    let keep = MAX_ID_LEN.saturating_sub(suffix.len());
    // Ids are ASCII, so cutting at a byte index is cutting at a character.
    let base = &base.as_str()[..base.as_str().len().min(keep)];
    EntryId::new(format!("{base}{suffix}"))
        // A base of at least one letter plus digits, '_' and hex is always valid.
        .unwrap_or_else(|_| base_fallback(counter, peer))
}

fn base_fallback(counter: u64, peer: u64) -> EntryId {
    EntryId::new(format!("entry{DERIVED_MARK}{counter}_{peer:x}"))
        .unwrap_or_else(|_| EntryId::new("entry").unwrap_or_else(|_| unreachable!()))
}

/// A total order on entry containers: who keeps a contested id. Counter first, so the
/// container made earlier in its peer's history tends to win, then peer.
pub fn container_order(container: &ContainerID) -> (u64, u64) {
    match container {
        ContainerID::Normal { peer, counter, .. } => (u64::from(counter.unsigned_abs()), *peer),
        // Root containers are never list items; they sort last.
        ContainerID::Root { .. } => (u64::MAX, u64::MAX),
    }
}

// ---------------------------------------------------------------------------------------------
// Times

/// The earliest and latest instants a shared blog accepts: years 1 to 9999, which every
/// format Newsdesk writes can hold.
fn time_bounds() -> (i64, i64) {
    (-62_135_596_800_000, 253_402_300_799_999)
}

pub fn time_value(time: DateTime<Utc>) -> LoroValue {
    LoroValue::I64(time.timestamp_millis())
}

/// A stored time, or `None` when it is missing, of the wrong type, or absurd.
pub fn read_time(value: Option<LoroValue>) -> Option<DateTime<Utc>> {
    let millis = match value? {
        LoroValue::I64(millis) => millis,
        _ => return None,
    };
    let (lo, hi) = time_bounds();
    if !(lo..=hi).contains(&millis) {
        return None;
    }
    DateTime::from_timestamp_millis(millis).filter(|time| (1..=9999).contains(&time.year()))
}

/// Model times are rounded to whole milliseconds on the way in, so a blog read back from the
/// shared document equals the one shared.
pub fn round_to_millis(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(time.timestamp_millis()).unwrap_or(time)
}

// ---------------------------------------------------------------------------------------------
// Reading values forgivingly

pub fn plain_value(map: &LoroMap, key: &str) -> Option<LoroValue> {
    match map.get(key)? {
        ValueOrContainer::Value(value) => Some(value),
        ValueOrContainer::Container(_) => None,
    }
}

pub fn read_string(map: &LoroMap, key: &str) -> Option<String> {
    match plain_value(map, key)? {
        LoroValue::String(text) => Some(text.to_string()),
        _ => None,
    }
}

pub fn read_bool(map: &LoroMap, key: &str) -> Option<bool> {
    match plain_value(map, key)? {
        LoroValue::Bool(value) => Some(value),
        _ => None,
    }
}

/// A text field: normally a `LoroText`; a plain string written by another tool is read too.
pub fn read_text(map: &LoroMap, key: &str) -> String {
    match map.get(key) {
        Some(ValueOrContainer::Container(Container::Text(text))) => text.to_string(),
        Some(ValueOrContainer::Value(LoroValue::String(text))) => text.to_string(),
        _ => String::new(),
    }
}

pub fn text_container(map: &LoroMap, key: &str) -> Option<LoroText> {
    match map.get(key)? {
        ValueOrContainer::Container(Container::Text(text)) => Some(text),
        _ => None,
    }
}

/// The entry's id as stored, if it is one a shared blog accepts.
pub fn read_raw_id(map: &LoroMap) -> Option<EntryId> {
    let id = EntryId::new(read_string(map, key::ID)?).ok()?;
    (!is_reserved(&id)).then_some(id)
}

/// Only an explicit `false` (or no key at all) keeps an entry alive: a tombstone of the wrong
/// type still hides the entry, which is the safe way to be wrong.
pub fn read_deleted(map: &LoroMap) -> bool {
    match map.get(key::DELETED) {
        None => false,
        Some(ValueOrContainer::Value(LoroValue::Bool(deleted))) => deleted,
        Some(_) => true,
    }
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Post => "post",
        EntryKind::Summary => "summary",
    }
}

/// The word before a scheduled entry's time in its status string.
const SCHEDULED: &str = "scheduled ";

fn status_name(status: EntryStatus) -> String {
    match status {
        EntryStatus::Draft => "draft".into(),
        EntryStatus::Ready => "ready".into(),
        EntryStatus::Published => "published".into(),
        // Full precision, so the status reads back exactly as it was set.
        EntryStatus::Scheduled { at } => format!(
            "{SCHEDULED}{}",
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
    }
}

/// A status string as stored; `None` for anything this version does not know.
fn parse_status(text: &str) -> Option<EntryStatus> {
    match text {
        "draft" => Some(EntryStatus::Draft),
        "ready" => Some(EntryStatus::Ready),
        "published" => Some(EntryStatus::Published),
        _ => {
            let time = text.strip_prefix(SCHEDULED)?;
            let at = DateTime::parse_from_rfc3339(time).ok()?.with_timezone(&Utc);
            (1..=9999)
                .contains(&at.year())
                .then_some(EntryStatus::Scheduled { at })
        }
    }
}

pub fn read_kind(map: &LoroMap) -> EntryKind {
    match read_string(map, key::KIND).as_deref() {
        Some("summary") => EntryKind::Summary,
        _ => EntryKind::Post,
    }
}

/// An unknown or unreadable status (a newer editor's, a scheduled time that is not a
/// time) is a draft: it never puts a post in print.
pub fn read_status(map: &LoroMap) -> EntryStatus {
    read_string(map, key::STATUS)
        .as_deref()
        .and_then(parse_status)
        .unwrap_or(EntryStatus::Draft)
}

pub fn read_flags(map: &LoroMap) -> Flags {
    Flags {
        key_event: read_bool(map, key::KEY_EVENT).unwrap_or(false),
        breaking: read_bool(map, key::BREAKING).unwrap_or(false),
    }
}

pub fn read_entry_time(map: &LoroMap, key: &str) -> DateTime<Utc> {
    read_time(plain_value(map, key)).unwrap_or(DateTime::UNIX_EPOCH)
}

pub fn read_bylines(map: &LoroMap) -> Vec<Byline> {
    read_string(map, key::BYLINES)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn read_media(map: &LoroMap) -> Option<Media> {
    read_string(map, key::MEDIA).and_then(|json| serde_json::from_str(&json).ok())
}

/// The entry stored in `map`, shown under `id`.
pub fn read_entry(map: &LoroMap, id: EntryId) -> Entry {
    Entry {
        id,
        kind: read_kind(map),
        display_time: read_entry_time(map, key::DISPLAY_TIME),
        created: read_entry_time(map, key::CREATED),
        modified: read_entry_time(map, key::MODIFIED),
        status: read_status(map),
        flags: read_flags(map),
        headline: read_text(map, key::HEADLINE),
        bylines: read_bylines(map),
        body: read_text(map, key::BODY),
        media: read_media(map),
        correction: read_text(map, key::CORRECTION),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

pub fn bylines_value(bylines: &[Byline]) -> LoroValue {
    // Serialising plain strings cannot fail; an empty list is the safe fallback anyway.
    LoroValue::from(serde_json::to_string(bylines).unwrap_or_else(|_| "[]".into()))
}

pub fn media_value(media: &Option<Media>) -> LoroValue {
    match media {
        None => LoroValue::Null,
        Some(media) => serde_json::to_string(media)
            .map(LoroValue::from)
            .unwrap_or(LoroValue::Null),
    }
}

pub fn kind_value(kind: EntryKind) -> LoroValue {
    LoroValue::from(kind_name(kind))
}

pub fn status_value(status: EntryStatus) -> LoroValue {
    LoroValue::from(status_name(status))
}

/// Writes every field of `entry` into `map` (a new or revived entry). Text fields go through
/// `set_text`, so reviving a tombstone keeps its text history.
pub fn write_entry(map: &LoroMap, entry: &Entry) -> loro::LoroResult<()> {
    map.insert(key::ID, entry.id.as_str())?;
    map.insert(key::KIND, kind_value(entry.kind))?;
    map.insert(key::STATUS, status_value(entry.status))?;
    map.insert(key::KEY_EVENT, entry.flags.key_event)?;
    map.insert(key::BREAKING, entry.flags.breaking)?;
    map.insert(key::DISPLAY_TIME, time_value(entry.display_time))?;
    map.insert(key::CREATED, time_value(entry.created))?;
    map.insert(key::MODIFIED, time_value(entry.modified))?;
    map.insert(key::BYLINES, bylines_value(&entry.bylines))?;
    map.insert(key::MEDIA, media_value(&entry.media))?;
    set_text(map, key::HEADLINE, &entry.headline)?;
    set_text(map, key::BODY, &entry.body)?;
    set_text(map, key::CORRECTION, &entry.correction)?;
    map.insert(key::DELETED, false)?;
    Ok(())
}

/// Sets a text field to `new` by splicing only the changed middle (common prefix and suffix
/// kept), so a colleague's concurrent typing elsewhere in the same body survives. An egui
/// text field changes one contiguous range per frame, which this reproduces exactly, in
/// linear time and without the time-outs of a full diff.
pub fn set_text(map: &LoroMap, key: &str, new: &str) -> loro::LoroResult<()> {
    let text = match text_container(map, key) {
        Some(text) => text,
        None => map.insert_container(key, LoroText::new())?,
    };
    let old = text.to_string();
    if old == new {
        return Ok(());
    }
    let (start, old_middle, new_middle) = changed_middle(&old, new);
    if old_middle > 0 {
        text.delete(start, old_middle)?;
    }
    if !new_middle.is_empty() {
        text.insert(start, new_middle)?;
    }
    Ok(())
}

/// Where `old` and `new` differ: the start (in characters), the number of characters of `old`
/// replaced, and the text that replaces them.
fn changed_middle<'a>(old: &str, new: &'a str) -> (usize, usize, &'a str) {
    let prefix_chars = old
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let prefix_bytes_new: usize = new.chars().take(prefix_chars).map(char::len_utf8).sum();
    let old_rest: Vec<char> = old.chars().skip(prefix_chars).collect();
    let new_rest = &new[prefix_bytes_new..];
    let suffix_chars = old_rest
        .iter()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| *a == b)
        .count();
    let new_rest_chars = new_rest.chars().count();
    let new_middle_end: usize = new_rest
        .chars()
        .take(new_rest_chars - suffix_chars)
        .map(char::len_utf8)
        .sum();
    (
        prefix_chars,
        old_rest.len() - suffix_chars,
        &new_rest[..new_middle_end],
    )
}

// ---------------------------------------------------------------------------------------------
// Settings

fn blog_status_name(status: BlogStatus) -> &'static str {
    match status {
        BlogStatus::Live => "live",
        BlogStatus::Ended => "ended",
    }
}

fn zones_json(zones: &[ExtraZone]) -> String {
    serde_json::to_string(zones).unwrap_or_else(|_| "[]".into())
}

/// Each setting as its stored value, keyed: the unit `record_local` compares and writes, so a
/// settings edit writes only the keys that changed and concurrent changes of different
/// settings both survive.
pub fn settings_values(settings: &BlogSettings) -> Vec<(&'static str, LoroValue)> {
    let optional = |value: &Option<String>| match value {
        Some(text) => LoroValue::from(text.as_str()),
        None => LoroValue::Null,
    };
    vec![
        (key::TITLE, LoroValue::from(settings.title.as_str())),
        (
            key::STANDFIRST,
            LoroValue::from(settings.standfirst.as_str()),
        ),
        (key::SLUG, LoroValue::from(settings.slug.as_str())),
        (key::CANONICAL_URL, optional(&settings.canonical_url)),
        (key::LANGUAGE, LoroValue::from(settings.language.as_str())),
        (
            key::TIME_ZONE,
            LoroValue::from(settings.time_zone.zone.name()),
        ),
        (
            key::TIME_ZONE_LABEL,
            LoroValue::from(settings.time_zone.label.as_str()),
        ),
        (
            key::EXTRA_ZONES,
            LoroValue::from(zones_json(&settings.extra_zones)),
        ),
        (key::COVERAGE_START, time_value(settings.coverage_start)),
        (
            key::COVERAGE_END,
            settings
                .coverage_end
                .map(time_value)
                .unwrap_or(LoroValue::Null),
        ),
        (
            key::BLOG_STATUS,
            LoroValue::from(blog_status_name(settings.status)),
        ),
        (
            key::PUBLISH,
            LoroValue::from(serde_json::to_string(&settings.publish).unwrap_or_default()),
        ),
    ]
}

/// Writes the settings keys whose stored value differs from `settings`.
pub fn write_settings(map: &LoroMap, settings: &BlogSettings) -> loro::LoroResult<()> {
    for (key, value) in settings_values(settings) {
        if plain_value(map, key).as_ref() != Some(&value) {
            map.insert(key, value)?;
        }
    }
    Ok(())
}

/// The settings as stored, each unreadable value replaced by the one a new blog has.
pub fn read_settings(map: &LoroMap) -> BlogSettings {
    let fresh = LiveBlog::new("", DateTime::UNIX_EPOCH).settings;
    let coverage_start =
        read_time(plain_value(map, key::COVERAGE_START)).unwrap_or(fresh.coverage_start);
    // Two editors can each set a sound coverage (one the start, the other the end) that
    // together end before they start; the merged document must still be sound.
    let coverage_end =
        read_time(plain_value(map, key::COVERAGE_END)).map(|end| end.max(coverage_start));
    let zone = read_string(map, key::TIME_ZONE)
        .and_then(|name| Zone::parse(&name))
        .unwrap_or(fresh.time_zone.zone);
    BlogSettings {
        title: read_string(map, key::TITLE).unwrap_or(fresh.title),
        standfirst: read_string(map, key::STANDFIRST).unwrap_or(fresh.standfirst),
        slug: read_string(map, key::SLUG).unwrap_or(fresh.slug),
        canonical_url: read_string(map, key::CANONICAL_URL),
        language: read_string(map, key::LANGUAGE).unwrap_or(fresh.language),
        time_zone: ZoneLabel {
            zone,
            label: read_string(map, key::TIME_ZONE_LABEL).unwrap_or(fresh.time_zone.label),
        },
        extra_zones: read_string(map, key::EXTRA_ZONES)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
        coverage_start,
        coverage_end,
        status: match read_string(map, key::BLOG_STATUS).as_deref() {
            Some("ended") => BlogStatus::Ended,
            _ => BlogStatus::Live,
        },
        publish: read_string(map, key::PUBLISH)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
    }
}

/// The settings as a shared blog stores them (times rounded to milliseconds, a coverage end
/// raised to its start): what reading them back gives.
pub fn normalised_settings(settings: &BlogSettings) -> BlogSettings {
    let coverage_start = round_to_millis(settings.coverage_start);
    BlogSettings {
        coverage_start,
        coverage_end: settings
            .coverage_end
            .map(|end| round_to_millis(end).max(coverage_start)),
        ..settings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn changed_middle_finds_the_one_edited_range() {
        assert_eq!(
            changed_middle("hello world", "hello brave world"),
            (6, 0, "brave ")
        );
        assert_eq!(changed_middle("abc", "abc"), (3, 0, ""));
        assert_eq!(changed_middle("aaa", "aa"), (2, 1, ""));
        assert_eq!(changed_middle("«é»", "«ée»"), (2, 0, "e"));
        assert_eq!(changed_middle("", "x"), (0, 0, "x"));
        assert_eq!(changed_middle("xyz", ""), (0, 3, ""));
    }

    #[test]
    fn derived_ids_are_valid_reserved_and_distinct() {
        let base = EntryId::new("a".repeat(64)).unwrap();
        let one = ContainerID::new_normal(
            loro::ID::new(u64::MAX - 1, i32::MAX),
            loro::ContainerType::Map,
        );
        let two = ContainerID::new_normal(loro::ID::new(7, 3), loro::ContainerType::Map);
        let (a, b) = (derived_id(&base, &one), derived_id(&base, &two));
        assert!(is_reserved(&a) && is_reserved(&b));
        assert_ne!(a, b);
        assert!(a.as_str().len() <= MAX_ID_LEN);
    }

    #[test]
    fn statuses_read_back_and_unknown_ones_are_drafts() {
        let at = Utc.with_ymd_and_hms(2025, 2, 18, 14, 30, 0).unwrap();
        for status in [
            EntryStatus::Draft,
            EntryStatus::Ready,
            EntryStatus::Published,
            EntryStatus::Scheduled { at },
            EntryStatus::Scheduled {
                at: at + chrono::Duration::nanoseconds(123_456_789),
            },
        ] {
            assert_eq!(parse_status(&status_name(status)), Some(status));
        }
        assert_eq!(
            status_name(EntryStatus::Scheduled { at }),
            "scheduled 2025-02-18T14:30:00Z"
        );
        let doc = loro::LoroDoc::new();
        let map = doc.get_map("entry");
        for unknown in [
            "embargoed",
            "scheduled",
            "scheduled tomorrow",
            "scheduled 2025-02-18T14:30:00",
            "Published",
        ] {
            map.insert(key::STATUS, unknown).unwrap();
            assert_eq!(read_status(&map), EntryStatus::Draft, "{unknown}");
        }
        map.insert(key::STATUS, 7).unwrap();
        assert_eq!(read_status(&map), EntryStatus::Draft);
        map.insert(key::STATUS, "scheduled 2025-02-18T14:30:00+01:00")
            .unwrap();
        assert_eq!(
            read_status(&map),
            EntryStatus::Scheduled {
                at: at - chrono::Duration::hours(1)
            }
        );
    }

    #[test]
    fn absurd_times_are_refused() {
        assert_eq!(read_time(Some(LoroValue::I64(i64::MIN))), None);
        assert_eq!(read_time(Some(LoroValue::I64(i64::MAX))), None);
        assert_eq!(read_time(Some(LoroValue::Double(1.0))), None);
        assert!(read_time(Some(LoroValue::I64(-1))).is_some());
    }
}
