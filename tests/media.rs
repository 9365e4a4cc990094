//! Media from disk and from social networks: importing a picture (metadata gone, scaled,
//! named by content), the page and the published site carrying it, and embed cards
//! fetched once from an oEmbed endpoint (a local test server here: no internet).

use chrono::{TimeZone, Utc};
use image::{ImageEncoder, RgbImage, RgbaImage};
use newsdesk::media::{self, Service};
use newsdesk::model::{EmbedCard, Entry, EntryId, EntryStatus, LiveBlog, Media};
use newsdesk::publish::{Publisher, Target};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

/// A JPEG straight from a "camera": an EXIF segment with the maker's name and a GPS
/// position, inserted after the start-of-image marker.
fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .write_image(
            picture.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    // TIFF, little-endian: IFD0 with Make (ASCII) and a pointer to the GPS IFD, whose one
    // entry is GPSLatitudeRef "N".
    let make = b"SecretCam 3000\0";
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let ifd0_entries = 2u16;
    let ifd0_size = 2 + 12 * u32::from(ifd0_entries) + 4;
    let make_at = 8 + ifd0_size;
    let gps_at = make_at + make.len() as u32;
    tiff.extend(ifd0_entries.to_le_bytes());
    // Make: tag 0x010F, type ASCII (2), count, offset.
    tiff.extend(0x010Fu16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend((make.len() as u32).to_le_bytes());
    tiff.extend(make_at.to_le_bytes());
    // GPSInfo: tag 0x8825, type LONG (4), count 1, the GPS IFD's offset.
    tiff.extend(0x8825u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(gps_at.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(make);
    tiff.extend(1u16.to_le_bytes());
    // GPSLatitudeRef: tag 1, ASCII, count 2, "N\0" inline.
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(&tiff);
    let mut jpeg = plain[..2].to_vec();
    jpeg.extend([0xFF, 0xE1]);
    jpeg.extend(((segment.len() + 2) as u16).to_be_bytes());
    jpeg.extend(&segment);
    jpeg.extend(&plain[2..]);
    jpeg
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn an_imported_photo_loses_its_exif_and_gps_and_is_named_by_its_content() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("talks.ron");
    let source = folder.path().join("IMG_0001.JPG");
    let original = camera_jpeg(640, 480);
    assert!(contains(&original, b"SecretCam 3000") && contains(&original, b"Exif\0\0"));
    image::load_from_memory(&original).expect("the test photo itself is a valid JPEG");
    std::fs::write(&source, &original).unwrap();

    let imported = media::import_image_file(&source, &document).unwrap();
    assert!(imported.relative_path.starts_with("talks.media/"));
    assert!(imported.relative_path.ends_with(".jpg"));
    assert_eq!(
        (imported.width, imported.height, imported.scaled),
        (640, 480, false)
    );
    let written = std::fs::read(folder.path().join(&imported.relative_path)).unwrap();
    assert!(!contains(&written, b"Exif"), "the EXIF segment is gone");
    assert!(
        !contains(&written, b"SecretCam"),
        "the camera's name is gone"
    );
    assert!(!contains(&written, &[0xFF, 0xE1]), "no APP1 segment at all");
    let decoded = image::load_from_memory(&written).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 480));

    // The same picture again is the same file.
    let again = media::import_image_file(&source, &document).unwrap();
    assert_eq!(again.relative_path, imported.relative_path);
    assert_eq!(
        std::fs::read_dir(folder.path().join("talks.media"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_large_picture_is_scaled_down_and_transparency_stays_png() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("blog.ron");
    let wide = folder.path().join("wide.png");
    RgbImage::from_pixel(3000, 1500, image::Rgb([20, 40, 60]))
        .save(&wide)
        .unwrap();
    let imported = media::import_image_file(&wide, &document).unwrap();
    assert_eq!((imported.width, imported.height), (media::MAX_SIDE, 1200));
    assert!(imported.scaled);
    assert!(
        imported.relative_path.ends_with(".jpg"),
        "an opaque picture becomes a photo"
    );
    let written = image::open(folder.path().join(&imported.relative_path)).unwrap();
    assert_eq!((written.width(), written.height()), (2400, 1200));

    let logo = folder.path().join("logo.png");
    RgbaImage::from_pixel(50, 20, image::Rgba([200, 0, 0, 100]))
        .save(&logo)
        .unwrap();
    let imported = media::import_image_file(&logo, &document).unwrap();
    assert!(imported.relative_path.ends_with(".png"));
    assert!(!imported.scaled);
}

#[test]
fn not_a_picture_is_refused_in_a_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let fake = folder.path().join("notes.jpg");
    std::fs::write(&fake, b"not a picture at all").unwrap();
    let error = media::import_image_file(&fake, &folder.path().join("b.ron")).unwrap_err();
    assert!(
        error.to_string().starts_with("notes.jpg is not a picture"),
        "{error}"
    );
    let missing = media::import_image_file(
        &folder.path().join("gone.jpg"),
        &folder.path().join("b.ron"),
    )
    .unwrap_err();
    assert!(
        missing.to_string().starts_with("Could not read"),
        "{missing}"
    );
    assert!(
        !folder.path().join("b.media").exists()
            || std::fs::read_dir(folder.path().join("b.media"))
                .unwrap()
                .count()
                == 0
    );
}

fn blog_with(media_of: Vec<(&str, EntryStatus, Option<Media>)>) -> LiveBlog {
    let start = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
    let mut blog = LiveBlog::new("Talks", start);
    for (index, (id, status, media)) in media_of.into_iter().enumerate() {
        let mut entry = Entry::new_post(
            EntryId::new(id).unwrap(),
            start + chrono::Duration::minutes(index as i64),
        );
        entry.status = status;
        entry.body = format!("Post {id}.");
        entry.media = media;
        blog.entries.insert(0, std::sync::Arc::new(entry));
    }
    blog
}

fn picture(url: &str) -> Option<Media> {
    Some(Media::Image {
        url: url.into(),
        alt: "Delegates in Riyadh".into(),
        caption: "Photo: pool".into(),
    })
}

#[test]
fn the_page_shows_local_pictures_relatively_and_its_policy_allows_only_them() {
    let blog = blog_with(vec![
        (
            "post-a",
            EntryStatus::Published,
            picture("talks.media/abc123.jpg"),
        ),
        ("post-b", EntryStatus::Published, picture("../secret.jpg")),
        (
            "post-c",
            EntryStatus::Published,
            picture("/etc/talks.media/x.jpg"),
        ),
        (
            "post-d",
            EntryStatus::Draft,
            picture("talks.media/draft.jpg"),
        ),
    ]);
    let page = newsdesk::export::render_page(&blog, chrono::Utc::now());
    assert!(page.contains(r#"<img src="talks.media/abc123.jpg" alt="Delegates in Riyadh""#));
    assert!(!page.contains("secret") && !page.contains("/etc/"));
    assert!(
        page.contains("img-src 'self';"),
        "only the page's own folder"
    );
    assert!(!page.contains("img-src 'self' https:"));
    assert_eq!(
        newsdesk::export::local_media(&blog),
        vec!["talks.media/abc123.jpg".to_owned()],
        "drafts and refused paths need no file"
    );
}

#[test]
fn exporting_elsewhere_copies_the_pictures_beside_the_page() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("talks.ron");
    let source = folder.path().join("photo.jpg");
    std::fs::write(&source, camera_jpeg(64, 48)).unwrap();
    let imported = media::import_image_file(&source, &document).unwrap();
    let blog = blog_with(vec![
        (
            "post-a",
            EntryStatus::Published,
            picture(&imported.relative_path),
        ),
        (
            "post-b",
            EntryStatus::Published,
            picture("talks.media/gone.jpg"),
        ),
    ]);

    // Beside the document: the files are already where the page looks.
    let beside =
        media::copy_media_beside(&blog, &document, &folder.path().join("talks.html")).unwrap();
    assert_eq!((beside.copied.len(), beside.present), (0, 1));
    assert_eq!(beside.missing, vec!["talks.media/gone.jpg".to_owned()]);

    let elsewhere = tempfile::tempdir().unwrap();
    let page = elsewhere.path().join("out.html");
    let copied = media::copy_media_beside(&blog, &document, &page).unwrap();
    assert_eq!(copied.copied, vec![imported.relative_path.clone()]);
    assert_eq!(
        std::fs::read(elsewhere.path().join(&imported.relative_path)).unwrap(),
        std::fs::read(folder.path().join(&imported.relative_path)).unwrap()
    );
    let again = media::copy_media_beside(&blog, &document, &page).unwrap();
    assert!(again.copied.is_empty());

    // The check that reads the disk finds the missing one, an error in a published post.
    let problems = newsdesk::checks::missing_media_files(&blog, &document);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].check.as_str(), "missing-media-file");
    assert!(problems[0].is_error());
    assert!(problems[0].message.contains("talks.media/gone.jpg"));
}

#[test]
fn publishing_uploads_pictures_once_before_the_pages() {
    let folder = tempfile::tempdir().unwrap();
    let document = folder.path().join("talks.ron");
    let source = folder.path().join("photo.jpg");
    std::fs::write(&source, camera_jpeg(64, 48)).unwrap();
    let imported = media::import_image_file(&source, &document).unwrap();
    let blog = blog_with(vec![(
        "post-a",
        EntryStatus::Published,
        picture(&imported.relative_path),
    )]);
    let site = tempfile::tempdir().unwrap();
    let target = Target::Folder(site.path().to_owned());
    let mut publisher = Publisher::new();
    publisher.set_document(Some(&document));
    let report = publisher
        .publish(&blog, &target, chrono::Utc::now())
        .unwrap();
    assert_eq!(
        report.written.first(),
        Some(&imported.relative_path),
        "pictures first"
    );
    assert_eq!(
        report.written.last().map(String::as_str),
        Some("index.html")
    );
    assert!(report.missing_media.is_empty());
    assert!(site.path().join(&imported.relative_path).is_file());
    let index = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    assert!(index.contains(&format!("src=\"{}\"", imported.relative_path)));

    // A new publisher (another run) on the same folder: the picture is not sent again.
    let mut publisher = Publisher::new();
    publisher.set_document(Some(&document));
    let report = publisher
        .publish(&blog, &target, chrono::Utc::now())
        .unwrap();
    assert!(
        !report.written.contains(&imported.relative_path),
        "{:?}",
        report.written
    );

    // Without the document's folder the page still goes out, and says what it lacked.
    let bare = tempfile::tempdir().unwrap();
    let report = Publisher::new()
        .publish(
            &blog,
            &Target::Folder(bare.path().to_owned()),
            chrono::Utc::now(),
        )
        .unwrap();
    assert_eq!(report.missing_media, vec![imported.relative_path.clone()]);
}

#[test]
fn an_embed_card_is_plain_escaped_html_without_scripts_or_frames() {
    let card = EmbedCard {
        url: "https://bsky.app/profile/skynews.bsky.social/post/3li".into(),
        provider: "Bluesky".into(),
        author: "Sky News <b>(@skynews)</b>".into(),
        text: "Talks end <script>alert(1)</script>\n\nSecond paragraph".into(),
        date: "18 February 2025".into(),
    };
    let blog = blog_with(vec![(
        "post-a",
        EntryStatus::Published,
        Some(Media::Embed(card)),
    )]);
    let page = newsdesk::export::render_page(&blog, chrono::Utc::now());
    let start = page
        .find("<figure class=\"media embed-card\">")
        .expect("a card");
    let figure = &page[start..start + page[start..].find("</figure>").unwrap()];
    assert!(figure.contains("<p dir=\"auto\">Talks end &lt;script&gt;alert(1)&lt;/script&gt;</p><p dir=\"auto\">Second paragraph</p>"), "{figure}");
    assert!(figure.contains("Sky News &lt;b&gt;(@skynews)&lt;/b&gt;"));
    assert!(figure.contains(r#"<a href="https://bsky.app/profile/skynews.bsky.social/post/3li" rel="noopener noreferrer">View the original post on Bluesky</a>"#));
    assert!(!page.contains("<iframe") && !page.contains("<script>alert"));
    assert!(
        !page.contains("frame-src"),
        "a card needs nothing from outside"
    );
}

/// Answers one request with `body`, handing back the request line.
fn serve_once(body: &'static str) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}/oembed", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            if header == "\r\n" || header.is_empty() {
                break;
            }
        }
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        request_line
    });
    (address, handle)
}

#[test]
fn an_oembed_answer_becomes_a_card_of_plain_text() {
    let (endpoint, server) = serve_once(
        r#"{"url":"https://twitter.com/SkyNews/status/1891","author_name":"Sky News","author_url":"https://twitter.com/SkyNews","html":"<blockquote class=\"twitter-tweet\"><p lang=\"en\" dir=\"ltr\">Rubio and Lavrov meet in <a href=\"https://t.co/x\">#Riyadh</a> &amp; agree to talk <img src=x onerror=alert(1)></p>&mdash; Sky News (@SkyNews) <a href=\"https://twitter.com/SkyNews/status/1891\">February 18, 2025</a></blockquote>\n<script async src=\"https://platform.twitter.com/widgets.js\"></script>","provider_name":"Twitter","type":"rich","version":"1.0"}"#,
    );
    let card = media::fetch_card_from(
        &endpoint,
        "https://x.com/SkyNews/status/1891",
        Service::X,
        Duration::from_secs(5),
    )
    .unwrap();
    let request = server.join().unwrap();
    assert!(request.starts_with("GET /oembed?"), "{request}");
    assert!(
        request.contains("url=https%3A%2F%2Fx.com%2FSkyNews%2Fstatus%2F1891"),
        "{request}"
    );
    assert!(request.contains("omit_script=1"), "{request}");
    assert_eq!(
        card,
        EmbedCard {
            url: "https://x.com/SkyNews/status/1891".into(),
            provider: "X".into(),
            author: "Sky News".into(),
            text: "Rubio and Lavrov meet in #Riyadh & agree to talk".into(),
            date: "February 18, 2025".into(),
        }
    );
}

#[test]
fn a_silent_or_broken_service_falls_back_to_a_card_filled_in_by_hand() {
    // Accepts the connection, never answers: the timeout ends the wait.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/oembed", listener.local_addr().unwrap());
    let silent = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut sink = [0u8; 1024];
        let _ = stream.read(&mut sink);
        std::thread::sleep(Duration::from_secs(3));
    });
    let started = std::time::Instant::now();
    let error = media::fetch_card_from(
        &endpoint,
        "https://bsky.app/profile/a/post/1",
        Service::Bluesky,
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        error.contains("Bluesky") && error.ends_with("fill in the card by hand."),
        "{error}"
    );
    drop(silent);

    let (endpoint, server) = serve_once("<html>not json</html>");
    let error = media::fetch_card_from(
        &endpoint,
        "https://bsky.app/profile/a/post/1",
        Service::Bluesky,
        Duration::from_secs(5),
    )
    .unwrap_err();
    server.join().unwrap();
    assert!(error.contains("not a post's description"), "{error}");

    // Instagram shares nothing without a key: no request is made at all.
    let error = media::fetch_card("https://www.instagram.com/p/DGL2x/").unwrap_err();
    assert!(error.starts_with("Instagram does not share"), "{error}");
}

#[test]
fn a_document_with_pictures_and_cards_round_trips_through_its_file() {
    let blog = blog_with(vec![
        (
            "post-a",
            EntryStatus::Published,
            picture("talks.media/abc.jpg"),
        ),
        (
            "post-b",
            EntryStatus::Draft,
            Some(Media::Embed(EmbedCard {
                url: "https://mastodon.social/@a/1".into(),
                provider: "Mastodon".into(),
                ..EmbedCard::default()
            })),
        ),
    ]);
    let text = newsdesk::storage::to_ron_string(&blog).unwrap();
    let back = newsdesk::storage::load_bytes(Path::new("t.ron"), text.as_bytes()).unwrap();
    assert_eq!(back.blog, blog);
}
