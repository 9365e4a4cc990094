//! `newsdesk check` end to end: exit codes, one line per problem, JSON for pipelines.

use chrono::{DateTime, Utc};
use common::checks::*;
use newsdesk::model::{LiveBlog, ZoneLabel};
use std::path::Path;
use std::process::Command;

mod common;

// The command line.

fn newsdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
}

fn save(dir: &Path, name: &str, blog: &LiveBlog) -> std::path::PathBuf {
    let path = dir.join(name);
    newsdesk::storage::save(&path, blog).unwrap();
    path
}

#[test]
fn the_command_line_passes_the_seed_sample() {
    let output = newsdesk().args(["check", SEED]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("12 entries, 1 pinned, 0 drafts"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn the_command_line_prints_problems_and_fails_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1100").media = None;
    entry_mut(&mut blog, "post-1100").body = String::new();
    let path = save(dir.path(), "broken.ron", &blog);
    let output = newsdesk().arg("check").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let expected = format!(
        "{}: entry post-1100 (11.00am UK): error: This post has no text",
        path.display()
    );
    assert!(stdout.contains(&expected), "{stdout}");
    // The draft is stale by the real clock.
    assert!(stdout.contains("1 error, 1 warning\n"), "{stdout}");
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    // Checked against the real clock: a draft from 2025 is long stale.
    assert!(blog.entries.iter().any(|entry| entry.is_draft()));
    entry_mut(&mut blog, "post-0950").body = words(1001);
    let path = save(dir.path(), "warnings.ron", &blog);
    let plain = newsdesk().arg("check").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert_eq!(plain.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(": warning: "), "{stdout}");
    let strict = newsdesk()
        .arg("check")
        .arg(&path)
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn the_command_line_speaks_json_for_pipelines() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "See our 9.32am post.".into();
    entry_mut(&mut blog, "post-1447").headline = String::new();
    let path = save(dir.path(), "json.ron", &blog);
    let output = newsdesk()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["entries"], 7);
    assert_eq!(json["errors"], 1);
    let problems = json["problems"].as_array().unwrap();
    let headline = problems
        .iter()
        .find(|p| p["check"] == "headline-required")
        .unwrap();
    assert_eq!(headline["severity"], "error");
    assert_eq!(headline["entry"], "post-1447");
    assert_eq!(headline["time"], "2.47pm UK");
    assert_eq!(headline["field"], "headline");
    let reference = problems
        .iter()
        .find(|p| p["check"] == "unlinked-time-reference")
        .unwrap();
    assert_eq!(reference["severity"], "warning");
    assert_eq!(reference["span"], serde_json::json!([4, 19]));
    assert!(reference["fix"].as_str().unwrap().contains("9.32am"));

    let seed = newsdesk()
        .args(["check", SEED, "--format", "json", "--strict"])
        .output()
        .unwrap();
    assert_eq!(seed.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&seed.stdout).unwrap();
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn the_command_line_survives_times_at_the_ends_of_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1447").display_time = DateTime::<Utc>::MAX_UTC;
    entry_mut(&mut blog, "post-0932").display_time = DateTime::<Utc>::MIN_UTC;
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Pacific::Kiritimati, "Line Islands");
    let path = save(dir.path(), "extreme.ron", &blog);
    for format in ["text", "json"] {
        let output = newsdesk()
            .arg("check")
            .arg(&path)
            .args(["--format", format])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(matches!(output.status.code(), Some(1 | 2)), "{stderr}");
    }
}

#[test]
fn an_unreadable_file_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ron");
    let output = newsdesk().arg("check").arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, "(format_version: 1, title: ").unwrap();
    let output = newsdesk()
        .arg("check")
        .arg(&garbage)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
