//! The RON file format: canonical saving, loading errors in plain words, atomic saves.

use newsdesk::model::{Byline, Entry, EntryId, LiveBlog, Media};
use newsdesk::storage::{self, Access, LoadError, SaveError};
use std::path::{Path, PathBuf};

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/ukraine-talks-2025-02-18.ron")
}

fn sample() -> LiveBlog {
    storage::load(&sample_path())
        .expect("the sample loads")
        .blog
}

#[test]
fn every_example_loads_and_is_in_canonical_form() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    let mut seen = 0;
    for found in std::fs::read_dir(folder).unwrap() {
        let path = found.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "ron") {
            let bytes = std::fs::read(&path).unwrap();
            let loaded = storage::load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(loaded.blog.violations().is_empty(), "{}", path.display());
            let canonical = storage::to_ron_string(&loaded.blog).unwrap();
            assert_eq!(
                canonical.as_bytes(),
                bytes.as_slice(),
                "{} is not in canonical form",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 1);
}

#[test]
fn each_format_version_example_loads() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats");
    for version in 1..=storage::CURRENT_FORMAT_VERSION {
        let path = folder.join(format!("v{version}.ron"));
        let loaded = storage::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.access, Access::ReadWrite);
        assert!(!loaded.blog.entries.is_empty());
    }
}

#[test]
fn the_seed_sample_is_transcribed_in_page_order() {
    let blog = sample();
    assert_eq!(blog.settings.time_zone.zone.name(), "Europe/London");
    assert_eq!(blog.settings.time_zone.label, "UK");
    let latest = blog.entries.iter().map(|e| e.display_time).max().unwrap();
    assert_eq!(
        blog.settings
            .time_zone
            .zone
            .local(latest)
            .format("%H:%M")
            .to_string(),
        "14:47"
    );
    // Newest first, as on the page.
    assert!(
        blog.entries
            .iter()
            .zip(blog.entries.iter().skip(1))
            .all(|(newer, older)| newer.display_time > older.display_time)
    );
    assert_eq!(blog.pinned.len(), 1);
    let summary = blog.entry(&blog.pinned[0]).unwrap();
    assert!(summary.body.contains("If you’re just joining us"));
    // "our 9.32am post" links to that post.
    let peskov = blog
        .entries
        .iter()
        .find(|e| e.body.contains("9.32am post"))
        .unwrap();
    let target = blog.entries.iter().find(|e| {
        blog.settings
            .time_zone
            .zone
            .local(e.display_time)
            .format("%H:%M")
            .to_string()
            == "09:32"
    });
    let target = target.expect("a 9.32am post exists");
    assert!(peskov.body.contains(&format!("(#{})", target.id)));
    // The security and defence editor's byline.
    assert!(blog.entries.iter().any(|e| e.bylines
        == vec![Byline {
            name: "Deborah Haynes".into(),
            role: "security and defence editor".into()
        }]));
    assert!(
        blog.entries
            .iter()
            .any(|e| matches!(e.media, Some(Media::Video { .. })))
    );
    assert!(
        blog.entries
            .iter()
            .any(|e| e.body.contains("> For context:"))
    );
}

#[test]
fn saving_twice_gives_identical_bytes_and_one_change_touches_only_its_lines() {
    let blog = sample();
    let first = storage::to_ron_string(&blog).unwrap();
    assert_eq!(first, storage::to_ron_string(&blog).unwrap());
    assert!(first.starts_with("(\n    format_version: 2,\n"));

    let mut changed = blog.clone();
    std::sync::Arc::make_mut(&mut changed.entries[3]).headline = "A corrected headline".into();
    let second = storage::to_ron_string(&changed).unwrap();
    let before: Vec<&str> = first.lines().collect();
    let after: Vec<&str> = second.lines().collect();
    assert_eq!(before.len(), after.len());
    let differing: Vec<usize> = (0..before.len())
        .filter(|&i| before[i] != after[i])
        .collect();
    assert_eq!(differing.len(), 1, "only the headline line changes");
    assert!(after[differing[0]].contains("A corrected headline"));
}

fn load_text(dir: &Path, name: &str, bytes: &[u8]) -> Result<storage::Loaded, LoadError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    storage::load(&path)
}

#[test]
fn a_truncated_file_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_path()).unwrap();
    let cut = &text[..text.len() / 2];
    let error = load_text(dir.path(), "cut.ron", cut.as_bytes()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("cut.ron:"), "{message}");
    let position = error.position().expect("a position");
    assert!(position.line > 1);
    assert!(message.contains(&format!(":{}:{}:", position.line, position.column)));
    assert!(message.contains("cut off"), "{message}");
}

#[test]
fn broken_files_give_plain_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.ron", b"".to_vec(), "empty"),
        ("spaces.ron", b"  \n\t ".to_vec(), "empty"),
        (
            "latin1.ron",
            b"(format_version: 1, title: \"caf\xe9\")".to_vec(),
            "UTF-8",
        ),
        (
            "deep.ron",
            format!("(format_version: 1, unknown: {}", "[".repeat(10_000)).into_bytes(),
            "nested",
        ),
        (
            "array.ron",
            "[".repeat(10_000).into_bytes(),
            "format_version",
        ),
        (
            "wrongtype.ron",
            b"(format_version: \"one\")".to_vec(),
            "integer",
        ),
        (
            "noversion.ron",
            b"(title: \"x\")".to_vec(),
            "format_version",
        ),
        ("old.ron", b"(format_version: 0)".to_vec(), "version 0"),
        ("nul.ron", b"(format_version: 1,\0)".to_vec(), ".ron:1:"),
        (
            "huge-number.ron",
            b"(format_version: 99999999999999999999999999)".to_vec(),
            ".ron:1:",
        ),
    ];
    for (name, bytes, expected) in cases {
        let error = load_text(dir.path(), name, &bytes).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(name), "{message}");
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn byte_order_mark_and_crlf_line_ends_load() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_path()).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    let loaded = load_text(dir.path(), "windows.ron", &bytes).unwrap();
    assert_eq!(loaded.blog, sample());
}

#[test]
fn missing_files_and_folders_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = storage::load(&dir.path().join("nope.ron")).unwrap_err();
    assert!(matches!(missing, LoadError::NotFound { .. }), "{missing}");
    let folder = storage::load(dir.path()).unwrap_err();
    assert!(matches!(folder, LoadError::IsAFolder { .. }), "{folder}");
}

#[test]
fn a_file_from_a_newer_newsdesk_opens_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_path()).unwrap();
    let newer = text
        .replacen(
            "format_version: 2,",
            "format_version: 7,\n    reactions: [1, 2],",
            1,
        )
        .replace(
            "correction: \"\",",
            "correction: \"\",\n            mood: Calm,",
        );
    let loaded = load_text(dir.path(), "newer.ron", newer.as_bytes()).unwrap();
    assert_eq!(loaded.access, Access::ReadOnlyNewer { version: 7 });
    assert_eq!(loaded.blog, sample());
}

// ---- Format versions ---------------------------------------------------------------------

fn format_example(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/formats/v{version}.ron"))
}

#[test]
fn a_version_1_file_reads_into_the_model_unchanged_and_is_saved_as_version_2() {
    let v1_text = std::fs::read_to_string(format_example(1)).unwrap();
    assert!(v1_text.starts_with("(\n    format_version: 1,\n"));
    let loaded = storage::load(&format_example(1)).unwrap();
    assert_eq!(loaded.access, Access::ReadWrite);
    // Version 1's statuses mean the same in the model.
    let published = v1_text.matches("status: Published,").count();
    let drafts = v1_text.matches("status: Draft,").count();
    assert_eq!(published + drafts, loaded.blog.entries.len());
    assert_eq!(
        loaded
            .blog
            .entries
            .iter()
            .filter(|e| e.is_published())
            .count(),
        published
    );
    assert_eq!(loaded.blog.draft_count(), drafts);
    // Saved, it is the same document in version 2: only the version line differs.
    let saved = storage::to_ron_string(&loaded.blog).unwrap();
    assert_eq!(
        saved,
        v1_text.replacen("format_version: 1,", "format_version: 2,", 1)
    );
}

#[test]
fn the_version_2_example_holds_the_new_statuses_and_is_canonical() {
    use newsdesk::model::EntryStatus;
    let bytes = std::fs::read(format_example(2)).unwrap();
    let loaded = storage::load(&format_example(2)).unwrap();
    assert_eq!(loaded.access, Access::ReadWrite);
    let blog = &loaded.blog;
    let at = chrono::DateTime::parse_from_rfc3339("2025-02-18T15:00:00Z")
        .unwrap()
        .to_utc();
    assert_eq!(
        blog.entry(&EntryId::new("post-1447").unwrap())
            .unwrap()
            .status,
        EntryStatus::Scheduled { at }
    );
    assert_eq!(
        blog.entry(&EntryId::new("summary-1430").unwrap())
            .unwrap()
            .status,
        EntryStatus::Ready
    );
    assert_eq!(
        storage::to_ron_string(blog).unwrap().as_bytes(),
        bytes.as_slice()
    );
}

#[test]
fn a_version_1_newsdesk_refuses_what_it_cannot_read_and_a_version_3_file_opens_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let v2 = std::fs::read_to_string(format_example(2)).unwrap();
    // A later version whose content this one reads: read-only, nothing lost on screen.
    let v3 = v2.replacen("format_version: 2,", "format_version: 3,", 1);
    let loaded = load_text(dir.path(), "v3.ron", v3.as_bytes()).unwrap();
    assert_eq!(loaded.access, Access::ReadOnlyNewer { version: 3 });
    assert_eq!(loaded.blog, storage::load(&format_example(2)).unwrap().blog);
    // A later version with a status this one does not know: refused in plain words.
    let unknown = v3.replacen("status: Ready,", "status: Embargoed,", 1);
    let error = load_text(dir.path(), "v3-unknown.ron", unknown.as_bytes()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("format version 3 is not one this Newsdesk can read"),
        "{error}"
    );
}

#[test]
fn saving_keeps_a_backup_and_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blog.ron");
    let mut blog = sample();
    storage::save(&path, &blog).unwrap();
    let first = std::fs::read(&path).unwrap();
    blog.settings.title = "Second version".into();
    let saved = storage::save(&path, &blog).unwrap();
    assert_eq!(std::fs::read(storage::backup_path(&path)).unwrap(), first);
    assert_eq!(storage::load(&path).unwrap().blog, blog);
    assert_eq!(
        saved.content_hash,
        storage::ContentHash::of(&std::fs::read(&path).unwrap())
    );
    // Nothing else is left in the folder.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, vec!["blog.ron", "blog.ron.bak"]);
}

#[test]
fn saving_onto_a_folder_or_into_a_missing_folder_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let error = storage::save(dir.path(), &sample()).unwrap_err();
    assert!(matches!(error, SaveError::IsAFolder { .. }), "{error}");
    let error = storage::save(&dir.path().join("no/such/blog.ron"), &sample()).unwrap_err();
    assert!(error.to_string().contains("blog.ron"), "{error}");
}

#[test]
fn interrupted_save_leftovers_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blog.ron");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for (name, bytes) in [
        (".blog.ron.a1B2c3", b"torn".as_slice()),
        (".other.ron.a1B2c3", b"not ours"),
    ] {
        let leftover = dir.path().join(name);
        std::fs::write(&leftover, bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&leftover)
            .and_then(|file| file.set_modified(an_hour_ago))
            .unwrap();
    }
    // A save in progress in another process: too fresh to be a leftover.
    std::fs::write(dir.path().join(".blog.ron.Zz9Yy8"), b"being written").unwrap();
    storage::save(&path, &sample()).unwrap();
    assert!(!dir.path().join(".blog.ron.a1B2c3").exists());
    assert!(dir.path().join(".other.ron.a1B2c3").exists());
    assert!(dir.path().join(".blog.ron.Zz9Yy8").exists());
}

#[test]
fn fresh_ids_do_not_collide() {
    let blog = sample();
    let time = blog.entries[0].display_time;
    let id = blog.fresh_id("post", time);
    assert!(blog.entry(&id).is_none());
    let mut with = blog.clone();
    with.push_entry(Entry::new_post(id.clone(), time));
    let next = with.fresh_id("post", time);
    assert_ne!(next, id);
    assert!(EntryId::is_valid(next.as_str()));
}
