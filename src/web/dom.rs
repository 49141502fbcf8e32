//! The few browser calls the components share: clipboard, downloads, storage, theme, the
//! location. Errors are ignored on purpose: a failed copy or a blocked storage must never break
//! the diagnosis.

use wasm_bindgen::JsCast;

pub fn window() -> web_sys::Window {
    gloo::utils::window()
}

/// Copy to the clipboard (async; the promise is not awaited).
pub fn copy_text(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Offer `text` as a file download through a Blob object URL: nothing leaves the browser.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = gloo::utils::document();
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.set_hidden(true);
        let _ = gloo::utils::body().append_child(&a);
        a.click();
        a.remove();
    }
    // Revoke after the download has started.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

pub fn storage_get(key: &str) -> Option<String> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(key, value);
    }
}

pub const THEME_KEY: &str = "podmortem.theme";

/// The theme in effect: the saved choice, else the system preference.
pub fn current_theme() -> &'static str {
    match storage_get(THEME_KEY).as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => {
            let dark = window()
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .is_some_and(|m| m.matches());
            if dark {
                "dark"
            } else {
                "light"
            }
        }
    }
}

pub fn apply_theme(theme: &str) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("data-theme", theme);
    }
}

pub fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

pub fn location_search() -> String {
    window().location().search().unwrap_or_default()
}

/// The page's URL without query and fragment (works for http(s) and file://).
pub fn page_url() -> String {
    let href = window().location().href().unwrap_or_default();
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href.get(..end).unwrap_or("").to_string()
}

pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<T>().ok())
}
