//! Blocking one-off exchanges for the headless commands: make a room from a document, or fetch a
//! room's whole document.

use super::conn::{Conn, Incoming, NetError};
use super::link::{ServerAddress, ShareLink};
use super::wire;
use loro::{LoroDoc, VersionVector};
use loro_protocol::UpdateStatusCode;
use std::time::Duration;

/// The longest a whole share or pull may take (a 100k-entry blog is ~13 MB on loopback).
const WHOLE_EXCHANGE: Duration = Duration::from_secs(120);

fn block_on<T>(work: impl Future<Output = Result<T, NetError>>) -> Result<T, NetError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| NetError::Unreachable("this machine".into(), error.to_string()))?;
    runtime.block_on(async {
        match tokio::time::timeout(WHOLE_EXCHANGE, work).await {
            Ok(result) => result,
            Err(_) => Err(NetError::Timeout),
        }
    })
}

/// Makes a new room on `server` holding `blob` (a Loro snapshot or updates) and returns its link
/// once the server has confirmed the document is on its disk.
pub fn create_room(server: &ServerAddress, blob: Vec<u8>) -> Result<ShareLink, NetError> {
    block_on(async {
        let mut conn = Conn::open(server, "").await?;
        let joined = conn
            .join(wire::AUTH_CREATE.to_vec(), &VersionVector::new())
            .await?;
        let token = String::from_utf8(joined.extra)
            .map_err(|_| NetError::Protocol("the new room's token is not text".into()))?;
        let link = ShareLink {
            server: server.clone(),
            room: joined.room,
            token,
        };
        // Check what the server handed out before trusting it with the document.
        let link = ShareLink::parse(&link.to_string())
            .map_err(|error| NetError::Protocol(error.to_string()))?;
        let batch = conn.send_update(blob).await?;
        loop {
            match conn.next().await? {
                Incoming::Ack(id, status) if id == batch => {
                    if status != UpdateStatusCode::Ok {
                        return Err(NetError::Refused(format!(
                            "the server did not keep the document ({status:?})"
                        )));
                    }
                    break;
                }
                _ => {}
            }
        }
        conn.close().await;
        Ok(link)
    })
}

/// Fetches everything the room holds into a new document.
pub fn fetch_room(link: &ShareLink) -> Result<LoroDoc, NetError> {
    block_on(fetch(link, false)).map(|(doc, _)| doc)
}

/// Fetches everything the room holds into a new document, with the room's blog view when the
/// server has one ready (`SharedBlog::from_doc` opens the two several times faster than the
/// document alone). A server that predates views is joined plainly.
pub fn fetch_room_with_view(link: &ShareLink) -> Result<(LoroDoc, Option<Vec<u8>>), NetError> {
    match block_on(fetch(link, true)) {
        Err(NetError::WrongToken(_)) => block_on(fetch(link, false)),
        other => other,
    }
}

async fn fetch(link: &ShareLink, with_view: bool) -> Result<(LoroDoc, Option<Vec<u8>>), NetError> {
    let mut conn = Conn::open(&link.server, &link.room).await?;
    let mut auth = if with_view {
        wire::AUTH_JOIN_VIEW_PREFIX.to_vec()
    } else {
        wire::AUTH_JOIN_PREFIX.to_vec()
    };
    auth.extend_from_slice(link.token.as_bytes());
    let joined = conn.join(auth, &VersionVector::new()).await?;
    let doc = LoroDoc::new();
    let mut view = None;
    while !doc.oplog_vv().includes_vv(&joined.version) {
        match conn.next().await? {
            Incoming::Update(blobs) => {
                for blob in blobs {
                    // Loro may panic on malformed input: that is an error here, not a crash.
                    let imported = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        doc.import(&blob)
                    }));
                    match imported {
                        Ok(Ok(_)) => {}
                        Ok(Err(error)) => {
                            return Err(NetError::Protocol(format!(
                                "the room's document does not load: {error}"
                            )));
                        }
                        Err(_) => {
                            return Err(NetError::Protocol(
                                "the room's document does not load".into(),
                            ));
                        }
                    }
                }
            }
            Incoming::View(bytes) if with_view => view = Some(bytes),
            _ => {}
        }
    }
    conn.close().await;
    Ok((doc, view))
}
