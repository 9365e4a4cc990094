//! The sync server and its clients as real processes on real sockets: `newsdesk serve` on port 0,
//! the library's client and one-off exchanges, and the headless commands.
//!
//! Waits poll with deadlines; no sleep is an assertion.

use loro::{ExportMode, LoroDoc};
use newsdesk::sync::net::oneshot::{create_room, fetch_room, fetch_room_with_view};
use newsdesk::sync::net::{
    ClientOptions, ConnectionStatus, NetError, Presence, ServerAddress, ShareLink, SyncClient,
    SyncEvent,
};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_newsdesk");

/// A running `newsdesk serve`, killed on drop; its stderr is collected for assertions.
struct Server {
    child: Child,
    address: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(data: &Path) -> Server {
        Server::start_on(data, "127.0.0.1:0")
    }

    fn start_on(data: &Path, bind: &str) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", bind, "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server prints its address");
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server {
            child,
            address,
            log,
        }
    }

    fn server(&self) -> ServerAddress {
        ServerAddress::parse(&format!("ws://{}", self.address)).unwrap()
    }

    fn url(&self) -> String {
        format!("ws://{}", self.address)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_for_log(&self, needle: &str) {
        wait_until(
            Duration::from_secs(10),
            &format!("the server logs {needle:?}"),
            || self.log().contains(needle),
        );
        let _ = self;
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGKILL: nothing is flushed or closed by the server itself.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until(limit: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn text_doc(text: &str) -> LoroDoc {
    let doc = LoroDoc::new();
    doc.get_text("body").insert(0, text).unwrap();
    doc.commit();
    doc
}

/// Rejoins and tells whether the room's version then equals the document's.
fn server_holds(client: &SyncClient, doc: &LoroDoc) -> bool {
    client.reconnect();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        for event in client.poll() {
            if let SyncEvent::Connected { server_version } = event {
                return server_version == doc.oplog_vv();
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// Fetches the room with its blog view, waiting while the server builds the view (it starts on
/// the first join, in the background).
fn fetch_with_view(link: &ShareLink) -> (LoroDoc, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (doc, view) = fetch_room_with_view(link).unwrap();
        if let Some(view) = view {
            return (doc, view);
        }
        assert!(
            Instant::now() < deadline,
            "the server never sent a blog view"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn relink(link: &ShareLink, server: &Server) -> ShareLink {
    ShareLink {
        server: server.server(),
        ..link.clone()
    }
}

#[test]
fn a_room_made_from_a_document_gives_it_back() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let doc = text_doc("Kyiv talks: live");
    let link = create_room(&server.server(), doc.export(ExportMode::Snapshot).unwrap()).unwrap();
    assert!(link.token.len() >= 22, "a token of at least 128 bits");
    let fetched = fetch_room(&link).unwrap();
    assert_eq!(fetched.get_text("body").to_string(), "Kyiv talks: live");
    assert_eq!(fetched.oplog_vv(), doc.oplog_vv());
    server.wait_for_log("created room");
}

#[test]
fn wrong_tokens_and_unknown_rooms_are_refused_and_logged() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let link = create_room(
        &server.server(),
        text_doc("x").export(ExportMode::Snapshot).unwrap(),
    )
    .unwrap();

    let mut wrong = link.clone();
    wrong.token = "AAAAAAAAAAAAAAAAAAAAAAAAAAA".into();
    match fetch_room(&wrong) {
        Err(NetError::WrongToken(message)) => {
            assert!(message.contains("token does not open"), "{message}")
        }
        other => panic!("expected a wrong-token refusal, got {other:?}"),
    }
    server.wait_for_log("wrong token for room");

    let mut unknown = link.clone();
    unknown.room = "0123456789abcdef01234567".into();
    match fetch_room(&unknown) {
        Err(NetError::UnknownRoom(message)) => assert!(message.contains("no room"), "{message}"),
        other => panic!("expected an unknown-room refusal, got {other:?}"),
    }
    server.wait_for_log("there is no room 0123456789abcdef01234567");
    assert!(
        !server.log().contains(&link.token),
        "the log never shows a token"
    );
}

#[test]
fn an_unreachable_server_is_reported() {
    // A port that was just free: bind, note, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let link = ShareLink::parse(&format!(
        "newsdesk://127.0.0.1:{port}/abc#AAAAAAAAAAAAAAAAAAAAAAAAAAA"
    ))
    .unwrap();
    match fetch_room(&link) {
        Err(error @ NetError::Unreachable(..)) => {
            assert!(error.to_string().contains("cannot be reached"))
        }
        other => panic!("expected unreachable, got {other:?}"),
    }
}

/// Updates a client was told are stored survive a SIGKILL of the server and a restart.
#[test]
fn acknowledged_updates_survive_a_killed_server() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let doc = text_doc("start");
    let link = create_room(&server.server(), doc.export(ExportMode::Snapshot).unwrap()).unwrap();

    let client = SyncClient::connect(
        link.clone(),
        Arc::new(doc.clone()),
        ClientOptions::default(),
    )
    .unwrap();
    wait_until(Duration::from_secs(10), "connected", || {
        client.status() == ConnectionStatus::Connected
    });
    let text = doc.get_text("body");
    for i in 0..50 {
        text.insert(text.len_unicode(), &format!(" {i}")).unwrap();
        doc.commit();
        client.local_changed();
    }
    // The server's version at a fresh join counts only what it has stored (import and fsync
    // happen under the room's lock, which a join waits for).
    wait_until(
        Duration::from_secs(20),
        "the server holds everything",
        || server_holds(&client, &doc),
    );
    drop(client);
    server.kill();

    let server = Server::start(data.path());
    let fetched = fetch_room(&relink(&link, &server)).unwrap();
    assert_eq!(fetched.get_text("body").to_string(), text.to_string());
}

/// Garbage, lies and corrupt updates are refused and logged; the server and the room live on.
#[test]
fn hostile_messages_do_not_hurt_the_server_or_the_room() {
    use futures_util::{SinkExt, StreamExt};
    use loro_protocol::{BatchId, CrdtType, ProtocolMessage};
    use tokio_tungstenite::tungstenite::Message;

    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start(data.path());
    let doc = text_doc("intact");
    let link = create_room(&server.server(), doc.export(ExportMode::Snapshot).unwrap()).unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = format!("{}/{}", server.url(), link.room);
    let garbage: Vec<Vec<u8>> = vec![
        vec![],
        b"%LOR".to_vec(),
        vec![0xff; 300],
        // A DocUpdate claiming 2^62 updates.
        [
            b"%LOR".as_slice(),
            &[
                1, b'r', 3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40,
            ],
            &[0; 8],
        ]
        .concat(),
        (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect(),
    ];
    runtime.block_on(async {
        for bytes in &garbage {
            let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
                .await
                .unwrap();
            let _ = ws.send(Message::Binary(bytes.clone().into())).await;
            // The server closes the connection after a malformed message.
            while let Some(Ok(message)) = ws.next().await {
                if message.is_close() {
                    break;
                }
            }
        }
        // A joined connection sending a corrupt Loro update and a lying fragment header.
        let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
            .await
            .unwrap();
        let join = ProtocolMessage::JoinRequest {
            crdt: CrdtType::Loro,
            room_id: link.room.clone(),
            auth: format!("join:{}", link.token).into_bytes(),
            version: doc.oplog_vv().encode(),
        };
        ws.send(Message::Binary(
            loro_protocol::encode(&join).unwrap().into(),
        ))
        .await
        .unwrap();
        let mut corrupt = doc.export(ExportMode::all_updates()).unwrap();
        let middle = corrupt.len() / 2;
        corrupt[middle] ^= 0x5a;
        let update = ProtocolMessage::DocUpdate {
            crdt: CrdtType::Loro,
            room_id: link.room.clone(),
            updates: vec![corrupt, b"not loro at all".to_vec()],
            batch_id: BatchId([9; 8]),
        };
        ws.send(Message::Binary(
            loro_protocol::encode(&update).unwrap().into(),
        ))
        .await
        .unwrap();
        let header = ProtocolMessage::DocUpdateFragmentHeader {
            crdt: CrdtType::Loro,
            room_id: link.room.clone(),
            batch_id: BatchId([8; 8]),
            fragment_count: u64::MAX,
            total_size_bytes: u64::MAX,
        };
        ws.send(Message::Binary(
            loro_protocol::encode(&header).unwrap().into(),
        ))
        .await
        .unwrap();
        let mut refused = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while refused < 2 {
            let message = tokio::time::timeout_at(deadline, ws.next())
                .await
                .expect("acks in time");
            let Some(Ok(Message::Binary(bytes))) = message else {
                continue;
            };
            if let Ok(ProtocolMessage::Ack { status, .. }) = loro_protocol::decode(&bytes) {
                assert_ne!(status, loro_protocol::UpdateStatusCode::Ok);
                refused += 1;
            }
        }
    });
    server.wait_for_log("refused and not stored");
    server.wait_for_log("refused fragment header");
    assert!(server.is_running(), "the server survived");
    let fetched = fetch_room(&link).unwrap();
    assert_eq!(fetched.get_text("body").to_string(), "intact");
    assert_eq!(fetched.oplog_vv(), doc.oplog_vv());
}

/// Two clients, presence, offline editing and catch-up both ways.
#[test]
fn clients_exchange_edits_presence_and_catch_up_after_going_offline() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let origin = text_doc("");
    let link = create_room(
        &server.server(),
        origin.export(ExportMode::Snapshot).unwrap(),
    )
    .unwrap();
    let a = fetch_room(&link).unwrap();
    let b = fetch_room(&link).unwrap();
    let presence = |name: &str| ClientOptions {
        presence: Presence {
            name: name.into(),
            colour: [200, 30, 30],
            entry: None,
            typing: false,
        },
        ..ClientOptions::default()
    };
    let client_a = SyncClient::connect(link.clone(), Arc::new(a.clone()), presence("Ana")).unwrap();
    let client_b = SyncClient::connect(link.clone(), Arc::new(b.clone()), presence("Ben")).unwrap();
    let pump = |client: &SyncClient, doc: &LoroDoc| {
        for event in client.poll() {
            if let SyncEvent::RemoteUpdate(blobs) = event {
                for blob in blobs {
                    doc.import(&blob).unwrap();
                }
            }
        }
    };
    wait_until(Duration::from_secs(10), "both see each other", || {
        pump(&client_a, &a);
        pump(&client_b, &b);
        client_a.others() == 1 && client_b.others() == 1
    });
    let seen = client_b.peers();
    assert_eq!(
        seen[0].presence.as_ref().map(|p| p.name.as_str()),
        Some("Ana")
    );

    client_a.set_presence(Presence {
        name: "Ana".into(),
        colour: [200, 30, 30],
        entry: Some("post-1".into()),
        typing: true,
    });
    wait_until(Duration::from_secs(10), "B sees where A types", || {
        pump(&client_b, &b);
        client_b
            .peers()
            .iter()
            .any(|p| p.presence.as_ref().and_then(|p| p.entry.as_deref()) == Some("post-1"))
    });

    // Online edit from A reaches B.
    a.get_text("body").insert(0, "Hello").unwrap();
    a.commit();
    client_a.local_changed();
    wait_until(Duration::from_secs(10), "B has A's edit", || {
        pump(&client_b, &b);
        b.get_text("body").to_string() == "Hello"
    });

    // B goes offline and edits; A edits meanwhile; both catch up when B returns.
    client_b.set_online(false);
    wait_until(Duration::from_secs(10), "B offline and A alone", || {
        pump(&client_a, &a);
        matches!(client_b.status(), ConnectionStatus::Offline { .. }) && client_a.others() == 0
    });
    b.get_text("body").insert(5, " from B").unwrap();
    b.commit();
    client_b.local_changed();
    a.get_text("body").insert(0, ">> ").unwrap();
    a.commit();
    client_a.local_changed();
    client_b.set_online(true);
    wait_until(Duration::from_secs(10), "both converge", || {
        pump(&client_a, &a);
        pump(&client_b, &b);
        a.oplog_vv() == b.oplog_vv()
    });
    assert_eq!(a.get_text("body").to_string(), ">> Hello from B");
    assert_eq!(b.get_text("body").to_string(), ">> Hello from B");
}

/// After the server dies, a client reconnects by itself once a server is back on the same port.
#[test]
fn a_client_reconnects_after_the_server_restarts() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let address = server.address.clone();
    let doc = text_doc("before");
    let link = create_room(&server.server(), doc.export(ExportMode::Snapshot).unwrap()).unwrap();
    let client = SyncClient::connect(
        link.clone(),
        Arc::new(doc.clone()),
        ClientOptions::default(),
    )
    .unwrap();
    wait_until(Duration::from_secs(10), "connected", || {
        client.status() == ConnectionStatus::Connected
    });
    server.kill();
    wait_until(Duration::from_secs(20), "reconnecting", || {
        matches!(client.status(), ConnectionStatus::Reconnecting { .. })
    });
    // Edit while the server is down.
    doc.get_text("body").insert(0, "offline ").unwrap();
    doc.commit();
    client.local_changed();
    let server = Server::start_on(data.path(), &address);
    wait_until(Duration::from_secs(30), "reconnected", || {
        client.status() == ConnectionStatus::Connected
    });
    wait_until(
        Duration::from_secs(10),
        "the edit reached the server",
        || {
            fetch_room(&relink(&link, &server))
                .map(|d| d.get_text("body").to_string() == "offline before")
                .unwrap_or(false)
        },
    );
}

fn newsdesk(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("newsdesk runs")
}

/// `share` then `pull` gives the same canonical RON; refusals exit 2 with a sentence.
#[test]
fn share_then_pull_gives_the_same_file_and_refusals_exit_2() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let original = work.path().join("blog.ron");
    let out = newsdesk(&[
        "generate",
        "--posts",
        "40",
        "--seed",
        "7",
        "-o",
        original.to_str().unwrap(),
    ]);
    assert!(out.status.success());

    let out = newsdesk(&[
        "share",
        original.to_str().unwrap(),
        "--server",
        &server.url(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(link.starts_with("newsdesk://127.0.0.1:"), "{link}");

    let pulled = work.path().join("pulled.ron");
    let out = newsdesk(&["pull", &link, "-o", pulled.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&original).unwrap(),
        std::fs::read(&pulled).unwrap()
    );

    let parsed = ShareLink::parse(&link).unwrap();
    let target = work.path().join("refused.ron");
    let cases = [
        (
            ShareLink {
                token: "BBBBBBBBBBBBBBBBBBBBBBBBBBB".into(),
                ..parsed.clone()
            }
            .to_string(),
            "token does not open",
        ),
        (
            ShareLink {
                room: "feedfeedfeedfeedfeedfeed".into(),
                ..parsed.clone()
            }
            .to_string(),
            "no room feedfeedfeedfeedfeedfeed",
        ),
        (
            format!(
                "newsdesk://127.0.0.1:{}/{}#{}",
                free_port(),
                parsed.room,
                parsed.token
            ),
            "cannot be reached",
        ),
        ("newsdesk://127.0.0.1:7000/room".to_string(), "no token"),
    ];
    for (link, expected) in cases {
        let out = newsdesk(&["pull", &link, "-o", target.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{link}: {stderr}");
        assert!(stderr.contains(expected), "{link}: {stderr}");
        assert!(!target.exists());
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The proof: three headless editor processes make a few hundred random edits each through
/// the edit layer, dropping and restoring their connections at random; once in sync, the RON they
/// write is byte-identical, no id appears twice, every entry created and not deleted is there once,
/// and the model's invariants hold.
#[test]
fn three_editors_converge_to_the_same_file() {
    use std::io::Write;
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let original = work.path().join("blog.ron");
    assert!(
        newsdesk(&[
            "generate",
            "--posts",
            "20",
            "--seed",
            "3",
            "-o",
            original.to_str().unwrap()
        ])
        .status
        .success()
    );
    let out = newsdesk(&[
        "share",
        original.to_str().unwrap(),
        "--server",
        &server.url(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let base = newsdesk::storage::load(&original).unwrap().blog;

    let started = Instant::now();
    let mut peers: Vec<(Child, std::sync::mpsc::Receiver<String>)> = (1..=3)
        .map(|seed| {
            let mut child = Command::new(BIN)
                .args([
                    "sync-peer",
                    &link,
                    "--seed",
                    &seed.to_string(),
                    "--edits",
                    "300",
                    "-o",
                ])
                .arg(work.path().join(format!("peer{seed}.ron")))
                .arg("--journal")
                .arg(work.path().join(format!("peer{seed}.journal")))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            (child, rx)
        })
        .collect();
    for (child, lines) in &mut peers {
        let line = lines.recv_timeout(Duration::from_secs(60));
        assert_eq!(
            line.as_deref(),
            Ok("edits done"),
            "a peer failed: {:?}",
            child.try_wait()
        );
    }
    for (child, _) in &mut peers {
        writeln!(child.stdin.as_mut().unwrap(), "sync").unwrap();
    }
    for (child, lines) in &mut peers {
        let line = lines.recv_timeout(Duration::from_secs(60));
        assert!(
            matches!(&line, Ok(l) if l.starts_with("wrote")),
            "a peer did not sync: {line:?}"
        );
        assert!(child.wait().unwrap().success());
    }
    eprintln!(
        "three peers, 300 edits each, in sync after {:?}",
        started.elapsed()
    );

    let files: Vec<Vec<u8>> = (1..=3)
        .map(|seed| std::fs::read(work.path().join(format!("peer{seed}.ron"))).unwrap())
        .collect();
    assert_eq!(files[0], files[1], "peers 1 and 2 differ");
    assert_eq!(files[0], files[2], "peers 1 and 3 differ");

    let merged = newsdesk::storage::load(&work.path().join("peer1.ron"))
        .unwrap()
        .blog;
    assert_eq!(merged.violations(), vec![], "invariants hold");
    let mut expected: std::collections::BTreeSet<String> =
        base.entries.iter().map(|e| e.id.to_string()).collect();
    let mut deleted = std::collections::BTreeSet::new();
    for seed in 1..=3 {
        let journal =
            std::fs::read_to_string(work.path().join(format!("peer{seed}.journal"))).unwrap();
        for line in journal.lines() {
            match line.split_once(' ') {
                Some(("created", id)) => {
                    expected.insert(id.to_string());
                }
                Some(("deleted", id)) => {
                    deleted.insert(id.to_string());
                }
                _ => panic!("bad journal line {line:?}"),
            }
        }
    }
    assert!(!deleted.is_empty(), "the run deleted something");
    let expected: Vec<String> = expected.difference(&deleted).cloned().collect();
    let mut present: Vec<String> = merged.entries.iter().map(|e| e.id.to_string()).collect();
    let count = present.len();
    present.sort();
    present.dedup();
    assert_eq!(present.len(), count, "no id twice");
    assert_eq!(
        present, expected,
        "every entry created and not deleted is there, once"
    );
    // The server's copy is the same document.
    let pulled = work.path().join("pulled.ron");
    assert!(
        newsdesk(&["pull", &link, "-o", pulled.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(std::fs::read(&pulled).unwrap(), files[0]);
}

/// A remote edit visible at another client on loopback: from the edit being recorded at A to B
/// having imported it and patched its plain document, woken by the client's waker as an egui app
/// would be. Run with `cargo test --release --test sync_server remote_edit_latency -- --ignored --nocapture`.
#[test]
#[ignore]
fn remote_edit_latency() {
    use newsdesk::edit::{self, Edit, EntryField};
    use newsdesk::sync::SharedBlog;
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let blog = newsdesk::generate::generate(500, 11);
    let shared = SharedBlog::create(&blog, 1).unwrap();
    let link = create_room(&server.server(), shared.snapshot().unwrap()).unwrap();

    let open = |peer: u64| {
        let snapshot = fetch_room(&link)
            .unwrap()
            .export(ExportMode::Snapshot)
            .unwrap();
        let (shared, blog) = SharedBlog::from_snapshot(&snapshot).unwrap();
        shared.set_peer(peer).unwrap();
        (shared, blog)
    };
    let (mut shared_a, mut blog_a) = open(10);
    let (mut shared_b, mut blog_b) = open(20);
    let client_a = SyncClient::connect(
        link.clone(),
        Arc::new(shared_a.doc().clone()),
        ClientOptions::default(),
    )
    .unwrap();
    let (wake_tx, wake_rx) = std::sync::mpsc::channel::<()>();
    let wake_tx = Mutex::new(wake_tx);
    let options = ClientOptions {
        waker: Some(Arc::new(move || {
            let _ = wake_tx.lock().unwrap().send(());
        })),
        ..ClientOptions::default()
    };
    let client_b =
        SyncClient::connect(link.clone(), Arc::new(shared_b.doc().clone()), options).unwrap();
    wait_until(Duration::from_secs(10), "both connected", || {
        let _ = client_a.poll();
        client_a.status() == ConnectionStatus::Connected
            && client_b.status() == ConnectionStatus::Connected
    });
    let id = blog_a.entries[0].id.clone();
    let mut samples = Vec::new();
    for i in 0..300 {
        let headline = format!("Breaking: update {i}");
        let edit = Edit::SetField {
            id: id.clone(),
            field: EntryField::Headline(headline.clone()),
            modified: blog_a.entries[0].modified,
        };
        let started = Instant::now();
        edit::apply(&mut blog_a, edit.clone()).unwrap();
        shared_a.record_local(&edit).unwrap();
        client_a.local_changed();
        loop {
            let _ = wake_rx.recv_timeout(Duration::from_secs(5));
            for event in client_b.poll() {
                if let SyncEvent::RemoteUpdate(blobs) = event {
                    for blob in blobs {
                        for edit in shared_b.import(&blob).unwrap() {
                            edit::apply(&mut blog_b, edit).unwrap();
                        }
                    }
                }
            }
            if blog_b.entry(&id).unwrap().headline == headline {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "edit {i} never arrived"
            );
        }
        samples.push(started.elapsed());
        let _ = client_a.poll();
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    eprintln!(
        "remote edit visible, {} edits on loopback (500-entry blog): p50 {:?}, p95 {:?}, max {:?}",
        samples.len(),
        at(0.5),
        at(0.95),
        samples[samples.len() - 1]
    );
    assert!(
        at(0.95) < Duration::from_millis(100),
        "p95 within the issue's 100 ms target"
    );
}

/// A joining editor gets the room's blog view with the document; the view is the blog the
/// document holds, also after edits made in the room since the view was first built.
#[test]
fn a_join_gets_the_rooms_blog_view_kept_up_to_date() {
    use newsdesk::edit::{Edit, EntryField};
    use newsdesk::sync::SharedBlog;

    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let blog = newsdesk::generate::generate(200, 3);
    let mine = SharedBlog::create(&blog, 1).unwrap();
    let link = create_room(&server.server(), mine.snapshot().unwrap()).unwrap();

    let (doc, view) = fetch_with_view(&link);
    let (joined, from_view) = SharedBlog::from_doc(doc, Some(&view)).unwrap();
    assert!(
        joined.opened_from_view(),
        "the server's view fits its document"
    );
    assert_eq!(from_view, mine.to_blog().unwrap());

    // A colleague edits and moves a post; the server's view follows.
    let mut mine = mine;
    let mut plain = mine.to_blog().unwrap();
    let client = SyncClient::connect(
        link.clone(),
        Arc::new(mine.doc().clone()),
        ClientOptions::default(),
    )
    .unwrap();
    let target = plain.entries[10].id.clone();
    let edits = [
        Edit::SetField {
            id: target.clone(),
            field: EntryField::Body("Changed in the room.".into()),
            modified: plain.entries[10].modified,
        },
        Edit::MoveEntry {
            id: target,
            index: 0,
        },
    ];
    for edit in edits {
        newsdesk::edit::apply(&mut plain, edit.clone()).unwrap();
        mine.record_local(&edit).unwrap();
    }
    client.local_changed();
    wait_until(
        Duration::from_secs(20),
        "the server holds the edits",
        || server_holds(&client, mine.doc()),
    );
    let (doc, view) = fetch_with_view(&link);
    let (joined, from_view) = SharedBlog::from_doc(doc.clone(), Some(&view)).unwrap();
    assert!(joined.opened_from_view());
    assert_eq!(from_view, plain);
    let (_, read) = SharedBlog::from_doc(doc, None).unwrap();
    assert_eq!(from_view, read);
    // A plain fetch gets no view and still the whole document.
    let plain_fetch = fetch_room(&link).unwrap();
    assert_eq!(plain_fetch.oplog_vv(), mine.doc().oplog_vv());
}
