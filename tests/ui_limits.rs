//! The UI under hostile sizes: an event nested far deeper than JSON is read,
//! an event of 16 MiB on one line. Drawn through ratatui's `TestBackend` from
//! states built by the real parser and the real `update`, as the app builds them.

#[path = "support/one_read.rs"]
mod one_read;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::Url;
use ssetui::message::Msg;
use ssetui::sse::{ConnMsg, ParserConfig, RequestSpec, ResponseInfo};
use ssetui::state::{self, AppState, DetailMode};
use ssetui::ui::{self, ContentCache, Theme};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// How much of an event the Content and Raw views lay out (`ui::detail::CAP`).
const CONTENT_CAP: usize = 256 * 1024;

/// A tab that received `body` in one read, following the newest event (as
/// the app starts: no key pressed).
fn received(body: &[u8]) -> AppState {
    let spec = RequestSpec::get(Url::parse("http://127.0.0.1:1/s").unwrap());
    let mut state = AppState::new(spec, "limits".into());
    state::connect(&mut state);
    let id = state.active().conn_id.unwrap();
    let response = ResponseInfo {
        status: 200,
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "text/event-stream".into())],
        redirects: vec![],
        final_url: "http://127.0.0.1:1/s".into(),
        time_to_first_byte: Duration::from_millis(1),
    };
    let opened = ConnMsg::Opened {
        attempt: 1,
        response,
    };
    state::update(&mut state, Msg::Conn { id, msg: opened });
    let config = ParserConfig {
        max_event_size: 32 * 1024 * 1024,
        ..ParserConfig::default()
    };
    let msg = one_read::data(body, config);
    state::update(&mut state, Msg::Conn { id, msg });
    assert!(
        state.active().list.is_following(),
        "following the newest event"
    );
    state
}

/// Draws one frame with `cache`: the screen's text and how far the detail scrolls.
fn frame(state: &AppState, cache: &mut ContentCache) -> (String, u16) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    let mut drawn = None;
    terminal
        .draw(|f| drawn = Some(ui::draw(f, state, &Theme::new(true), cache, Instant::now())))
        .unwrap();
    let max_scroll = drawn.and_then(|d| d.detail_max_scroll);
    (
        terminal.backend().to_string(),
        max_scroll.expect("the detail drawn"),
    )
}

/// The event: 256 KB of brackets nested 131,000 levels deep. Re-indented,
/// it made a line per level (1 GB of layout, seconds per selection).
#[test]
fn an_event_nested_131000_deep_is_shown_as_received_under_a_note() {
    let depth = 131_000;
    let body = format!("data: {}{}\n\n", "[".repeat(depth), "]".repeat(depth));
    let state = received(body.as_bytes());
    let (screen, max_scroll) = frame(&state, &mut ContentCache::default());
    assert!(
        screen.contains("… JSON 128+ levels deep: shown as received"),
        "{screen}"
    );
    assert!(screen.contains("[[[[[[[["), "{screen}");
    // Its 262,000 bytes wrapped at the pane's width, not a line per level.
    let pane_width = usize::from(WIDTH / 2);
    assert!(
        usize::from(max_scroll) < 2 * depth * 2 / pane_width,
        "{max_scroll} rows"
    );
}

/// An event over the Content view's cap is cut to it, in Content and in Raw,
/// whatever its size: the rows laid out stay those of 256 KiB.
#[test]
fn a_16_mib_event_on_one_line_lays_out_a_capped_prefix() {
    let data = "x".repeat(16 * 1024 * 1024);
    let body = format!("data: {data}\n\n");
    let mut state = received(body.as_bytes());
    let bound = u16::try_from(2 * CONTENT_CAP / usize::from(WIDTH / 3)).unwrap();
    let mut cache = ContentCache::default();
    for mode in [DetailMode::Content, DetailMode::Raw] {
        state.active_mut().detail = mode;
        let (screen, max_scroll) = frame(&state, &mut cache);
        assert!(
            screen.contains("… showing the first 256 KiB of 16 MiB"),
            "{mode:?}:\n{screen}"
        );
        assert!(
            max_scroll > 0 && max_scroll < bound,
            "{mode:?}: {max_scroll}"
        );
    }
}

/// JSON too long to re-indent whole: the first lines re-indented, then the
/// rest as received, with a note saying so.
#[test]
fn json_past_the_reindent_caps_shows_the_rest_as_received() {
    let data = format!("[{}1]", "1,".repeat(30_000));
    let state = received(format!("data: {data}\n\n").as_bytes());
    let (screen, max_scroll) = frame(&state, &mut ContentCache::default());
    assert!(
        screen.contains("… 10000 lines re-indented; the rest as received"),
        "{screen}"
    );
    assert!(max_scroll > 10_000 && max_scroll < 12_000, "{max_scroll}");
}

/// A server's `retry:` has any number of digits, and `retry_delay` in the
/// settings any length ("500000000000years"): adding either to the clock
/// overflowed and panicked the UI.
#[test]
fn a_reconnect_delay_of_any_length_is_scheduled_without_panicking() {
    for delay in [Duration::from_millis(u64::MAX), Duration::MAX] {
        let mut state = received(b"data: one\n\n");
        let id = state.active().conn_id.unwrap();
        let scheduled = ConnMsg::ReconnectScheduled {
            next_attempt: 2,
            delay,
            last_event_id: String::new(),
        };
        state::update(&mut state, Msg::Conn { id, msg: scheduled });
        assert!(
            matches!(
                state.active().status,
                ssetui::state::ConnStatus::Reconnecting { .. }
            ),
            "{:?}",
            state.active().status
        );
        state::update(&mut state, Msg::Tick(Instant::now()));
        let (screen, _) = frame(&state, &mut ContentCache::default());
        assert!(screen.contains("reconnecting in"), "{screen}");
    }
}

/// A `jq:` search of 60,000 nested parentheses overflowed jaq's parser and
/// aborted the UI; it is an error in the prompt instead.
#[test]
fn a_jq_search_nested_60000_deep_is_an_error_not_an_abort() {
    let mut state = received(b"data: {\"a\":1}\n\n");
    let query = format!("jq:{}.{}", "(".repeat(60_000), ")".repeat(60_000));
    state.active_mut().search.set_query(&query);
    let error = state.active().search.error().expect("an error");
    assert!(
        error.contains("too complex: more than 128 operators, brackets and keywords"),
        "{error}"
    );
    assert!(state.active().search.jq().is_none());
    frame(&state, &mut ContentCache::default());
}
