//! Picture previews for the panels: the entry editor, the preview and the timeline rows.
//!
//! One cache per window, kept in egui's context so any panel can draw a preview without
//! the app threading it through. Pictures are read (or fetched) and shrunk on two worker
//! threads (`media::load_thumbnail`), newest request first, so scrolling a 100,000-post
//! timeline asks only for the rows on screen and never waits; at most [`CAPACITY`] small
//! textures are kept, the least recently drawn dropped first. A failure (offline, file
//! missing) is remembered as a sentence and shown in place of the picture.
//!
//! The app tells the cache where the open document is saved ([`set_document`]), since a
//! picture in the media folder is stored relative to it.

use crate::export::url::{local_media_file, web_url};
use crate::media::{PictureSource, Thumbnail, load_thumbnail};
use egui::{
    Color32, ColorImage, Context, CornerRadius, Id, Rect, Response, RichText, Role, Sense, Stroke,
    TextureHandle, TextureOptions, Ui, Vec2, WidgetInfo,
};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

/// Textures kept: a few screens of timeline rows plus the editor's preview (at most about
/// half a megabyte each).
pub const CAPACITY: usize = 160;

/// One preview per picture, this many pixels on its longest side: sharp in the editor,
/// scaled down on the GPU for a timeline row, so a picture is read or fetched once.
const PREVIEW_PIXELS: u32 = 360;

/// Requests waiting beyond this are dropped, oldest first (rows scrolled past long ago).
const MAX_QUEUED: usize = 64;

/// A web address is fetched only once it has been asked for this long: an address being
/// typed, or rows scrolled past quickly, fetch nothing.
const WEB_SETTLE_SECONDS: f64 = 0.4;

const WORKERS: usize = 2;

/// What a panel can draw for a picture now.
#[derive(Clone)]
pub enum ThumbnailState {
    Loading,
    Ready(TextureHandle),
    Failed(String),
}

type Key = PictureSource;

struct Slot {
    state: ThumbnailState,
    last_drawn: u64,
}

/// Requests shared with the workers: a stack, so the newest is served first.
#[derive(Default)]
struct Queue {
    waiting: Mutex<VecDeque<Key>>,
    ready: Condvar,
}

struct Cache {
    document_folder: Option<PathBuf>,
    slots: HashMap<Key, Slot>,
    /// Web addresses asked for, and when first, until they settle.
    settling: HashMap<Key, f64>,
    frame: u64,
    queue: Arc<Queue>,
    results: Receiver<(Key, Result<Thumbnail, String>)>,
    sender: Sender<(Key, Result<Thumbnail, String>)>,
    workers_started: bool,
}

impl Cache {
    fn new() -> Self {
        let (sender, results) = channel();
        Self {
            document_folder: None,
            slots: HashMap::new(),
            settling: HashMap::new(),
            frame: 0,
            queue: Arc::default(),
            results,
            sender,
            workers_started: false,
        }
    }

    fn start_workers(&mut self, ctx: &Context) {
        if self.workers_started {
            return;
        }
        self.workers_started = true;
        for index in 0..WORKERS {
            let queue = Arc::clone(&self.queue);
            let sender = self.sender.clone();
            let ctx = ctx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("newsdesk-thumbnails-{index}"))
                .spawn(move || {
                    crate::background::lower_current_thread_priority();
                    loop {
                        let key = {
                            let Ok(mut waiting) = queue.waiting.lock() else {
                                return;
                            };
                            loop {
                                if let Some(key) = waiting.pop_back() {
                                    break key;
                                }
                                waiting = match queue.ready.wait(waiting) {
                                    Ok(waiting) => waiting,
                                    Err(_) => return,
                                };
                            }
                        };
                        let result = load_thumbnail(&key, PREVIEW_PIXELS);
                        if sender.send((key, result)).is_err() {
                            return;
                        }
                        ctx.request_repaint();
                    }
                });
        }
    }

    fn receive(&mut self, ctx: &Context) {
        while let Ok((key, result)) = self.results.try_recv() {
            let Some(slot) = self.slots.get_mut(&key) else {
                continue;
            };
            slot.state = match result {
                Ok(thumbnail) => {
                    let size = [thumbnail.width as usize, thumbnail.height as usize];
                    let image = ColorImage::from_rgba_unmultiplied(size, &thumbnail.rgba);
                    ThumbnailState::Ready(ctx.load_texture(
                        format!("thumbnail-{}", self.frame),
                        image,
                        TextureOptions::LINEAR,
                    ))
                }
                Err(reason) => ThumbnailState::Failed(reason),
            };
        }
    }

    fn request(&mut self, ctx: &Context, key: Key) -> ThumbnailState {
        let frame = self.frame;
        if let Some(slot) = self.slots.get_mut(&key) {
            slot.last_drawn = frame;
            return slot.state.clone();
        }
        if matches!(key, PictureSource::Web(_)) {
            let now = ctx.input(|i| i.time);
            if self.settling.len() > 4 * CAPACITY {
                self.settling.clear();
            }
            let since = *self.settling.entry(key.clone()).or_insert(now);
            if now - since < WEB_SETTLE_SECONDS {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(WEB_SETTLE_SECONDS));
                return ThumbnailState::Loading;
            }
            self.settling.remove(&key);
        }
        self.start_workers(ctx);
        if let Ok(mut waiting) = self.queue.waiting.lock() {
            waiting.push_back(key.clone());
            while waiting.len() > MAX_QUEUED {
                if let Some(dropped) = waiting.pop_front() {
                    // Asked again when it is on screen again.
                    self.slots.remove(&dropped);
                }
            }
        }
        self.queue.ready.notify_one();
        self.slots.insert(
            key,
            Slot {
                state: ThumbnailState::Loading,
                last_drawn: frame,
            },
        );
        if self.slots.len() > CAPACITY {
            self.evict();
        }
        ThumbnailState::Loading
    }

    /// Drops the least recently drawn previews that are not loading.
    fn evict(&mut self) {
        let mut drawn: Vec<(u64, Key)> = self
            .slots
            .iter()
            .filter(|(_, slot)| !matches!(slot.state, ThumbnailState::Loading))
            .map(|(key, slot)| (slot.last_drawn, key.clone()))
            .collect();
        drawn.sort_by_key(|(last_drawn, _)| *last_drawn);
        let excess = self.slots.len().saturating_sub(CAPACITY);
        for (_, key) in drawn.into_iter().take(excess) {
            self.slots.remove(&key);
        }
    }
}

type Shared = Arc<Mutex<Cache>>;

fn cache(ctx: &Context) -> Shared {
    ctx.data_mut(|data| {
        data.get_temp_mut_or_insert_with(Id::unique("newsdesk-thumbnails"), || {
            Arc::new(Mutex::new(Cache::new()))
        })
        .clone()
    })
}

/// Once per frame, from the app: where the open document is saved (`None` while untitled),
/// and the start of a new frame for the cache's bookkeeping.
pub fn set_document(ctx: &Context, document: Option<&Path>) {
    let shared = cache(ctx);
    let Ok(mut cache) = shared.lock() else {
        return;
    };
    cache.frame += 1;
    let folder = document.map(|document| crate::media::folder::folder_of(document).to_path_buf());
    if cache.document_folder != folder {
        cache.document_folder = folder;
        // Relative pictures mean other files now.
        cache
            .slots
            .retain(|source, _| matches!(source, PictureSource::Web(_)));
    }
    cache.receive(ctx);
}

/// Whether the open document has been saved somewhere, so that pictures can be kept
/// beside it.
pub fn document_saved(ctx: &Context) -> bool {
    cache(ctx)
        .lock()
        .is_ok_and(|cache| cache.document_folder.is_some())
}

/// How many pictures the cache holds or waits for (to show that only rows on screen ask).
pub fn cached_count(ctx: &Context) -> usize {
    cache(ctx).lock().map_or(0, |cache| cache.slots.len())
}

/// Where the picture `url` is: a file beside the saved document, or a web address.
/// `None` for a local picture of an untitled document, or an address the page refuses.
pub fn picture_source(ctx: &Context, url: &str) -> Option<PictureSource> {
    if let Some(web) = web_url(url) {
        return Some(PictureSource::Web(web.into_owned()));
    }
    let relative = local_media_file(url)?;
    let shared = cache(ctx);
    let cache = shared.lock().ok()?;
    let folder = cache.document_folder.as_ref()?;
    Some(PictureSource::File(folder.join(relative)))
}

/// The preview of `source`, asked for when not yet cached.
pub fn thumbnail(ctx: &Context, source: &PictureSource) -> ThumbnailState {
    let shared = cache(ctx);
    let Ok(mut cache) = shared.lock() else {
        return ThumbnailState::Failed("The preview is not available.".into());
    };
    cache.request(ctx, source.clone())
}

/// Draws the picture `url` into `size` (keeping its shape), or a placeholder that says
/// why not: loading, offline, missing. Its accessible name starts with "Picture", then
/// the state, then `alt`.
pub fn picture_ui(ui: &mut Ui, url: &str, alt: &str, size: Vec2) -> Response {
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let state = match picture_source(ui.ctx(), url) {
        Some(source) => thumbnail(ui.ctx(), &source),
        None if local_media_file(url).is_some() => {
            ThumbnailState::Failed("Save the blog to see its pictures.".into())
        }
        None => ThumbnailState::Failed("No picture at this address.".into()),
    };
    let name = paint_state(ui, rect, &state, true);
    let alt = alt.trim();
    response.widget_info(|| {
        let label = if alt.is_empty() {
            name.clone()
        } else {
            format!("{name}: {alt}")
        };
        WidgetInfo::labeled(Role::Image, true, label)
    });
    response
}

/// The state of the preview of `url` (for a timeline row), asked for when not yet cached;
/// `None` when there is no picture to preview.
pub fn small_state(ui: &Ui, url: &str) -> Option<ThumbnailState> {
    let source = picture_source(ui.ctx(), url)?;
    Some(thumbnail(ui.ctx(), &source))
}

/// Paints a small preview into `rect`: the picture, a faint box while it loads, a crossed
/// box when it cannot be shown.
pub fn paint_small(ui: &Ui, rect: Rect, state: &ThumbnailState) {
    paint_state(ui, rect, state, false);
}

/// A preview's state in words, for a row's accessible name.
pub fn describe(state: &ThumbnailState) -> &'static str {
    match state {
        ThumbnailState::Ready(_) => "picture",
        ThumbnailState::Loading => "picture loading",
        ThumbnailState::Failed(_) => "picture not available",
    }
}

/// Paints `state` into `rect`; returns what it shows, in words.
fn paint_state(ui: &Ui, rect: Rect, state: &ThumbnailState, with_words: bool) -> String {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let frame = Stroke::new(1.0, visuals.weak_text_color());
    match state {
        ThumbnailState::Ready(texture) => {
            let shown = fit(texture.size_vec2(), rect);
            painter.image(
                texture.id(),
                shown,
                Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                Color32::WHITE,
            );
            "Picture".to_owned()
        }
        ThumbnailState::Loading => {
            painter.rect_filled(rect, CornerRadius::same(3), visuals.faint_bg_color);
            painter.rect_stroke(rect, CornerRadius::same(3), frame, egui::StrokeKind::Inside);
            let words = "Loading picture…";
            if with_words {
                painter.text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    words,
                    egui::FontId::proportional(12.0),
                    visuals.weak_text_color(),
                );
            }
            words.to_owned()
        }
        ThumbnailState::Failed(reason) => {
            painter.rect_filled(rect, CornerRadius::same(3), visuals.faint_bg_color);
            painter.rect_stroke(rect, CornerRadius::same(3), frame, egui::StrokeKind::Inside);
            let cross = Stroke::new(1.0, visuals.weak_text_color());
            painter.line_segment([rect.left_top(), rect.right_bottom()], cross);
            painter.line_segment([rect.right_top(), rect.left_bottom()], cross);
            let words = format!("Picture not shown. {reason}");
            if with_words {
                let galley = painter.layout(
                    words.clone(),
                    egui::FontId::proportional(12.0),
                    visuals.warn_fg_color,
                    rect.width() - 12.0,
                );
                let at = rect.center() - galley.size() / 2.0;
                painter.rect_filled(
                    Rect::from_min_size(at, galley.size()).expand(3.0),
                    CornerRadius::same(2),
                    visuals.panel_fill,
                );
                painter.galley(at, galley, visuals.warn_fg_color);
            }
            words
        }
    }
}

/// `size` scaled to fit inside `rect`, centred.
fn fit(size: Vec2, rect: Rect) -> Rect {
    let scale = (rect.width() / size.x.max(1.0)).min(rect.height() / size.y.max(1.0));
    Rect::from_center_size(rect.center(), size * scale)
}

/// A line of text for a caption under a picture, muted.
pub fn muted(ui: &Ui, text: &str) -> RichText {
    RichText::new(text)
        .size(12.0)
        .color(ui.visuals().weak_text_color())
}
