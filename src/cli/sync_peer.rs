//! `newsdesk sync-peer` (hidden): a headless editor for the convergence test. It joins a room,
//! applies random edits through the edit layer (`edit::apply`, then `SharedBlog::record_local`,
//! exactly as the editor does), drops and restores its connection at random, then, when told
//! `sync` on stdin, waits until it holds exactly what the server holds and writes canonical RON.
//! It says `edits done` only once the server has confirmed storing all of its edits.
//!
//! stdout lines: `edits done`, then `wrote FILE`. Failures: a sentence on stderr, exit 1.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk::edit::{self, Edit, EntryField};
use newsdesk::model::{Entry, EntryId, EntryStatus, LiveBlog};
use newsdesk::storage;
use newsdesk::sync::SharedBlog;
use newsdesk::sync::net::{
    ClientOptions, ConnectionStatus, ShareLink, SyncClient, SyncEvent, oneshot,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct SyncPeerArgs {
    link: String,
    #[arg(long)]
    seed: u64,
    #[arg(long, default_value_t = 300)]
    edits: usize,
    /// Where to write the final document.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Where to list the ids this peer created and deleted (`created ID` / `deleted ID`).
    #[arg(long)]
    journal: PathBuf,
}

pub fn run(args: &SyncPeerArgs) -> ExitCode {
    match peer(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: peer {}: {message}", args.seed);
            ExitCode::from(1)
        }
    }
}

struct Replica {
    shared: SharedBlog,
    blog: LiveBlog,
    remote_edits: usize,
}

impl Replica {
    fn pump(&mut self, client: &SyncClient) -> Result<Option<loro::VersionVector>, String> {
        let mut connected = None;
        for event in client.poll() {
            match event {
                SyncEvent::RemoteUpdate(blobs) => {
                    for blob in blobs {
                        let edits = self
                            .shared
                            .import(&blob)
                            .map_err(|e| format!("import failed: {e}"))?;
                        self.remote_edits += edits.len();
                        for edit in edits {
                            edit::apply(&mut self.blog, edit.clone()).map_err(|e| {
                                format!("a remote edit did not apply ({e}): {edit:?}")
                            })?;
                        }
                    }
                }
                SyncEvent::Connected { server_version } => connected = Some(server_version),
                SyncEvent::Problem(problem) => return Err(problem),
                _ => {}
            }
        }
        Ok(connected)
    }

    fn local(&mut self, edit: Edit, client: &SyncClient) -> Result<(), String> {
        edit::apply(&mut self.blog, edit.clone())
            .map_err(|e| format!("local edit failed ({e}): {edit:?}"))?;
        self.shared
            .record_local(&edit)
            .map_err(|e| format!("recording failed ({e}): {edit:?}"))?;
        client.local_changed();
        Ok(())
    }
}

fn peer(args: &SyncPeerArgs) -> Result<(), String> {
    let link = ShareLink::parse(&args.link).map_err(|e| e.to_string())?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let doc = oneshot::fetch_room(&link).map_err(|e| e.to_string())?;
    let snapshot = doc
        .export(loro::ExportMode::Snapshot)
        .map_err(|e| e.to_string())?;
    let (shared, blog) = SharedBlog::from_snapshot(&snapshot).map_err(|e| e.to_string())?;
    shared
        .set_peer(1000 + args.seed)
        .map_err(|e| e.to_string())?;
    let mut replica = Replica {
        shared,
        blog,
        remote_edits: 0,
    };
    let client = SyncClient::connect(
        link,
        Arc::new(replica.shared.doc().clone()),
        ClientOptions::default(),
    )
    .map_err(|e| e.to_string())?;

    let base = Utc
        .with_ymd_and_hms(2025, 2, 18, 12, 0, 0)
        .single()
        .ok_or("bad time")?;
    let mut created = Vec::new();
    let mut deleted = Vec::new();
    let mut online = true;
    let mut drops = 0;
    for step in 0..args.edits {
        replica.pump(&client)?;
        // Whole seconds: the shared document keeps milliseconds, so every replica reads the same.
        let now = base + chrono::Duration::seconds((args.seed * 100_000 + step as u64) as i64);
        if let Some(edit) = random_edit(&replica.blog, &mut rng, args.seed, step, now) {
            if let Edit::InsertEntry { entry, .. } = &edit {
                created.push(entry.id.clone());
            }
            if let Edit::RemoveEntry { id } = &edit {
                deleted.push(id.clone());
            }
            replica.local(edit, &client)?;
        }
        if online && rng.random_bool(0.03) {
            client.set_online(false);
            online = false;
            drops += 1;
        } else if !online && rng.random_bool(0.15) {
            client.set_online(true);
            online = true;
        }
        if step % 10 == 0 {
            std::thread::sleep(Duration::from_millis(rng.random_range(0..4)));
        }
    }
    client.set_online(true);
    // "edits done" promises the server holds every local edit: only then is the server's state
    // final once every peer has said it, and a peer syncing early cannot miss a late upload.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client.server_holds(&replica.shared.oplog_version()) {
        if Instant::now() > deadline {
            return Err("the server did not confirm this peer's edits within 60 s".into());
        }
        replica.pump(&client)?;
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut journal = String::new();
    for id in &created {
        journal.push_str(&format!("created {id}\n"));
    }
    for id in &deleted {
        journal.push_str(&format!("deleted {id}\n"));
    }
    std::fs::write(&args.journal, journal).map_err(|e| e.to_string())?;
    println!("edits done");

    // Wait for the go-ahead: every peer has finished editing, so the server's state is final.
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if Instant::now() > deadline {
            return Err("did not get in sync with the server within 60 s".into());
        }
        client.reconnect();
        let mut server_version = None;
        let rejoined = Instant::now() + Duration::from_secs(10);
        while server_version.is_none() && Instant::now() < rejoined {
            server_version = replica.pump(&client)?;
            std::thread::sleep(Duration::from_millis(5));
        }
        let Some(server_version) = server_version else {
            continue;
        };
        let caught_up = Instant::now() + Duration::from_secs(10);
        while !replica.shared.oplog_version().includes_vv(&server_version)
            && Instant::now() < caught_up
        {
            replica.pump(&client)?;
            std::thread::sleep(Duration::from_millis(5));
        }
        if replica.shared.oplog_version() == server_version
            && client.status() == ConnectionStatus::Connected
        {
            break;
        }
    }
    let full = replica.shared.to_blog().map_err(|e| e.to_string())?;
    if full != replica.blog {
        return Err(
            "the document patched by remote edits differs from the shared document read in full"
                .into(),
        );
    }
    storage::save(&args.output, &replica.blog).map_err(|e| e.to_string())?;
    eprintln!(
        "peer {}: {} local edits, {} remote edits applied, {drops} connection drops, {} entries at the end",
        args.seed,
        args.edits,
        replica.remote_edits,
        replica.blog.entries.len()
    );
    println!("wrote {}", args.output.display());
    Ok(())
}

const WORDS: &[&str] = &[
    "Kyiv ",
    "talks ",
    "Riyadh ",
    "ceasefire ",
    "minister ",
    "said ",
    "é ",
    "— ",
    "🇺🇦 ",
];

fn splice(text: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = rng.random_range(0..=chars.len());
    let cut = rng.random_range(0..=5).min(chars.len() - at);
    chars.drain(at..at + cut);
    let word = WORDS[rng.random_range(0..WORDS.len())];
    for (offset, c) in word.chars().enumerate() {
        chars.insert(at + offset, c);
    }
    chars.into_iter().collect()
}

fn random_edit(
    blog: &LiveBlog,
    rng: &mut ChaCha8Rng,
    seed: u64,
    step: usize,
    now: DateTime<Utc>,
) -> Option<Edit> {
    let pick = |rng: &mut ChaCha8Rng| -> Option<&Entry> {
        (!blog.entries.is_empty()).then(|| &*blog.entries[rng.random_range(0..blog.entries.len())])
    };
    let roll = rng.random_range(0..100);
    Some(match roll {
        0..20 => {
            let id = EntryId::new(format!("p{seed}-{step}")).ok()?;
            Edit::InsertEntry {
                index: rng.random_range(0..=blog.entries.len()),
                entry: std::sync::Arc::new(Entry::new_post(id, now)),
                pinned_at: None,
            }
        }
        20..40 => {
            let entry = pick(rng)?;
            Edit::SetField {
                id: entry.id.clone(),
                field: EntryField::Headline(splice(&entry.headline, rng)),
                modified: now,
            }
        }
        40..62 => {
            let entry = pick(rng)?;
            Edit::SetField {
                id: entry.id.clone(),
                field: EntryField::Body(splice(&entry.body, rng)),
                modified: now,
            }
        }
        62..74 => Edit::MoveEntry {
            id: pick(rng)?.id.clone(),
            index: rng.random_range(0..blog.entries.len().max(1)),
        },
        74..84 => {
            let id = pick(rng)?.id.clone();
            if blog.is_pinned(&id) {
                Edit::Unpin { id }
            } else {
                Edit::Pin {
                    id,
                    index: rng.random_range(0..=blog.pinned.len()),
                }
            }
        }
        84..93 => {
            let entry = pick(rng)?;
            let status = if entry.is_published() {
                EntryStatus::Draft
            } else {
                EntryStatus::Published
            };
            Edit::SetField {
                id: entry.id.clone(),
                field: EntryField::Status(status),
                modified: now,
            }
        }
        _ => {
            if blog.entries.len() < 6 {
                return None;
            }
            Edit::RemoveEntry {
                id: pick(rng)?.id.clone(),
            }
        }
    })
}
