//! Publishing: a paginated site with feeds, written to a folder and to a real local S3
//! server (moto), republished incrementally, and read by a real headless browser.
//!
//! The S3 and browser tests need `moto_server` (pip install 'moto[server]') and
//! `chromium`. Without them they print an "ignored" line and pass, except under CI (the
//! `CI` variable set), where a missing component fails the test: `.ci/run` installs both.

use chrono::Duration;
use newsdesk::generate::generate;
use newsdesk::model::{EntryId, LiveBlog};
use newsdesk::publish::{Publisher, Target};
use serde_json::Value;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A blog of `posts` published posts, 50 a page, with the newest post linking to the oldest.
/// When the site is published: later than any generated post.
fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn blog(posts: usize) -> LiveBlog {
    let mut blog = generate(posts, 7);
    for entry in &mut blog.entries {
        std::sync::Arc::make_mut(entry).status = newsdesk::model::EntryStatus::Published;
    }
    blog.settings.publish.page_size = 50;
    let oldest = blog.stream_entries().last().expect("posts").id.clone();
    let newest = blog.stream_entries().next().expect("posts").id.clone();
    let entry = blog.entry_mut(&newest).expect("newest");
    entry.body = format!("Earlier, [the first report](#{}) said so.", oldest.as_str());
    blog
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn article_ids(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("article[id]").expect("selector");
    page.select(&selector)
        .filter_map(|article| article.value().attr("id").map(str::to_owned))
        .collect()
}

fn hrefs(html: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href]").expect("selector");
    page.select(&selector)
        .filter_map(|link| link.value().attr("href").map(str::to_owned))
        .collect()
}

/// Edits an entry the way the edit layer does: new text, and a new `modified` time.
fn edit_body(blog: &mut LiveBlog, id: &EntryId, body: &str) {
    let entry = blog.entry_mut(id).expect("entry");
    entry.body = body.into();
    entry.modified += Duration::minutes(5);
}

#[test]
fn publishing_to_a_folder_pages_the_blog_and_every_permalink_resolves() {
    let blog = blog(130);
    let dir = tempfile::tempdir().expect("temp dir");
    let report = Publisher::new()
        .publish(&blog, &Target::Folder(dir.path().to_owned()), now())
        .expect("publishes");
    assert_eq!(report.build.pages, 3);
    for name in [
        "index.html",
        "page-2.html",
        "page-3.html",
        "feed.atom",
        "feed.json",
    ] {
        assert!(dir.path().join(name).is_file(), "{name} missing");
    }
    assert!(!dir.path().join("page-4.html").exists());

    let index = read(dir.path(), "index.html");
    let second = read(dir.path(), "page-2.html");
    let third = read(dir.path(), "page-3.html");
    let pinned = blog.pinned.len();
    assert_eq!(article_ids(&index).len(), pinned + 50);
    assert_eq!(article_ids(&second).len(), 50);
    assert_eq!(article_ids(&third).len(), 130 - pinned - 100);

    // Every published entry is on exactly one page.
    let mut seen = HashSet::new();
    for html in [&index, &second, &third] {
        for id in article_ids(html) {
            assert!(seen.insert(id.clone()), "{id} on two pages");
        }
    }
    assert_eq!(seen.len(), blog.entries.len());

    // Archive pages link both ways.
    assert!(hrefs(&index).contains(&"page-2.html".to_owned()));
    assert!(hrefs(&second).contains(&"index.html".to_owned()));
    assert!(hrefs(&second).contains(&"page-3.html".to_owned()));
    assert!(hrefs(&third).contains(&"page-2.html".to_owned()));
    assert!(!hrefs(&third).iter().any(|href| href == "page-4.html"));

    // A link to a post on an older page names that page.
    let oldest = blog.stream_entries().last().expect("posts").id.as_str();
    assert!(
        hrefs(&index).contains(&format!("page-3.html#{oldest}")),
        "the link to the oldest post should point at page 3"
    );
    assert!(article_ids(&third).contains(&oldest.to_owned()));

    // The first page links its feeds and carries the reader script, allowed by hash only.
    assert!(
        index.contains(r#"type="application/atom+xml""#) && index.contains("href=\"feed.atom\"")
    );
    assert!(
        index.contains(r#"type="application/feed+json""#) && index.contains("href=\"feed.json\"")
    );
    assert!(index.contains(r#"id="new-posts""#) && index.contains("hidden"));
    let policy = index
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a policy");
    assert!(policy.contains("script-src 'sha256-") && !policy.contains("unsafe"));
    assert!(!index.contains(" onclick") && !index.contains("innerHTML"));
    // Archive pages run no script at all.
    assert!(third.contains("script-src 'none'"));
}

#[test]
fn without_the_reader_script_the_page_has_no_script() {
    let mut blog = blog(20);
    blog.settings.publish.reader_script = false;
    let dir = tempfile::tempdir().expect("temp dir");
    Publisher::new()
        .publish(&blog, &Target::Folder(dir.path().to_owned()), now())
        .expect("publishes");
    let index = read(dir.path(), "index.html");
    assert!(index.contains("script-src 'none'"));
    assert!(!index.contains("id=\"new-posts\""));
}

#[test]
fn republishing_after_one_edit_renders_one_entry_and_writes_only_changed_files() {
    let mut blog = blog(130);
    let dir = tempfile::tempdir().expect("temp dir");
    let target = Target::Folder(dir.path().to_owned());
    let mut publisher = Publisher::new();
    publisher
        .publish(&blog, &target, now())
        .expect("first publish");
    let second_before = read(dir.path(), "page-2.html");

    let again = publisher
        .publish(&blog, &target, now())
        .expect("same again");
    assert!(
        again.written.is_empty(),
        "nothing changed: {:?}",
        again.written
    );
    assert_eq!(again.build.rendered, 0);

    // An old post on the last page is corrected.
    let old = blog
        .stream_entries()
        .nth(120)
        .expect("an old post")
        .id
        .clone();
    edit_body(&mut blog, &old, "Corrected figures: 40, not 14.");
    let report = publisher.publish(&blog, &target, now()).expect("republish");
    assert_eq!(report.build.rendered, 1, "one article rendered");
    assert!(report.written.contains(&"page-3.html".to_owned()));
    // The post is older than the latest update, so the first page stays as it was.
    for name in &report.written {
        assert!(
            ["page-3.html", "feed.atom", "index.html"].contains(&name.as_str()),
            "{name}"
        );
    }
    assert_eq!(read(dir.path(), "page-2.html"), second_before);
    assert!(read(dir.path(), "page-3.html").contains("Corrected figures: 40, not 14."));

    // The incremental site is the same bytes as a fresh one.
    let fresh = tempfile::tempdir().expect("temp dir");
    Publisher::new()
        .publish(&blog, &Target::Folder(fresh.path().to_owned()), now())
        .expect("fresh publish");
    for name in [
        "index.html",
        "page-2.html",
        "page-3.html",
        "feed.atom",
        "feed.json",
    ] {
        assert_eq!(read(dir.path(), name), read(fresh.path(), name), "{name}");
    }
}

#[test]
fn a_new_publisher_writes_only_what_differs_from_the_folder() {
    let mut blog = blog(80);
    let dir = tempfile::tempdir().expect("temp dir");
    let target = Target::Folder(dir.path().to_owned());
    Publisher::new()
        .publish(&blog, &target, now())
        .expect("first");
    // Another run (the command line, say) knows nothing of the first but its manifest.
    let old = blog.stream_entries().nth(70).expect("old").id.clone();
    edit_body(&mut blog, &old, "Updated.");
    let report = Publisher::new()
        .publish(&blog, &target, now())
        .expect("second");
    assert!(report.written.contains(&"page-2.html".to_owned()));
    assert!(
        !report.written.contains(&"feed.json".to_owned()),
        "{:?}",
        report.written
    );
}

#[test]
fn a_failed_publish_leaves_the_previous_first_page_in_place() {
    let mut blog = blog(60);
    let dir = tempfile::tempdir().expect("temp dir");
    let target = Target::Folder(dir.path().to_owned());
    let mut publisher = Publisher::new();
    publisher.publish(&blog, &target, now()).expect("first");
    let index_before = read(dir.path(), "index.html");
    // Something on the host blocks the archive page: its upload fails.
    std::fs::remove_file(dir.path().join("page-2.html")).expect("remove");
    std::fs::create_dir(dir.path().join("page-2.html")).expect("block");
    let newest = blog.stream_entries().next().expect("posts").display_time;
    let mut post =
        newsdesk::model::Entry::new_post(EntryId::new("breaking-1").expect("id"), newest);
    post.display_time = newest + Duration::minutes(3);
    post.body = "A new development.".into();
    post.status = newsdesk::model::EntryStatus::Published;
    blog.entries.insert(0, post.into());
    let error = publisher
        .publish(&blog, &target, now())
        .expect_err("page-2.html is blocked");
    assert!(error.to_string().contains("page-2.html"), "{error}");
    assert_eq!(
        read(dir.path(), "index.html"),
        index_before,
        "index untouched"
    );
    // Once the host is put right, the retry lands everything.
    std::fs::remove_dir(dir.path().join("page-2.html")).expect("unblock");
    publisher.publish(&blog, &target, now()).expect("retry");
    assert!(read(dir.path(), "index.html").contains("A new development."));
    assert!(dir.path().join("page-2.html").is_file());
}

#[test]
fn pages_that_are_no_longer_needed_are_removed_and_nothing_else() {
    let mut blog = blog(130);
    let dir = tempfile::tempdir().expect("temp dir");
    let target = Target::Folder(dir.path().to_owned());
    std::fs::write(dir.path().join("about.html"), "not ours").expect("write");
    let mut publisher = Publisher::new();
    publisher.publish(&blog, &target, now()).expect("first");
    blog.settings.publish.page_size = 100;
    let report = publisher.publish(&blog, &target, now()).expect("second");
    assert_eq!(report.removed, vec!["page-3.html".to_owned()]);
    assert!(!dir.path().join("page-3.html").exists());
    assert!(dir.path().join("about.html").exists());
}

fn atom(dir: &Path) -> atom_syndication::Feed {
    let text = read(dir, "feed.atom");
    text.parse::<atom_syndication::Feed>()
        .unwrap_or_else(|error| panic!("feed.atom does not parse: {error}\n{text}"))
}

#[test]
fn the_atom_feed_parses_back_with_stable_ids_and_updates_marked() {
    let mut blog = blog(70);
    blog.settings.canonical_url = Some("https://news.example/live/ukraine".into());
    let dir = tempfile::tempdir().expect("temp dir");
    let target = Target::Folder(dir.path().to_owned());
    let mut publisher = Publisher::new();
    publisher.publish(&blog, &target, now()).expect("publish");
    let before = atom(dir.path());
    assert_eq!(before.entries().len(), blog.pinned.len() + 50);
    assert_eq!(before.id(), "https://news.example/live/ukraine");
    let newest = blog.stream_entries().next().expect("posts").id.clone();
    let first = before
        .entries()
        .iter()
        .find(|entry| entry.id().ends_with(&format!("#{}", newest.as_str())))
        .expect("the newest post is in the feed")
        .clone();
    assert!(first.published().is_some());

    let entry = blog.entry_mut(&newest).expect("newest");
    entry.correction = "An earlier version gave the wrong date.".into();
    entry.modified += Duration::minutes(10);
    publisher.publish(&blog, &target, now()).expect("republish");
    let after = atom(dir.path());
    let corrected = after
        .entries()
        .iter()
        .find(|entry| entry.id() == first.id())
        .expect("same id after an edit");
    assert!(corrected.updated() > first.updated());
    assert_eq!(corrected.published(), first.published());
    assert!(
        corrected
            .categories()
            .iter()
            .any(|c| c.term() == "correction")
    );
    assert!(corrected.title().as_str().starts_with("Correction:"));
    let content = corrected
        .content()
        .and_then(|c| c.value())
        .expect("content");
    assert!(content.contains("An earlier version gave the wrong date."));
}

/// JSON Feed 1.1's rules (https://www.jsonfeed.org/version/1.1/), checked field by field.
fn check_json_feed(feed: &Value) {
    let is_url = |value: &Value| value.as_str().is_some_and(|s| !s.is_empty());
    let is_date = |value: &Value| {
        value
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
    };
    let top = feed.as_object().expect("an object");
    assert_eq!(top["version"], "https://jsonfeed.org/version/1.1");
    assert!(
        top["title"].as_str().is_some_and(|t| !t.is_empty()),
        "title"
    );
    for key in ["home_page_url", "feed_url", "icon", "favicon", "next_url"] {
        if let Some(value) = top.get(key) {
            assert!(is_url(value), "{key}");
        }
    }
    for key in ["description", "user_comment", "language"] {
        if let Some(value) = top.get(key) {
            assert!(value.is_string(), "{key}");
        }
    }
    if let Some(value) = top.get("expired") {
        assert!(value.is_boolean(), "expired");
    }
    let items = top["items"].as_array().expect("items is an array");
    let mut ids = HashSet::new();
    for item in items {
        let item = item.as_object().expect("an item is an object");
        let id = item["id"].as_str().expect("id is a string");
        assert!(
            !id.is_empty() && ids.insert(id.to_owned()),
            "unique id {id}"
        );
        assert!(
            item.get("content_html").is_some_and(Value::is_string)
                || item.get("content_text").is_some_and(Value::is_string),
            "content_html or content_text"
        );
        for key in ["url", "external_url", "image", "banner_image"] {
            if let Some(value) = item.get(key) {
                assert!(is_url(value), "{key}");
            }
        }
        for key in ["title", "summary", "language"] {
            if let Some(value) = item.get(key) {
                assert!(value.is_string(), "{key}");
            }
        }
        for key in ["date_published", "date_modified"] {
            if let Some(value) = item.get(key) {
                assert!(is_date(value), "{key} is RFC 3339: {value}");
            }
        }
        if let Some(authors) = item.get("authors") {
            for author in authors.as_array().expect("authors is an array") {
                assert!(
                    author.get("name").is_some_and(Value::is_string),
                    "author name"
                );
            }
        }
        if let Some(tags) = item.get("tags") {
            assert!(tags.as_array().expect("tags").iter().all(Value::is_string));
        }
        for key in item.keys() {
            let known = [
                "id",
                "url",
                "external_url",
                "title",
                "content_html",
                "content_text",
                "summary",
                "image",
                "banner_image",
                "date_published",
                "date_modified",
                "authors",
                "tags",
                "language",
                "attachments",
            ];
            assert!(
                known.contains(&key.as_str()) || key.starts_with('_'),
                "unknown key {key}"
            );
        }
    }
}

#[test]
fn the_json_feed_follows_version_1_1() {
    let mut blog = blog(70);
    let newest = blog.stream_entries().next().expect("posts").id.clone();
    blog.entry_mut(&newest).expect("newest").correction = "Spelling of a name.".into();
    let dir = tempfile::tempdir().expect("temp dir");
    Publisher::new()
        .publish(&blog, &Target::Folder(dir.path().to_owned()), now())
        .expect("publish");
    let feed: Value = serde_json::from_str(&read(dir.path(), "feed.json")).expect("JSON");
    check_json_feed(&feed);
    let items = feed["items"].as_array().expect("items");
    assert_eq!(items.len(), blog.pinned.len() + 50);
    let corrected = items
        .iter()
        .find(|item| item["_newsdesk"]["entry"] == newest.as_str())
        .expect("the newest post");
    assert_eq!(corrected["tags"][0], "correction");
    assert!(
        corrected["content_html"]
            .as_str()
            .expect("html")
            .contains("Spelling of a name.")
    );
}

// ---- Real components: moto's S3 server and headless Chromium -------------------------

/// Says that a component is missing: fails under CI, otherwise prints an ignored line.
fn missing(component: &str, install: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{component} is missing under CI ({install}); .ci/run should have installed it");
    }
    eprintln!("ignored: {component} is not installed ({install}); skipping this test");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// A child process killed when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until something listens on `port` (the server prints nothing we can rely on).
fn wait_for_port(port: u16, server: &mut Server) -> bool {
    for _ in 0..300 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        if let Ok(Some(_)) = server.0.try_wait() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

fn start_moto() -> Option<(Server, u16)> {
    let port = free_port();
    let candidates: [(&str, Vec<String>); 2] = [
        ("moto_server", vec!["-p".into(), port.to_string()]),
        (
            "python3",
            vec![
                "-m".into(),
                "moto.server".into(),
                "-p".into(),
                port.to_string(),
            ],
        ),
    ];
    for (program, args) in candidates {
        let Ok(child) = Command::new(program)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            continue;
        };
        let mut server = Server(child);
        if wait_for_port(port, &mut server) {
            return Some((server, port));
        }
    }
    None
}

/// One plain HTTP/1.1 request to the local server: (status, headers, body).
fn http(port: u16, method: &str, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("reads");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let mut body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = bytes.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let start = line_end + 2;
        let Some(chunk) = bytes.get(start..start + size).filter(|_| size > 0) else {
            break;
        };
        out.extend_from_slice(chunk);
        bytes = bytes.get(start + size + 2..).unwrap_or_default();
    }
    out
}

#[test]
fn the_command_line_publishes_to_a_local_s3_server() {
    let Some((_server, port)) = start_moto() else {
        missing("moto's S3 server", "pip install 'moto[server]'");
        return;
    };
    let (status, _, _) = http(port, "PUT", "/newsroom", "x-amz-acl: public-read\r\n");
    assert!(status == 200, "creating the bucket gave {status}");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("live.ron");
    let mut blog = blog(70);
    blog.settings.publish.target = "s3://newsroom/live/ukraine".into();
    blog.settings.publish.endpoint = format!("http://127.0.0.1:{port}");
    newsdesk::storage::save(&file, &blog).expect("saves");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .arg("publish")
            .arg(&file)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .output()
            .expect("runs newsdesk")
    };
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("s3://newsroom/live/ukraine: 2 pages, 4 files written"),
        "{stdout}"
    );

    let (status, head, body) = http(port, "GET", "/newsroom/live/ukraine/index.html", "");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("href=\"page-2.html\""));
    let (status, _, body) = http(port, "GET", "/newsroom/live/ukraine/feed.json", "");
    assert_eq!(status, 200);
    check_json_feed(&serde_json::from_slice(&body).expect("feed.json"));
    let (status, _, _) = http(port, "GET", "/newsroom/live/ukraine/page-2.html", "");
    assert_eq!(status, 200);

    // Publishing again with nothing changed writes nothing.
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("0 files written, 4 unchanged"), "{stdout}");

    // The --to option overrides the blog's target; without credentials it fails in words.
    let output = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["publish", "--to", "s3://no_such/x"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("names no bucket"));
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        })
        .map(str::to_owned)
}

/// A static file server for `dir` (Python's), since browsers refuse `fetch` on file://.
fn serve(dir: &Path) -> Option<(Server, u16)> {
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
            "--directory",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut server = Server(child);
    wait_for_port(port, &mut server).then_some((server, port))
}

/// Loads `url` in headless Chromium, lets 40 s of page time pass (the reader script polls
/// every 30 s; virtual time runs as fast as the page allows) and returns the DOM then.
fn dom_after_40_seconds(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--virtual-time-budget=40000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stderr(Stdio::null())
        .output()
        .expect("runs chromium");
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn a_reader_of_the_published_page_is_told_of_one_new_post() {
    let Some(browser) = chromium() else {
        missing("Chromium", "apt-get install chromium");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let target = Target::Folder(site.clone());
    let mut blog = blog(30);
    let mut publisher = Publisher::new();
    publisher
        .publish(&blog, &target, now())
        .expect("first publish");
    let Some((_server, port)) = serve(&site) else {
        missing("python3's http.server", "apt-get install python3");
        return;
    };
    // The reader opens the page before the new post: the copy they loaded is kept as
    // reader.html, while the site itself moves on.
    std::fs::copy(site.join("index.html"), site.join("reader.html")).expect("copy");
    let url = format!("http://127.0.0.1:{port}/reader.html");
    let quiet = dom_after_40_seconds(&browser, &url);
    let (hidden, text) = notice(&quiet);
    assert!(
        hidden,
        "nothing new yet, so the notice stays hidden: {text}"
    );

    let newest = blog.stream_entries().next().expect("posts").display_time;
    let mut post =
        newsdesk::model::Entry::new_post(EntryId::new("ceasefire-1").expect("id"), newest);
    post.display_time = newest + Duration::minutes(2);
    post.headline = "Ceasefire talks resume".into();
    post.status = newsdesk::model::EntryStatus::Published;
    blog.entries.insert(0, post.into());
    publisher
        .publish(&blog, &target, now())
        .expect("publishes the new post");

    let told = dom_after_40_seconds(&browser, &url);
    let (hidden, text) = notice(&told);
    assert!(!hidden, "the notice is shown");
    assert_eq!(text, "1 new post");
}

/// Whether the page's "new posts" notice is hidden, and its words.
fn notice(dom: &str) -> (bool, String) {
    let page = scraper::Html::parse_document(dom);
    let selector = scraper::Selector::parse("#new-posts").expect("selector");
    let notice = page
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no notice in the page: {dom}"));
    let text: String = notice.text().collect();
    (
        notice.value().attr("hidden").is_some(),
        text.trim().to_owned(),
    )
}

#[test]
fn a_blog_from_before_publishing_settings_loads_with_the_defaults() {
    let text = std::fs::read_to_string("tests/formats/v1.ron").expect("fixture");
    let loaded =
        newsdesk::storage::load_bytes(Path::new("v1.ron"), text.as_bytes()).expect("loads");
    assert!(loaded.blog.settings.publish.is_default());
    assert_eq!(loaded.blog.settings.publish.page_size, 50);
    assert_eq!(loaded.blog.settings.publish.auto_publish_seconds, 10);
}

/// One change a randomised republish test makes, by kind and by which entries it touches.
#[derive(Clone, Debug)]
enum Change {
    Body(usize, bool),
    Headline(usize),
    KeyEvent(usize),
    Status(usize, u8),
    Pin(usize),
    Move(usize, usize),
    NewPost,
    Delete(usize),
    Title,
    LinkTo(usize, usize),
    TimePasses,
}

fn change() -> impl proptest::strategy::Strategy<Value = Change> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (any::<usize>(), any::<bool>()).prop_map(|(at, stamp)| Change::Body(at, stamp)),
        1 => any::<usize>().prop_map(Change::Headline),
        1 => any::<usize>().prop_map(Change::KeyEvent),
        2 => (any::<usize>(), 0u8..4).prop_map(|(at, status)| Change::Status(at, status)),
        1 => any::<usize>().prop_map(Change::Pin),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(from, to)| Change::Move(from, to)),
        1 => Just(Change::NewPost),
        1 => any::<usize>().prop_map(Change::Delete),
        1 => Just(Change::Title),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(from, to)| Change::LinkTo(from, to)),
        2 => Just(Change::TimePasses),
    ]
}

/// Applies `change` to `blog` at `now`, touching entries only through `get`, `insert`,
/// `remove` and `entry_at_mut` (which copies an entry a build still holds).
fn apply(blog: &mut LiveBlog, change: &Change, now: chrono::DateTime<chrono::Utc>, step: usize) {
    use newsdesk::model::{Entry, EntryStatus};
    let count = blog.entries.len();
    let at = |index: usize| index % count.max(1);
    let id_at = |blog: &LiveBlog, index: usize| blog.entries.get(at(index)).map(|e| e.id.clone());
    match *change {
        Change::Body(index, stamp) => {
            if let Some(entry) = blog.entry_at_mut(at(index)) {
                // Half the time without a new `modified` (and the same length): a change
                // made behind the content stamp's back must show too.
                if stamp {
                    entry.body = format!("Revised at step {step}: figures corrected.");
                    entry.modified = now;
                } else {
                    entry.body = entry.body.chars().rev().collect();
                }
            }
        }
        Change::Headline(index) => {
            if let Some(entry) = blog.entry_at_mut(at(index)) {
                entry.headline = format!("Headline {step}");
                entry.modified = now;
            }
        }
        Change::KeyEvent(index) => {
            if let Some(entry) = blog.entry_at_mut(at(index)) {
                entry.flags.key_event = !entry.flags.key_event;
            }
        }
        Change::Status(index, status) => {
            if let Some(entry) = blog.entry_at_mut(at(index)) {
                entry.status = match status {
                    0 => EntryStatus::Published,
                    1 => EntryStatus::Draft,
                    2 => EntryStatus::Scheduled {
                        at: now + Duration::minutes(2),
                    },
                    _ => EntryStatus::Scheduled {
                        at: now - Duration::minutes(2),
                    },
                };
            }
        }
        Change::Pin(index) => {
            if let Some(id) = id_at(blog, index) {
                if let Some(place) = blog.pinned.iter().position(|pinned| *pinned == id) {
                    blog.pinned.remove(place);
                } else {
                    blog.pinned.push(id);
                }
            }
        }
        Change::Move(from, to) => {
            if count > 1 {
                let entry = blog.entries.remove(at(from));
                blog.entries.insert(to % count, entry);
            }
        }
        Change::NewPost => {
            let id = EntryId::new(format!("new-{step}")).expect("id");
            let mut entry = Entry::new_post(id, now);
            entry.body = format!("Breaking at step {step}.");
            entry.status = EntryStatus::Published;
            blog.entries.insert(0, std::sync::Arc::new(entry));
        }
        Change::Delete(index) => {
            if count > 1 {
                let entry = blog.entries.remove(at(index));
                blog.pinned.retain(|id| *id != entry.id);
            }
        }
        Change::Title => blog.settings.title = format!("Live: step {step}"),
        Change::LinkTo(from, to) => {
            if let Some(target) = id_at(blog, to)
                && let Some(entry) = blog.entry_at_mut(at(from))
            {
                entry.body = format!("See [the earlier post](#{}).", target.as_str());
                entry.modified = now;
            }
        }
        Change::TimePasses => {}
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(40))]

    /// The incremental build after any run of edits (and time passing, which brings
    /// scheduled posts into print) is the same site, byte for byte, as a fresh full build.
    #[test]
    fn an_incremental_build_after_random_edits_equals_a_fresh_one(
        changes in proptest::collection::vec(change(), 1..14),
    ) {
        use newsdesk::export::{SiteOptions, render_site};
        use newsdesk::publish::SiteBuilder;
        use std::collections::BTreeMap;
        let mut blog = blog(23);
        blog.settings.publish.page_size = 4;
        let mut now = chrono::Utc::now();
        let mut builder = SiteBuilder::new();
        let mut site: BTreeMap<String, String> = BTreeMap::new();
        for (step, change) in std::iter::once(None).chain(changes.iter().map(Some)).enumerate() {
            if let Some(change) = change {
                apply(&mut blog, change, now, step);
            }
            now += Duration::minutes(1);
            let built = builder.build(&blog, now);
            site.extend(built.changed);
            site.retain(|name, _| built.names.contains(name));
            let fresh: BTreeMap<String, String> =
                render_site(&blog, SiteOptions::of(&blog), now).into_iter().collect();
            proptest::prop_assert_eq!(
                site.keys().collect::<Vec<_>>(),
                fresh.keys().collect::<Vec<_>>()
            );
            for (name, text) in &fresh {
                if site.get(name) != Some(text) {
                    let old = site.get(name).cloned().unwrap_or_default();
                    let at = old.bytes().zip(text.bytes()).position(|(a, b)| a != b).unwrap_or(0);
                    eprintln!("OLD {}\nNEW {}", &old[at.saturating_sub(200)..(at + 200).min(old.len())], &text[at.saturating_sub(200)..(at + 200).min(text.len())]);
                }
                proptest::prop_assert!(
                    site.get(name) == Some(text),
                    "{name} differs after step {step}: {change:?}"
                );
            }
        }
    }
}

#[test]
fn an_edit_that_keeps_the_pages_shape_assembles_only_its_page_and_the_first() {
    use newsdesk::publish::SiteBuilder;
    let mut blog = blog(230);
    let mut builder = SiteBuilder::new();
    let first = builder.build(&blog, now());
    assert_eq!(builder.stats().pages_assembled, 5);
    assert_eq!(first.names.len(), 7);
    let old = blog.stream_entries().nth(160).expect("post").id.clone();
    edit_body(&mut blog, &old, "Corrected: 40, not 14.");
    let built = builder.build(&blog, now());
    assert_eq!(builder.stats().rendered, 1);
    let names: Vec<&str> = built
        .changed
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    // The edited post's page and the feeds; the first page stays as it was, the edit
    // being older than the latest update.
    assert_eq!(names, ["page-4.html", "feed.atom", "feed.json"]);
    // A draft changed: nothing on the site moves but the feeds, rewritten every time.
    let draft = blog.entries.get(7).expect("entry").id.clone();
    blog.entry_mut(&draft).expect("entry").status = newsdesk::model::EntryStatus::Draft;
    builder.build(&blog, now());
    let again = builder.build(&blog, now());
    assert_eq!(builder.stats().rendered, 0);
    let names: Vec<&str> = again
        .changed
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(names, ["feed.atom", "feed.json"]);
}
