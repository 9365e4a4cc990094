//! Pictures and embeds, from the outside world into the document: an image file (or a
//! pasted picture) made safe and copied into the media folder beside the document
//! (`import`), where that folder is and what the page needs from it (`folder`), and a
//! link to a social post turned into a static card (`embed`, fetched once with oEmbed).
//!
//! This layer reads and writes files and talks to the network, so the editor calls it on
//! background jobs; what it returns goes into the document as an ordinary `Edit`.

pub mod embed;
pub mod folder;
pub mod import;
pub mod thumbnail;

pub use embed::{EmbedPlan, Service, fetch_card, fetch_card_from, plan_embed};
pub use folder::{MediaCopy, copy_document_media, copy_media_beside, media_folder, missing_media};
pub use import::{ImportedImage, MAX_SIDE, MediaError, import_image_file, import_pixels};
pub use thumbnail::{PictureSource, Thumbnail, load_thumbnail};
