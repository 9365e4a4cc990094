//! The headless commands behave like Unix tools: `fmt` writes nothing when there is nothing
//! to do, `generate` refuses absurd sizes, `export -o` never overwrites the document however
//! the path is spelt and leaves no backup of the page, and a reader that goes away early
//! (`| head -1`) ends a command quietly.

use newsdesk::generate::generate;
use newsdesk::storage;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn newsdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
}

fn saved(dir: &Path, name: &str, posts: usize) -> PathBuf {
    let path = dir.join(name);
    storage::save(&path, &generate(posts, 7)).unwrap();
    // Saving the first time leaves no backup; make sure no test trips on one.
    let _ = std::fs::remove_file(storage::backup_path(&path));
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn fmt_on_a_canonical_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "blog.ron", 5);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = newsdesk().arg("fmt").arg(&path).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("already in canonical form"));
    let after = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert_eq!(before, after, "the file was written again");
    assert!(!storage::backup_path(&path).exists(), "a backup appeared");
}

#[test]
fn fmt_rewrites_a_hand_edited_file_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "blog.ron", 3);
    let canonical = std::fs::read_to_string(&path).unwrap();
    let hand_edited = format!("// edited by hand\n{}", canonical.replace("    ", "  "));
    std::fs::write(&path, &hand_edited).unwrap();
    let output = newsdesk().arg("fmt").arg(&path).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("rewritten in canonical form"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), canonical);
    assert_eq!(
        std::fs::read_to_string(storage::backup_path(&path)).unwrap(),
        hand_edited
    );
}

#[test]
fn fmt_refuses_a_newer_format_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "blog.ron", 2);
    let newer = std::fs::read_to_string(&path).unwrap().replacen(
        "format_version: 2,",
        "format_version: 9,",
        1,
    );
    std::fs::write(&path, &newer).unwrap();
    let output = newsdesk().arg("fmt").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("newer Newsdesk (format 9)"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);

    let missing = dir.path().join("nothing-here.ron");
    let output = newsdesk().arg("fmt").arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("there is no such file"));
}

#[test]
fn generate_writes_what_was_asked_and_refuses_absurd_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("generated.ron");
    let output = newsdesk()
        .args(["generate", "--posts", "12", "--seed", "4", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(storage::load(&path).unwrap().blog.entries.len(), 12);

    let huge = dir.path().join("huge.ron");
    let output = newsdesk()
        .args(["generate", "--posts", "18446744073709551615", "-o"])
        .arg(&huge)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("at most 1000000 posts"));
    assert!(!huge.exists());
}

#[test]
fn export_never_overwrites_the_document_however_it_is_spelt() {
    let dir = tempfile::tempdir().unwrap();
    let document = saved(dir.path(), "blog.ron", 4);
    let original = std::fs::read(&document).unwrap();
    let link = dir.path().join("page.html");
    std::os::unix::fs::symlink(&document, &link).unwrap();
    let spellings: Vec<PathBuf> = vec![
        PathBuf::from("./blog.ron"),
        PathBuf::from("blog.ron"),
        document.clone(),
        dir.path().join("sub/../blog.ron"),
        link,
    ];
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for output_path in spellings {
        let output = newsdesk()
            .current_dir(dir.path())
            .args(["export", "blog.ron", "-o"])
            .arg(&output_path)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}: {}",
            output_path.display(),
            text(&output.stdout)
        );
        assert!(text(&output.stderr).contains("would overwrite the document"));
        assert_eq!(std::fs::read(&document).unwrap(), original);
    }
}

#[test]
fn exporting_twice_leaves_no_backup_of_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let document = saved(dir.path(), "blog.ron", 4);
    for _ in 0..2 {
        let output = newsdesk().arg("export").arg(&document).output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let page = document.with_extension("html");
    assert!(page.exists());
    assert!(!storage::backup_path(&page).exists(), "the page got a .bak");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Thousands of stale drafts: far more output than a pipe buffer holds.
    let document = saved(dir.path(), "big.ron", 20_000);
    let mut child = newsdesk()
        .arg("check")
        .arg(&document)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first line").unwrap();
    assert!(!first.is_empty());
    drop(lines);
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The exit code still tells what the checks found (1: problems), not a crash (101).
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

#[test]
fn export_and_publish_run_after_a_scheduled_time_include_that_post() {
    use newsdesk::model::EntryStatus;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blog.ron");
    let mut blog = generate(4, 3);
    let past = chrono::Utc::now() - chrono::Duration::minutes(5);
    let future = chrono::Utc::now() + chrono::Duration::days(365);
    for (index, (status, marker)) in [
        (EntryStatus::Scheduled { at: past }, "okapi"),
        (EntryStatus::Scheduled { at: future }, "quagga"),
        (EntryStatus::Ready, "axolotl"),
    ]
    .into_iter()
    .enumerate()
    {
        let entry = std::sync::Arc::make_mut(&mut blog.entries[index]);
        entry.status = status;
        entry.body = format!("A post about the {marker}.");
    }
    storage::save(&path, &blog).unwrap();

    let output = newsdesk().arg("export").arg(&path).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("1 scheduled for later"));
    let page = std::fs::read_to_string(dir.path().join("blog.html")).unwrap();
    assert!(page.contains("okapi"));
    assert!(!page.contains("quagga") && !page.contains("axolotl"));

    let site = dir.path().join("site");
    let output = newsdesk()
        .arg("publish")
        .arg(&path)
        .arg("--to")
        .arg(&site)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("okapi"));
    assert!(!index.contains("quagga") && !index.contains("axolotl"));
}
