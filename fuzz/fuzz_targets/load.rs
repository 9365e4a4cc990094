//! Any bytes as a document file: a document or a plain error, never a panic, and a
//! document that loads saves and loads back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::storage;
use std::path::Path;

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.ron");
    match storage::load_bytes(path, bytes) {
        Ok(loaded) => {
            let text = storage::to_ron_string(&loaded.blog).expect("a loaded document saves");
            let again = storage::load_bytes(path, text.as_bytes()).expect("a saved document loads");
            assert_eq!(
                again.blog, loaded.blog,
                "save and load changed the document"
            );
        }
        Err(error) => {
            // Every error names the file.
            assert!(error.to_string().starts_with("fuzz.ron"), "{error}");
        }
    }
});
