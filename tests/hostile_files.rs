//! Hostile files: a clear error or a correct load, never a panic; and the fuzz corpus
//! replayed without a nightly toolchain.

use newsdesk::generate::generate;
use newsdesk::storage::{self};
use proptest::prelude::*;
use std::path::PathBuf;

// ---------------------------------------------------------------------------------------
// Hostile files: a clear error or a correct load, never a panic
// ---------------------------------------------------------------------------------------

use newsdesk::storage::LoadError;

fn load_text(bytes: &[u8]) -> Result<storage::Loaded, LoadError> {
    storage::load_bytes(std::path::Path::new("hostile.ron"), bytes)
}

fn small_document() -> String {
    storage::to_ron_string(&generate(4, 9)).unwrap()
}

fn assert_plain_error(result: Result<storage::Loaded, LoadError>, expected: &str) {
    match result {
        Ok(_) => panic!("loaded, expected an error mentioning {expected:?}"),
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("hostile.ron"), "{message}");
            assert!(message.contains(expected), "{message}");
        }
    }
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_plainly() {
    let depth = 10_000;
    let shapes = [
        "[".repeat(depth),
        "(".repeat(depth),
        format!("(format_version: 1, title: {}", "[".repeat(depth)),
        format!("(format_version: 1, entries: [{}", "Some(".repeat(depth)),
        format!("({}1{}", "(a: ".repeat(depth), ")".repeat(depth)),
    ];
    for text in shapes {
        let error = load_text(text.as_bytes()).expect_err("refused");
        assert!(matches!(error, LoadError::Syntax { .. }), "{error}");
    }
    let nested = format!(
        "(format_version: 1, notes: {}\"x\"{})",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert_plain_error(load_text(nested.as_bytes()), "nested more than");
}

#[test]
fn a_100_mb_string_loads_or_is_refused_plainly() {
    let mut blog = generate(2, 1);
    std::sync::Arc::make_mut(&mut blog.entries[0]).body = "a".repeat(100 << 20);
    let text = storage::to_ron_string(&blog).unwrap();
    let loaded = load_text(text.as_bytes()).unwrap();
    assert_eq!(loaded.blog.entries[0].body.len(), 100 << 20);
    drop(loaded);
    // The same string never closed.
    let cut = &text.as_bytes()[..text.len() / 2];
    assert!(matches!(load_text(cut), Err(LoadError::Syntax { .. })));
    // 100 MB of escapes.
    let escaped = format!(
        "(format_version: 1, title: \"{}\")",
        "\\u{1F600}".repeat(10 << 20)
    );
    assert!(load_text(escaped.as_bytes()).is_err());
}

#[test]
fn invalid_utf8_is_located_and_named() {
    let mut bytes = small_document().into_bytes();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 5;
    bytes[at] = 0xFF;
    let error = load_text(&bytes).expect_err("refused");
    assert_eq!(error.position().unwrap().line, 2);
    assert!(error.to_string().contains("not valid UTF-8"), "{error}");
}

#[test]
fn nul_bytes_are_an_error_or_kept_as_text() {
    let text = small_document();
    // Outside a string: a syntax error.
    let outside = text.replacen("format_version", "format\0version", 1);
    assert!(matches!(
        load_text(outside.as_bytes()),
        Err(LoadError::Syntax { .. })
    ));
    // Inside a string, raw: either read as the character or refused, never a panic.
    let inside = text.replacen("title: \"", "title: \"\0", 1);
    match load_text(inside.as_bytes()) {
        Ok(loaded) => assert!(loaded.blog.settings.title.starts_with('\0')),
        Err(error) => assert!(matches!(error, LoadError::Syntax { .. }), "{error}"),
    }
    // Only NULs.
    assert!(load_text(&[0u8; 4096]).is_err());
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_load_the_same_document() {
    let text = small_document();
    let expected = load_text(text.as_bytes()).unwrap().blog;
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(load_text(&with_bom).unwrap().blog, expected);
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(load_text(crlf.as_bytes()).unwrap().blog, expected);
    let both = [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat();
    assert_eq!(load_text(&both).unwrap().blog, expected);
    // A lone carriage return inside the text survives as text.
    let mut blog = expected.clone();
    std::sync::Arc::make_mut(&mut blog.entries[0]).body = "one\r\ntwo\rthree".into();
    let text = storage::to_ron_string(&blog).unwrap();
    assert_eq!(load_text(text.as_bytes()).unwrap().blog, blog);
}

#[test]
fn huge_numbers_are_refused_plainly() {
    let text = small_document();
    for version in [
        "99999999999999999999999999999999",
        "-1",
        "1e308",
        "18446744073709551616",
        "0x7fffffffffffffffffff",
        "NaN",
    ] {
        let hostile = text.replacen(
            "format_version: 2",
            &format!("format_version: {version}"),
            1,
        );
        let error = load_text(hostile.as_bytes()).err();
        assert!(error.is_some(), "format_version {version} loaded");
    }
    // The largest version a number can hold: a newer Newsdesk's file, read-only.
    let newest = text.replacen(
        "format_version: 2",
        "format_version: 18446744073709551615",
        1,
    );
    assert_eq!(
        load_text(newest.as_bytes()).unwrap().access,
        storage::Access::ReadOnlyNewer { version: u64::MAX }
    );
    // Huge numbers where text is expected, and years no calendar holds.
    let hostile = text.replacen("title: \"", "title: 1e999999, x: \"", 1);
    assert!(load_text(hostile.as_bytes()).is_err());
    let time = text.find("display_time: \"").unwrap() + "display_time: \"".len();
    let year_ten_thousand = format!("{}+999999999{}", &text[..time], &text[time + 4..]);
    assert!(load_text(year_ten_thousand.as_bytes()).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Mangled documents: any bytes changed, cut or repeated, never a panic.
    #[test]
    fn mangled_documents_never_panic(
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        keep in any::<prop::sample::Index>(),
    ) {
        let mut bytes = small_document().into_bytes();
        for (at, byte) in cuts {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        let keep = keep.index(bytes.len() + 1);
        let _ = load_text(&bytes[..keep]);
    }
}

// ---------------------------------------------------------------------------------------
// The fuzz corpus, replayed without a nightly toolchain
// ---------------------------------------------------------------------------------------

#[path = "../fuzz/common/document.rs"]
mod fuzz_document;
#[path = "../fuzz/common/page_safety.rs"]
mod page_safety;

/// The committed inputs of a fuzz target: its seeds and minimised corpus, and the inputs
/// that once found a bug (`fuzz/regressions`).
fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    // In the corpus only what is committed: a local fuzz run leaves its working files there.
    for (folder, only_committed) in [
        (root.join("corpus").join(target), true),
        (root.join("regressions").join(target), false),
    ] {
        let Ok(listing) = std::fs::read_dir(&folder) else {
            continue;
        };
        for found in listing.flatten() {
            let name = found.file_name().to_string_lossy().into_owned();
            let committed = name.starts_with("seed-") || name.starts_with("min-");
            let path = found.path();
            if path.is_file() && (committed || !only_committed) {
                let bytes = std::fs::read(&path).unwrap();
                inputs.push((path, bytes));
            }
        }
    }
    inputs.sort();
    inputs
}

#[test]
fn every_fuzz_input_for_the_loader_loads_or_fails_plainly() {
    let inputs = fuzz_inputs("load");
    assert!(inputs.len() >= 10, "only {} inputs", inputs.len());
    let path = std::path::Path::new("fuzz.ron");
    for (file, bytes) in inputs {
        match storage::load_bytes(path, &bytes) {
            Ok(loaded) => {
                let text = storage::to_ron_string(&loaded.blog).unwrap();
                let again = storage::load_bytes(path, text.as_bytes()).unwrap();
                assert_eq!(again.blog, loaded.blog, "{}", file.display());
            }
            Err(error) => {
                assert!(error.to_string().starts_with("fuzz.ron"), "{error}");
            }
        }
    }
}

#[test]
fn every_fuzz_input_for_the_exporter_gives_a_safe_page() {
    let inputs = fuzz_inputs("export");
    assert!(inputs.len() >= 4, "only {} inputs", inputs.len());
    for (file, bytes) in inputs {
        let blog = fuzz_document::document_from_bytes(&bytes);
        let page = newsdesk::export::render_page(&blog, fuzz_document::export_time(&blog));
        if let Err(problem) = page_safety::check_page(&page) {
            panic!("{}: {problem}", file.display());
        }
        let plain = newsdesk::export::render_page(
            &fuzz_document::plain_version(&blog),
            fuzz_document::export_time(&blog),
        );
        if let Err(problem) = page_safety::check_against_plain(&page, &plain) {
            panic!("{}: the text added markup: {problem}", file.display());
        }
    }
}

#[test]
fn the_page_safety_check_catches_unsafe_pages() {
    // The check used on fuzzed pages must itself be able to fail.
    let safe = newsdesk::export::render_page(&generate(3, 1), chrono::Utc::now());
    assert_eq!(page_safety::check_page(&safe), Ok(()));
    for unsafe_page in [
        "<p>hi</p><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\" JAVASCRIPT:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<script type=\"application/ld+json\">{\"a\": \"</p>\"}</script>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<svg><a href=\"https://x\">x</a></svg>",
        "<p style=\"background:url(https://evil.example)\">x</p>",
        "<video src=\"https://evil.example/v.mp4\"></video>",
    ] {
        assert!(
            page_safety::check_page(unsafe_page).is_err(),
            "{unsafe_page}"
        );
    }
    // Markup that text smuggled in beyond the template's is caught by the comparison.
    let template = "<article><p>plain</p><figure><img src=\"https://a.example/x.jpg\" alt=\"plain\"></figure></article>";
    assert_eq!(page_safety::check_against_plain(template, template), Ok(()));
    for smuggled in [
        "<article><p>a</p><style>p{}</style><figure><img src=\"https://a.example/x.jpg\" alt=\"a\"></figure></article>",
        "<article><p>a</p><link rel=\"stylesheet\" href=\"https://e.example/s.css\"><figure><img src=\"https://a.example/x.jpg\" alt=\"a\"></figure></article>",
        "<article><p>a</p><figure><img src=\"https://a.example/x.jpg\" alt=\"a\"><img src=\"https://e.example/t.gif\"></figure></article>",
        "<article><p class=\"x\" id=\"post-1\">a</p><figure><img src=\"https://a.example/x.jpg\" alt=\"a\"></figure></article>",
    ] {
        assert!(
            page_safety::check_against_plain(smuggled, template).is_err(),
            "{smuggled}"
        );
    }
}
