//! An image made fit for publishing: decoded, turned upright, scaled down when large and
//! encoded again (which leaves its EXIF and GPS metadata behind), then written into the
//! media folder beside the document under a name made from its content's hash, so the
//! same picture added twice is one file.
//!
//! Photos (no transparency) become JPEG; pictures with transparency stay PNG. An
//! animated GIF keeps its first frame only.

use super::folder::{media_folder, media_folder_name};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbaImage};
use std::io::Cursor;
use std::path::Path;

/// The longest side of a published picture, in pixels: sharp on a wide screen, and a
/// fraction of a camera's size.
pub const MAX_SIDE: u32 = 2400;

/// A file larger than this is not read at all (no sane photo is).
const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Decoding stops past these, so a crafted file cannot make the editor allocate gigabytes.
const MAX_DECODED_SIDE: u32 = 30_000;
const MAX_DECODED_BYTES: u64 = 1024 * 1024 * 1024;

const JPEG_QUALITY: u8 = 85;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("Could not read {path}: {reason}.")]
    Read { path: String, reason: String },
    #[error("{name} is larger than 200 MB; choose a smaller picture.")]
    TooLarge { name: String },
    #[error("{name} is not a picture Newsdesk can read (JPEG, PNG, GIF or WebP): {reason}.")]
    NotAPicture { name: String, reason: String },
    #[error("Could not write the picture into {folder}: {reason}")]
    Write { folder: String, reason: String },
}

/// A picture copied into the media folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedImage {
    /// What the document stores: relative to the document's folder, `blog.media/….jpg`.
    pub relative_path: String,
    pub width: u32,
    pub height: u32,
    /// Whether it was scaled down to [`MAX_SIDE`].
    pub scaled: bool,
}

/// Imports the image file `source` for the document saved at `document`.
pub fn import_image_file(source: &Path, document: &Path) -> Result<ImportedImage, MediaError> {
    let name = source
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.display().to_string());
    let read_error = |error: std::io::Error| MediaError::Read {
        path: source.display().to_string(),
        reason: error.to_string(),
    };
    let size = std::fs::metadata(source).map_err(read_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(MediaError::TooLarge { name });
    }
    let bytes = std::fs::read(source).map_err(read_error)?;
    let picture = decode(&bytes).map_err(|reason| MediaError::NotAPicture { name, reason })?;
    store(picture, document)
}

/// Imports a picture given as pixels (one pasted from the clipboard): `rgba` holds
/// `width * height` pixels of four bytes each.
pub fn import_pixels(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    document: &Path,
) -> Result<ImportedImage, MediaError> {
    let picture = RgbaImage::from_raw(width, height, rgba).ok_or(MediaError::NotAPicture {
        name: "The pasted picture".into(),
        reason: "its size and its pixels disagree".into(),
    })?;
    // A screenshot is opaque: store it as a photo, not as a PNG four times the size.
    let opaque = picture.pixels().all(|pixel| pixel.0[3] == u8::MAX);
    let picture = DynamicImage::ImageRgba8(picture);
    let picture = if opaque {
        DynamicImage::ImageRgb8(picture.to_rgb8())
    } else {
        picture
    };
    store(picture, document)
}

/// Decodes `bytes` upright: the camera's orientation tag is applied to the pixels, since
/// the tag itself is dropped with the rest of the metadata.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| error.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|error| error.to_string())?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|error| error.to_string())?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    Ok(picture)
}

/// Scales, encodes and writes `picture`; the file's name is its bytes' hash.
fn store(picture: DynamicImage, document: &Path) -> Result<ImportedImage, MediaError> {
    let (picture, scaled) = scale_down(picture);
    let (bytes, extension) = encode(&picture).map_err(|reason| MediaError::Write {
        folder: media_folder_name(document),
        reason,
    })?;
    let hash = blake3::hash(&bytes).to_hex();
    let file_name = format!("{}.{extension}", &hash.as_str()[..32]);
    let folder = media_folder(document);
    let write_error = |reason: String| MediaError::Write {
        folder: folder.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(&folder).map_err(|error| write_error(error.to_string()))?;
    let target = folder.join(&file_name);
    // Same name, same bytes: a picture added twice is written once.
    if !target.is_file() {
        crate::storage::write_atomically(&target, &bytes)
            .map_err(|error| write_error(error.to_string()))?;
    }
    Ok(ImportedImage {
        relative_path: format!("{}/{file_name}", media_folder_name(document)),
        width: picture.width(),
        height: picture.height(),
        scaled,
    })
}

fn scale_down(picture: DynamicImage) -> (DynamicImage, bool) {
    if picture.width().max(picture.height()) <= MAX_SIDE {
        return (picture, false);
    }
    (
        picture.resize(MAX_SIDE, MAX_SIDE, FilterType::CatmullRom),
        true,
    )
}

/// JPEG for photos, PNG where transparency must survive. Both encoders write pixels and
/// nothing else: no EXIF, no GPS, no comments.
fn encode(picture: &DynamicImage) -> Result<(Vec<u8>, &'static str), String> {
    let mut bytes = Vec::new();
    if picture.color().has_alpha() {
        picture
            .to_rgba8()
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(|error| error.to_string())?;
        Ok((bytes, "png"))
    } else {
        picture
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
            .map_err(|error| error.to_string())?;
        Ok((bytes, "jpg"))
    }
}
