//! How the shared document scales: `cargo run --release --example sync_scale [-- POSTS]`.
//!
//! Prints the time to share a generated blog (`SharedBlog::create`), to open it from its
//! snapshot, the snapshot's size against the RON file, and the cost of a remote keystroke,
//! a remote move and a local move at that size.

use newsdesk::edit::{self, Edit, EntryField};
use newsdesk::sync::SharedBlog;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let posts: usize = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(100_000);
    let blog = newsdesk::generate::generate(posts, 1);
    let ron = newsdesk::storage::to_ron_string(&blog)?;

    let started = Instant::now();
    let parsed = newsdesk::storage::from_ron_str(&ron).map_err(|failure| failure.message)?;
    let ron_open = started.elapsed();
    drop(parsed);

    let started = Instant::now();
    let mut mine = SharedBlog::create(&blog, 1)?;
    let create = started.elapsed();

    let started = Instant::now();
    let snapshot = mine.snapshot()?;
    let export = started.elapsed();

    let started = Instant::now();
    let bare = loro::LoroDoc::new();
    bare.import(&snapshot)?;
    let bare_import = started.elapsed();
    let started = Instant::now();
    let deep = bare.get_deep_value();
    let deep_value = started.elapsed();
    drop(deep);
    drop(bare);

    let started = Instant::now();
    let (mut theirs, mut their_blog) = SharedBlog::from_snapshot(&snapshot)?;
    let open = started.elapsed();
    let started = Instant::now();
    let _ = theirs.to_blog()?;
    let read_back = started.elapsed();

    // What a joining editor gets from the server: the snapshot and the room's blog view.
    let started = Instant::now();
    let view = theirs.view(&their_blog)?;
    let write_view = started.elapsed();
    let started = Instant::now();
    let (from_view, viewed_blog) = SharedBlog::from_snapshot_with_view(&snapshot, Some(&view))?;
    let open_with_view = started.elapsed();
    let view_equal = viewed_blog == their_blog && from_view.check_consistency().is_ok();
    drop((from_view, viewed_blog));
    theirs.set_peer(2)?;
    let mut my_blog = mine.to_blog()?;

    // A colleague types one character in a post deep in the timeline.
    let target = their_blog.entries[posts / 2].id.clone();
    let mut body = their_blog.entries[posts / 2].body.clone();
    body.push('!');
    let keystroke = Edit::SetField {
        id: target.clone(),
        field: EntryField::Body(body),
        modified: their_blog.entries[posts / 2].modified,
    };
    let since = mine.oplog_version();
    edit::apply(&mut their_blog, keystroke.clone())?;
    let started = Instant::now();
    theirs.record_local(&keystroke)?;
    let local_keystroke = started.elapsed();
    let update = theirs.export_updates_since(&since)?;
    let started = Instant::now();
    let edits = mine.import(&update)?;
    let remote_keystroke = started.elapsed();
    let edit_count = edits.len();
    for edit in edits {
        edit::apply(&mut my_blog, edit)?;
    }

    // They move a post from the bottom to the top.
    let moved = Edit::MoveEntry {
        id: their_blog.entries[posts - 1].id.clone(),
        index: 0,
    };
    let since = mine.oplog_version();
    edit::apply(&mut their_blog, moved.clone())?;
    let started = Instant::now();
    theirs.record_local(&moved)?;
    let local_move = started.elapsed();
    let update = theirs.export_updates_since(&since)?;
    let started = Instant::now();
    let edits = mine.import(&update)?;
    let remote_move = started.elapsed();
    for edit in edits {
        edit::apply(&mut my_blog, edit)?;
    }
    let in_step = my_blog == mine.to_blog()?;

    // Typing on: the next keystrokes in the same body, each recorded as the editor does.
    let mut later_keystrokes = Vec::new();
    for _ in 0..20 {
        let entry = their_blog.entry(&target).ok_or("the entry went")?;
        let mut body = entry.body.clone();
        body.push('a');
        let keystroke = Edit::SetField {
            id: target.clone(),
            field: EntryField::Body(body),
            modified: entry.modified,
        };
        edit::apply(&mut their_blog, keystroke.clone())?;
        let started = Instant::now();
        theirs.record_local(&keystroke)?;
        later_keystrokes.push(started.elapsed());
    }
    later_keystrokes.sort();

    // The shared state beside the file: the first write (a snapshot), then what the editor
    // writes every 5 s while typing goes on (an appended update), and reading it back.
    let folder = std::env::temp_dir().join(format!("sync_scale_{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let state = folder.join("blog.ron.loro");
    let link = "newsdesk://127.0.0.1:7878/room1#0123456789abcdef0123456789abcdef";
    let mut writer = newsdesk::sync::SharedStateWriter::new(&state, link);
    let started = Instant::now();
    writer.write(theirs.doc())?;
    let state_snapshot = started.elapsed();
    let state_snapshot_bytes = std::fs::metadata(&state)?.len();
    let entry = their_blog.entry(&target).ok_or("the entry went")?;
    let mut body = entry.body.clone();
    body.push_str(" and more");
    let keystroke = Edit::SetField {
        id: target.clone(),
        field: EntryField::Body(body),
        modified: entry.modified,
    };
    edit::apply(&mut their_blog, keystroke.clone())?;
    theirs.record_local(&keystroke)?;
    let started = Instant::now();
    writer.write(theirs.doc())?;
    let state_append = started.elapsed();
    let state_append_bytes = std::fs::metadata(&state)?.len() - state_snapshot_bytes;
    let started = Instant::now();
    let (_, resumed, _) = newsdesk::sync::read_shared_state(&state)?;
    let state_read = started.elapsed();
    let resumed_equal = resumed == their_blog;
    drop(resumed);
    std::fs::remove_dir_all(&folder)?;

    println!("{posts} entries");
    println!(
        "RON file:            {:>8.1} MB, parsed in {ron_open:.2?}",
        mb(ron.len())
    );
    println!(
        "Loro snapshot:       {:>8.1} MB ({:.2}x the RON file), exported in {export:.2?}",
        mb(snapshot.len()),
        snapshot.len() as f64 / ron.len() as f64
    );
    println!("create:              {create:.2?}");
    println!(
        "from_snapshot:       {open:.2?} ({:.2}x parsing the RON file)",
        open.as_secs_f64() / ron_open.as_secs_f64()
    );
    println!(
        "  of which: Loro import {bare_import:.2?}, a second to_blog {read_back:.2?} (Loro's get_deep_value alone: {deep_value:.2?})"
    );
    println!(
        "from_snapshot_with_view: {open_with_view:.2?} ({:.2}x parsing the RON file; view {:.1} MB, written in {write_view:.2?}; same blog: {view_equal})",
        open_with_view.as_secs_f64() / ron_open.as_secs_f64(),
        mb(view.len())
    );
    println!("local keystroke:     {local_keystroke:.2?} (record_local, the first after opening)");
    println!(
        "next 20 keystrokes:  median {:.2?}, worst {:.2?}",
        later_keystrokes[later_keystrokes.len() / 2],
        later_keystrokes[later_keystrokes.len() - 1]
    );
    println!("remote keystroke:    {remote_keystroke:.2?} (import, {edit_count} edit)");
    println!("local move:          {local_move:.2?}");
    println!("remote move:         {remote_move:.2?}");
    println!("patched document equals the shared one: {in_step}");
    println!(
        "shared state file:   first write (snapshot) {state_snapshot:.2?}, {:.1} MB; a later write after typing (appended update) {state_append:.2?}, {state_append_bytes} bytes; read back {state_read:.2?} (same blog: {resumed_equal})",
        mb(state_snapshot_bytes as usize)
    );
    Ok(())
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}
