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
    block_on(async {
        let mut conn = Conn::open(&link.server, &link.room).await?;
        let mut auth = wire::AUTH_JOIN_PREFIX.to_vec();
        auth.extend_from_slice(link.token.as_bytes());
        let joined = conn.join(auth, &VersionVector::new()).await?;
        let doc = LoroDoc::new();
        while !doc.oplog_vv().includes_vv(&joined.version) {
            if let Incoming::Update(blobs) = conn.next().await? {
                for blob in blobs {
                    doc.import(&blob).map_err(|error| {
                        NetError::Protocol(format!("the room's document does not load: {error}"))
                    })?;
                }
            }
        }
        conn.close().await;
        Ok(doc)
    })
}
