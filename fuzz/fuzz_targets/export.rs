//! Any document to a page: the page keeps its safety invariants (no script but JSON-LD,
//! no event-handler attributes, no `javascript:` or other unsafe addresses).
#![no_main]

#[path = "../common/document.rs"]
mod document;
#[path = "../common/page_safety.rs"]
mod page_safety;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let blog = document::document_from_bytes(bytes);
    let page = newsdesk::export::render_page(&blog, document::export_time(&blog));
    if let Err(problem) = page_safety::check_page(&page) {
        panic!("unsafe page: {problem}\n--- page ---\n{page}");
    }
    let plain = newsdesk::export::render_page(&document::plain_version(&blog), document::export_time(&blog));
    if let Err(problem) = page_safety::check_against_plain(&page, &plain) {
        panic!("the text added markup: {problem}\n--- page ---\n{page}");
    }
});
