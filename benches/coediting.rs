//! Frame time of an editor in a shared blog while a colleague's edits stream in at 10 a
//! second, against the same editor's frames while the room is quiet. Both through a real sync
//! server (in this process, on a loopback port) and a real client on each side.

use crate::frames::{Frames, p95};
use newsdesk::edit::{self, Edit, EntryField};
use newsdesk::model::LiveBlog;
use newsdesk::sync::SharedBlog;
use newsdesk::sync::net::{ClientOptions, ServerAddress, SyncClient, oneshot};
use newsdesk::ui::NewsdeskApp;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A frame every 16 ms, as a display paces them, so that edits arrive between frames as they
/// would on screen.
const FRAME_EVERY: Duration = Duration::from_millis(16);
const BLOCK: Duration = Duration::from_secs(3);

pub fn coediting_ratio(
    posts: usize,
    blog: &LiveBlog,
    data: &std::path::Path,
    report: &mut Vec<String>,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the server");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let data = data.to_path_buf();
    std::thread::spawn(move || {
        runtime.block_on(newsdesk::sync::net::server::serve(listener, data))
    });
    let server = ServerAddress::parse(&format!("ws://{address}")).expect("an address");
    let shared = SharedBlog::create(blog, 1).expect("shares");
    let link =
        oneshot::create_room(&server, shared.snapshot().expect("a snapshot")).expect("a room");

    // The measured editor joins the room.
    let mut frames = Frames::new(NewsdeskApp::new_for_test(LiveBlog::new(
        "",
        chrono::Utc::now(),
    )));
    frames.app.join_at_start(&frames.ctx(), link.clone());
    let joined = Instant::now();
    while !frames
        .app
        .sharing_status()
        .is_some_and(|status| status.contains("1 other editor") || status.contains("nobody else"))
        || frames.app.is_busy()
    {
        assert!(joined.elapsed() < Duration::from_secs(300), "never joined");
        std::thread::sleep(Duration::from_millis(20));
        frames.frame(Vec::new());
    }

    // The colleague: their own replica and connection, typing into a post mid-timeline.
    let streaming = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let ready = Arc::new(AtomicBool::new(false));
    let colleague = {
        let streaming = Arc::clone(&streaming);
        let stop = Arc::clone(&stop);
        let ready = Arc::clone(&ready);
        let link = link.clone();
        std::thread::spawn(move || {
            let snapshot = oneshot::fetch_room(&link)
                .expect("fetches")
                .export(loro::ExportMode::Snapshot)
                .expect("exports");
            let (mut replica, mut theirs) = SharedBlog::from_snapshot(&snapshot).expect("opens");
            replica.set_peer(2).expect("a peer");
            let client = SyncClient::connect(
                link,
                Arc::new(replica.doc().clone()),
                ClientOptions::default(),
            )
            .expect("connects");
            let target = theirs.entries[theirs.entries.len() / 2].id.clone();
            let mut sent = 0usize;
            ready.store(true, Ordering::Relaxed);
            // Paced by deadline: ten edits a second whatever each one costs.
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                for event in client.poll() {
                    if let newsdesk::sync::net::SyncEvent::RemoteUpdate(blobs) = event {
                        for blob in blobs {
                            for edit in replica.import(&blob).unwrap_or_default() {
                                let _ = edit::apply(&mut theirs, edit);
                            }
                        }
                    }
                }
                if streaming.load(Ordering::Relaxed) {
                    let Some(entry) = theirs.entry(&target) else {
                        break;
                    };
                    let mut body = entry.body.clone();
                    body.push(if sent % 6 == 5 { ' ' } else { 'e' });
                    let keystroke = Edit::SetField {
                        id: target.clone(),
                        field: EntryField::Body(body),
                        modified: chrono::Utc::now(),
                    };
                    if edit::apply(&mut theirs, keystroke.clone()).is_ok()
                        && replica.record_local(&keystroke).is_ok()
                    {
                        client.local_changed();
                        sent += 1;
                    }
                }
                next += Duration::from_millis(100);
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
            }
            sent
        })
    };

    // Opening the room's copy takes the colleague a while at 100k: measure once they type.
    while !ready.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(20));
        frames.frame(Vec::new());
    }
    let paced_block = |frames: &mut Frames| {
        let started = Instant::now();
        let mut times = Vec::new();
        let mut index = 0usize;
        while started.elapsed() < BLOCK {
            let point = egui::Pos2::new(700.0 + (index % 50) as f32, 400.0);
            let frame_started = Instant::now();
            times.push(frames.frame(vec![egui::Event::PointerMoved(point)]));
            index += 1;
            std::thread::sleep(FRAME_EVERY.saturating_sub(frame_started.elapsed()));
        }
        times
    };
    // Alternate quiet and streaming blocks so that drift on a shared machine hits both.
    let mut quiet = Vec::new();
    let mut busy = Vec::new();
    for _ in 0..3 {
        streaming.store(false, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(300));
        quiet.push(p95(&paced_block(&mut frames)));
        streaming.store(true, Ordering::Relaxed);
        busy.push(p95(&paced_block(&mut frames)));
    }
    stop.store(true, Ordering::Relaxed);
    let sent = colleague.join().unwrap_or(0);
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let (quiet, busy) = (median(&mut quiet), median(&mut busy));
    println!(
        "shared blog of {posts} posts: frame p95 {:.3} ms while a colleague's {sent} edits streamed in at 10/s, {:.3} ms while quiet",
        busy * 1e3,
        quiet * 1e3
    );
    report.push(format!(
        "| frame p95 while remote edits stream in at 10/s vs a quiet room | {posts} | {:.2} | <= 1.2 |",
        busy / quiet
    ));
}
