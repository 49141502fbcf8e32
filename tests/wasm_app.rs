//! wasm-bindgen tests in headless Chromium: the engine compiled to wasm32, and the app mounted
//! into a real DOM, driven through its controls.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use gloo_timers::future::TimeoutFuture;
use podmortem::web::components::app::App;
use podmortem::web::examples::EXAMPLES;
use podmortem::{diagnose, Input};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn engine_names_the_oom_in_wasm() {
    let report = diagnose(&[Input::new("paste", EXAMPLES[0].text)]);
    assert_eq!(report.primary_cause.slug(), "oom-killed");
    let fixed = report.corrected_manifest.expect("a corrected manifest");
    assert!(fixed.text.contains("memory: 768Mi"), "{}", fixed.text);
}

fn mount() -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").expect("div");
    gloo::utils::body().append_child(&root).expect("append");
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

async fn settle(ms: u32) {
    yew::scheduler::flush().await;
    TimeoutFuture::new(ms).await;
    yew::scheduler::flush().await;
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// Put `text` in the editor as typing would (an `input` event).
fn type_into(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = query(root, "#input")
        .expect("textarea")
        .dyn_into()
        .expect("textarea");
    area.set_value(text);
    let event = web_sys::InputEvent::new("input").expect("event");
    area.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn example_button_shows_the_finding_and_the_fix() {
    let root = mount();
    settle(0).await;
    assert!(
        query(&root, ".finding").is_none(),
        "no finding before any input"
    );
    let button: HtmlElement = query(&root, "#load-example")
        .expect("example button")
        .dyn_into()
        .expect("button");
    button.click();
    settle(50).await;
    let finding = query(&root, ".finding[data-code=\"PM001\"]").expect("the OOM finding");
    assert!(finding
        .text_content()
        .unwrap_or_default()
        .contains("render"));
    let headline = query(&root, "#primary-cause").expect("headline");
    assert_eq!(
        headline.get_attribute("data-cause").as_deref(),
        Some("oom-killed")
    );
    let diff = query(&root, "#manifest-diff")
        .expect("diff")
        .text_content()
        .unwrap_or_default();
    assert!(diff.contains("+              memory: 768Mi"), "{diff}");
    root.remove();
}

#[wasm_bindgen_test]
async fn typing_a_paste_updates_the_report_after_a_pause() {
    let root = mount();
    settle(0).await;
    type_into(&root, "Containers:\n  worker:\n    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137\n");
    settle(400).await;
    let finding = query(&root, ".finding").expect("a finding after the debounce");
    assert!(finding
        .text_content()
        .unwrap_or_default()
        .contains("worker"));
    root.remove();
}

#[wasm_bindgen_test]
async fn pasted_markup_is_shown_as_text() {
    let root = mount();
    settle(0).await;
    let area: HtmlTextAreaElement = query(&root, "#input")
        .expect("textarea")
        .dyn_into()
        .expect("textarea");
    area.set_value("Containers:\n  <img src=x onerror=alert(1)>:\n    State:  Terminated\n      Reason:  OOMKilled\n");
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatch");
    settle(400).await;
    assert!(
        query(&root, ".results img").is_none(),
        "markup from the paste must not become elements"
    );
    root.remove();
}

#[wasm_bindgen_test]
fn every_example_and_a_share_link_work_in_wasm() {
    for e in EXAMPLES {
        let r = diagnose(&[Input::new(e.id, e.text)]);
        assert_eq!(r.primary_cause, e.expected_cause, "{}", e.id);
    }
    let inputs = vec![("paste 1".to_string(), EXAMPLES[0].text.to_string())];
    let frag = podmortem::web::share::encode(&inputs);
    assert_eq!(podmortem::web::share::decode(&frag), Some(Ok(inputs)));
}

#[wasm_bindgen_test]
async fn clear_all_empties_every_tab() {
    let root = mount();
    settle(0).await;
    let click = |sel: &str| {
        let el: HtmlElement = query(&root, sel)
            .unwrap_or_else(|| panic!("{sel}"))
            .dyn_into()
            .expect("element");
        el.click();
    };
    click("#load-example");
    settle(20).await;
    click("#add-tab");
    settle(20).await;
    assert_eq!(root.query_selector_all(".tab").expect("tabs").length(), 2);
    click("#clear");
    settle(20).await;
    assert_eq!(root.query_selector_all(".tab").expect("tabs").length(), 1);
    assert!(query(&root, ".finding").is_none());
    let area: HtmlTextAreaElement = query(&root, "#input")
        .expect("textarea")
        .dyn_into()
        .expect("textarea");
    assert_eq!(area.value(), "");
    root.remove();
}

#[wasm_bindgen_test]
fn the_worker_entry_point_works_in_wasm() {
    use podmortem::report::wire;
    let inputs = vec![Input::new("pod.txt", EXAMPLES[0].text)];
    let bytes =
        podmortem::web::background::diagnose_wire(&wire::encode_inputs(&inputs)).expect("a report");
    let report = wire::decode(&bytes).expect("decodes");
    assert_eq!(report.primary_cause.slug(), "oom-killed");
}

/// The test page has no `boot.js`, so no worker can start: a big input is then diagnosed on
/// the page rather than left waiting.
#[wasm_bindgen_test]
async fn a_big_paste_without_a_worker_is_diagnosed_on_the_page() {
    let root = mount();
    settle(0).await;
    let filler = "I1127 01:02:03.000000 1 worker.go:88] processed batch rows=1000\n";
    let text = filler.repeat(podmortem::web::background::WORKER_MIN / filler.len() + 1)
        + "Containers:\n  worker:\n    Last State:  Terminated\n      Reason:    OOMKilled\n      Exit Code: 137\n";
    type_into(&root, &text);
    settle(900).await;
    assert!(query(&root, "#busy").is_none(), "not waiting for a worker");
    let headline = query(&root, "#primary-cause").expect("a diagnosis");
    assert_eq!(
        headline.get_attribute("data-cause").as_deref(),
        Some("oom-killed")
    );
    root.remove();
}
