//! Small previews of pictures for the editor: a file in the media folder, or a web
//! address fetched once with a timeout. Decoding is bounded like an import, and the
//! result is a few kilobytes of pixels whatever the original's size.

use super::import::MediaError;
use image::{ImageReader, Limits};
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::time::Duration;

/// How long fetching a web picture may take before the editor shows "not available".
pub const THUMBNAIL_TIMEOUT: Duration = Duration::from_secs(10);

/// No picture worth previewing is larger than this.
const MAX_THUMBNAIL_SOURCE_BYTES: u64 = 30 * 1024 * 1024;

/// Where a picture to preview is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PictureSource {
    File(PathBuf),
    Web(String),
}

/// A preview: RGBA pixels, at most `max_side` on the longest side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Reads (or fetches) and shrinks the picture; an error is a short sentence.
pub fn load_thumbnail(source: &PictureSource, max_side: u32) -> Result<Thumbnail, String> {
    let bytes = match source {
        PictureSource::File(path) => {
            let size = std::fs::metadata(path)
                .map_err(|_| "The picture file is missing.".to_owned())?
                .len();
            if size > MAX_THUMBNAIL_SOURCE_BYTES {
                return Err("The picture is too large to preview.".into());
            }
            std::fs::read(path).map_err(|error| format!("Could not read the picture: {error}."))?
        }
        PictureSource::Web(url) => fetch(url)?,
    };
    let mut reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|_| not_a_picture())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| not_a_picture())?;
    let small = picture.thumbnail(max_side, max_side).to_rgba8();
    Ok(Thumbnail {
        width: small.width(),
        height: small.height(),
        rgba: small.into_raw(),
    })
}

fn not_a_picture() -> String {
    MediaError::NotAPicture {
        name: "The address".into(),
        reason: "it could not be decoded".into(),
    }
    .to_string()
}

fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(THUMBNAIL_TIMEOUT))
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|_| "Not available: offline, or the address does not answer.".to_owned())?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_THUMBNAIL_SOURCE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|_| "Not available: the download stopped.".to_owned())?;
    Ok(bytes)
}
