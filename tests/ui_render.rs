//! Whole-screen renders of the UI through ratatui's `TestBackend`. States are
//! built the way the app builds them: real bytes through the real parser,
//! handed to the real `update` as connection messages, with fixed receive
//! times so every render is stable.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use reqwest::Url;
use ssetui::action::Action;
use ssetui::message::Msg;
use ssetui::sse::{
    Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, Numbering, Parser, ParserConfig, Redirect,
    RequestSpec, ResponseInfo, SentRequest, StreamItem,
};
use ssetui::state::{self, AppState, ConnStatus, DetailMode, Focus, ReasoningView, RowKind};
use ssetui::ui::{self, Theme};

const URL: &str = "https://api.example.com/v1/stream?topic=prices&api_key=SECRET123";

/// The fixed wall-clock time the first chunk arrives.
fn base_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_790_000_000)
}

/// Builds an `AppState` through `update`, the way the app does.
struct Fixture {
    state: AppState,
    parser: Parser,
    offset: u64,
    seq: u64,
    attempt: u32,
    /// Milliseconds after `base_time` of the next chunk.
    clock_ms: u64,
}

impl Fixture {
    fn idle() -> Self {
        let spec = RequestSpec::get(Url::parse(URL).unwrap());
        let mut state = AppState::new(spec, "demo /prices".into());
        // No stall flag in the renders, but in the test about it.
        state.stall_after = Duration::from_secs(3600);
        Self {
            state,
            parser: Parser::default(),
            offset: 0,
            seq: 0,
            attempt: 0,
            clock_ms: 0,
        }
    }

    /// Connected (status 200) with no data yet.
    fn open() -> Self {
        let mut f = Self::idle();
        f.connect();
        f.connecting(None);
        f.opened();
        f
    }

    fn connect(&mut self) {
        state::connect(&mut self.state);
    }

    fn send(&mut self, msg: ConnMsg) {
        let id = self.state.active().conn_id.unwrap();
        state::update(&mut self.state, Msg::Conn { id, msg });
    }

    fn connecting(&mut self, last_event_id: Option<&str>) {
        self.attempt += 1;
        let mut headers = vec![
            ("accept".to_owned(), "text/event-stream".to_owned()),
            ("cache-control".to_owned(), "no-cache".to_owned()),
            ("authorization".to_owned(), "Bearer ***".to_owned()),
        ];
        if let Some(id) = last_event_id {
            headers.push(("last-event-id".to_owned(), id.to_owned()));
        }
        let request = SentRequest {
            method: "GET".into(),
            url: "https://api.example.com/v1/stream?topic=prices&api_key=***".into(),
            headers,
            body_len: None,
            last_event_id: last_event_id.map(str::to_owned),
        };
        self.send(ConnMsg::Connecting {
            attempt: self.attempt,
            request,
        });
    }

    fn opened(&mut self) {
        let response = ResponseInfo {
            status: 200,
            version: "HTTP/1.1".into(),
            headers: vec![
                (
                    "content-type".into(),
                    "text/event-stream; charset=utf-8".into(),
                ),
                ("cache-control".into(), "no-cache".into()),
            ],
            redirects: vec![Redirect {
                status: 301,
                from: "http://api.example.com/v1/stream?topic=prices&api_key=***".into(),
                to: "https://api.example.com/v1/stream?topic=prices&api_key=***".into(),
                method: "GET".into(),
            }],
            final_url: "https://api.example.com/v1/stream?topic=prices&api_key=***".into(),
            time_to_first_byte: Duration::from_millis(42),
        };
        self.parser = Parser::new(ParserConfig {
            last_event_id: self.parser.last_event_id().to_owned(),
            start_offset: self.offset,
            ..ParserConfig::default()
        });
        self.send(ConnMsg::Opened {
            attempt: self.attempt,
            response,
        });
    }

    /// One read of `bytes`, `after_ms` after the previous one.
    fn data(&mut self, bytes: &[u8], after_ms: u64) {
        self.clock_ms += after_ms;
        let mut items = Vec::new();
        let mut numbered = Numbering {
            items: &mut items,
            seq: &mut self.seq,
        };
        self.parser.feed(bytes, &mut numbered).unwrap();
        let chunk = Chunk {
            attempt: self.attempt,
            offset: self.offset,
            bytes: Bytes::copy_from_slice(bytes),
            received_at: base_time() + Duration::from_millis(self.clock_ms),
            items,
            facts: None,
        };
        self.offset += bytes.len() as u64;
        self.send(ConnMsg::Data(chunk));
    }

    /// The usual stream: JSON events, a plain one, a keep-alive, a multi-line one.
    fn streaming() -> Self {
        let mut f = Self::open();
        f.data(
            b"event: price\r\nid: 1\r\ndata: {\"symbol\":\"ACME\",\"price\":12.50,\"change\":-0.25,\"tags\":[\"nyse\",\"tech\"],\"live\":true,\"halted\":null}\r\n\r\n",
            0,
        );
        f.data(b"data: plain text, not JSON\n\n", 12);
        f.data(
            b"event: price\nid: 2\ndata: {\"symbol\":\"INIT\",\"price\":7,\"tags\":[]}\n\n",
            1234,
        );
        f.data(b": keep-alive\n\n", 15_000);
        f.data(b"event: chat\nid: 3\ndata: line one\ndata: line two\ndata: \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88\n\n", 250);
        f.data(b"event: tick\nid: 4\ndata: {\"n\":4}\n\n", 180_000);
        f
    }

    /// Selects the event numbered `seq`, leaving follow mode.
    fn select_seq(&mut self, seq: u64) {
        let pos = (0..self.state.active().list.len())
            .find(|&p| matches!(self.state.active().visible_row(p).map(|r| r.kind), Some(RowKind::Event { seq: s, .. }) if s == seq))
            .expect("event listed");
        self.select(pos);
    }

    fn select(&mut self, pos: usize) {
        self.state.active_mut().select(pos);
        self.state.active_mut().detail_scroll = 0;
    }

    /// A `now` one second after the last event (the rate counts every event
    /// of the last three seconds) and 83 s after the connection opened, so
    /// the rate and the elapsed time are the same on every run.
    fn settle(&mut self) -> Instant {
        let at = Instant::now();
        let stats = &self.state.active().insight.stats;
        let last = at - stats.since_last_event(at).unwrap_or_default();
        self.settle_at(last + Duration::from_secs(1))
    }

    /// The screen drawn at a settled `now`, in colour.
    fn terminal(&mut self, width: u16, height: u16) -> Terminal<TestBackend> {
        let now = self.settle();
        draw(&self.state, &color(), now, width, height)
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        screen(&self.terminal(width, height))
    }

    fn settle_at(&mut self, now: Instant) -> Instant {
        if self.state.active().conn.opened_at.is_some() {
            self.state.active_mut().conn.opened_at = Some(now - Duration::from_secs(83));
        }
        now
    }
}

fn draw(
    state: &AppState,
    theme: &Theme,
    now: Instant,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            ui::draw(f, state, theme, &mut ui::ContentCache::default(), now);
        })
        .unwrap();
    terminal
}

fn color() -> Theme {
    Theme::new(true)
}

/// The screen as lines of text.
fn screen(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

/// Snapshots the fixture at 80x24 and 160x48.
fn snapshot_both(name: &str, f: &mut Fixture) {
    let now = f.settle();
    for (w, h) in [(80, 24), (160, 48)] {
        let terminal = draw(&f.state, &color(), now, w, h);
        assert_no_raw_controls(terminal.backend().buffer());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

/// The foreground colour of the last character of `needle` on screen.
fn fg_of(terminal: &Terminal<TestBackend>, needle: &str) -> Option<Color> {
    let buffer = terminal.backend().buffer();
    let n = needle.chars().count();
    for y in 0..buffer.area.height {
        let cells: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        for x in 0..cells.len().saturating_sub(n) {
            if cells[x..x + n].concat() == needle {
                return Some(buffer[((x + n - 1) as u16, y)].fg);
            }
        }
    }
    None
}

fn assert_no_raw_controls(buffer: &Buffer) {
    for (i, cell) in buffer.content().iter().enumerate() {
        for c in cell.symbol().chars() {
            let code = c as u32;
            assert!(
                code >= 0x20 && !(0x7f..=0x9f).contains(&code),
                "raw control {code:#x} in cell {i} ({:?})",
                cell.symbol()
            );
        }
    }
}

#[test]
fn idle_and_empty() {
    let mut f = Fixture::idle();
    snapshot_both("idle", &mut f);
    let s = screen(&draw(&f.state, &color(), Instant::now(), 80, 24));
    assert!(s.contains("press c to connect"));
    assert!(s.contains("idle"));
    assert!(s.contains("no event selected"));
}

#[test]
fn url_secrets_are_not_shown() {
    let f = Fixture::streaming();
    let s = screen(&draw(&f.state, &color(), Instant::now(), 160, 48));
    assert!(!s.contains("SECRET123"), "{s}");
    assert!(s.contains("api_key=***"));
}

#[test]
fn connecting() {
    let mut f = Fixture::idle();
    f.connect();
    f.connecting(None);
    snapshot_both("connecting", &mut f);
    let s = screen(&draw(&f.state, &color(), Instant::now(), 80, 24));
    assert!(s.contains("● connecting"));
    assert!(s.contains("── attempt 1: GET"));
}

#[test]
fn json_event_content() {
    let mut f = Fixture::streaming();
    f.select_seq(1);
    snapshot_both("json_content", &mut f);
    let s = f.screen(160, 48);
    assert!(s.contains(r#""price": 12.50,"#), "numbers as sent:\n{s}");
    assert!(s.contains("event price · id 1 · 95 B"));
}

#[test]
fn json_event_raw_with_and_without_line_endings() {
    let mut f = Fixture::streaming();
    f.select_seq(1);
    f.state.active_mut().detail = DetailMode::Raw;
    snapshot_both("json_raw", &mut f);
    let s = f.screen(160, 48);
    assert!(s.contains(r#"data: {"symbol":"ACME""#));
    assert!(!s.contains('␍'));
    f.state.show_line_endings = true;
    snapshot_both("json_raw_line_endings", &mut f);
    let s = f.screen(160, 48);
    assert!(s.contains("event: price␍␊"));
    assert!(s.contains("id: 1␍␊"));
}

#[test]
fn plain_text_event() {
    let mut f = Fixture::streaming();
    f.select_seq(2);
    snapshot_both("plain_content", &mut f);
}

#[test]
fn multi_line_event() {
    let mut f = Fixture::streaming();
    f.select_seq(4);
    snapshot_both("multi_line_content", &mut f);
    let s = f.screen(80, 24);
    assert!(
        s.contains("line one⏎line two⏎日本語テキスト"),
        "preview:\n{s}"
    );
    f.state.active_mut().detail = DetailMode::Raw;
    f.state.show_line_endings = true;
    snapshot_both("multi_line_raw", &mut f);
}

#[test]
fn keep_alive_block_listed_when_asked() {
    let mut f = Fixture::idle();
    f.state.active_mut().set_show_blocks(true);
    f.connect();
    f.connecting(None);
    f.opened();
    f.data(b"data: {\"a\":1}\n\n", 0);
    f.data(b": keep-alive\n\n", 15_000);
    f.data(b"id: 7\n\n", 10);
    f.data(b"retry: 500\n\n", 10);
    f.data(b"data: after\n\n", 10);
    let pos = (0..f.state.active().list.len())
        .find(|&p| {
            f.state
                .active()
                .visible_row(p)
                .is_some_and(|r| r.is_block())
        })
        .unwrap();
    f.select(pos);
    snapshot_both("blocks", &mut f);
    let s = f.screen(80, 24);
    assert!(s.contains(": keep-alive"));
    assert!(s.contains("id: 7"));
    assert!(s.contains("retry: 500"));
}

#[test]
fn reconnecting_counts_down_from_now() {
    let mut f = Fixture::streaming();
    f.send(ConnMsg::Error {
        attempt: 1,
        error: ConnError::new(
            ErrorKind::Network,
            "connection reset by peer while reading the body",
        ),
    });
    f.send(ConnMsg::ReconnectScheduled {
        next_attempt: 2,
        delay: Duration::from_secs(3),
        last_event_id: "4".into(),
    });
    let ConnStatus::Reconnecting { at, .. } = f.state.active().status else {
        panic!("reconnecting")
    };
    let now = f.settle_at(at - Duration::from_millis(2300));
    for (w, h) in [(80, 24), (160, 48)] {
        let terminal = draw(&f.state, &color(), now, w, h);
        insta::assert_snapshot!(format!("reconnecting_{w}x{h}"), terminal.backend());
        let s = screen(&terminal);
        assert!(s.contains("reconnecting in 2.3 s"), "{s}");
    }
    let later = draw(&f.state, &color(), at - Duration::from_millis(500), 80, 24);
    assert!(screen(&later).contains("reconnecting in 500 ms"));
    // The error marker is red, the reconnect marker yellow.
    let terminal = draw(&f.state, &color(), now, 80, 24);
    assert_eq!(fg_of(&terminal, "── error"), Some(Color::Red));
    assert_eq!(fg_of(&terminal, "── reconnecting"), Some(Color::Yellow));
}

#[test]
fn error_status_truncated_to_fit() {
    let mut f = Fixture::streaming();
    let message = "HTTP 401 Unauthorized from https://api.example.com/v1/stream?topic=prices&api_key=***: \
                   the server rejected the credentials; check --header or --bearer and try again";
    f.send(ConnMsg::Closed {
        reason: CloseReason::Failed(ConnError::new(ErrorKind::Status, message)),
    });
    snapshot_both("error", &mut f);
    let terminal = f.terminal(80, 24);
    let status_row = screen(&terminal).lines().nth(22).unwrap().to_owned();
    assert!(status_row.contains("● error: HTTP 401"), "{status_row}");
    assert!(status_row.contains('…'));
    assert!(
        status_row.contains("5 events"),
        "counters kept: {status_row}"
    );
    assert!(status_row.contains("FOLLOW"), "badge kept: {status_row}");
    assert_eq!(fg_of(&terminal, "● error"), Some(Color::Red));
}

#[test]
fn help_overlay_lists_every_binding() {
    let mut f = Fixture::streaming();
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::List));
    snapshot_both("help", &mut f);
    let s = f.screen(80, 24);
    // The detail pane's own keys are on its page.
    let detail_only = [
        Action::ToggleLineEndings,
        Action::PrevView,
        Action::ViewContent,
        Action::ViewRaw,
        Action::ViewWire,
        Action::ViewAnswer,
        Action::ViewChecks,
        Action::ViewStats,
        Action::ToggleReasoning,
    ];
    // An MCP tab's keys are on the MCP page.
    let mcp_only = [
        Action::McpPanel,
        Action::JumpToLinked,
        Action::McpCancel,
        Action::McpProbe,
    ];
    let list_page = ssetui::action::BINDINGS
        .iter()
        .filter(|(_, action, _)| !detail_only.contains(action) && !mcp_only.contains(action));
    for (key, _, what) in list_page {
        assert!(s.contains(key), "{key}");
        // Descriptions may wrap in two columns: look for each word.
        for word in what.split(' ') {
            assert!(s.contains(word), "{word} of {what}");
        }
    }
    assert!(s.contains("Letters type in a text field, Esc leaves it; Ctrl-R connects anywhere."));
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::Mcp));
    let mcp = f.screen(80, 24);
    for (key, _, _) in ssetui::action::BINDINGS
        .iter()
        .filter(|(_, action, _)| mcp_only.contains(action))
    {
        assert!(
            mcp.contains(&format!("│ {key} ")),
            "{key} on the MCP page:\n{mcp}"
        );
    }
    assert!(mcp.contains("panel: Ctrl-S"), "{mcp}");
}

#[test]
fn detail_focus_and_marker_detail() {
    let mut f = Fixture::streaming();
    // The "connected" marker: its detail shows the request and the response head.
    f.select(1);
    f.state.active_mut().focus = Focus::Detail;
    snapshot_both("marker_detail", &mut f);
    let s = f.screen(160, 48);
    assert!(s.contains("authorization: Bearer ***"));
    assert!(s.contains("HTTP/1.1 200"));
    assert!(s.contains("time to first byte 42 ms"));
}

#[test]
fn no_color_theme_uses_no_colour() {
    let mut f = Fixture::streaming();
    f.select_seq(1);
    let now = f.settle();
    let theme = Theme::new(false);
    for (w, h) in [(80, 24), (160, 48)] {
        let mut terminal = draw(&f.state, &theme, now, w, h);
        for cell in terminal.backend().buffer().content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
        // The selected row is shown reversed.
        let reversed = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.modifier.contains(Modifier::REVERSED));
        assert!(reversed.count() > 20);
        f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::List));
        terminal
            .draw(|frame| {
                ui::draw(
                    frame,
                    &f.state,
                    &theme,
                    &mut ui::ContentCache::default(),
                    now,
                );
            })
            .unwrap();
        assert!(
            terminal
                .backend()
                .buffer()
                .content()
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        f.state.active_mut().overlay = None;
    }
    insta::assert_snapshot!(
        "no_color_80x24",
        draw(&f.state, &theme, now, 80, 24).backend()
    );
}

#[test]
fn tiny_sizes_do_not_panic() {
    let mut f = Fixture::streaming();
    let now = f.settle();
    for (w, h) in [
        (0, 0),
        (1, 1),
        (0, 24),
        (80, 0),
        (20, 5),
        (79, 23),
        (79, 24),
        (80, 23),
        (80, 24),
        (119, 30),
        (120, 30),
    ] {
        for show_help in [false, true] {
            f.state.active_mut().overlay =
                show_help.then_some(state::Overlay::help(state::HelpPage::List));
            let terminal = draw(&f.state, &color(), now, w, h);
            assert_no_raw_controls(terminal.backend().buffer());
        }
    }
    f.state.active_mut().overlay = None;
    let terminal = draw(&f.state, &color(), now, 79, 23);
    insta::assert_snapshot!("too_small_79x23", terminal.backend());
    assert!(screen(&terminal).contains("terminal too small (need 80x24)"));
    let s = screen(&draw(&f.state, &color(), now, 20, 5));
    assert!(s.contains("need 80x24"), "{s}");
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let mut f = Fixture::idle();
    f.state.active_mut().set_show_blocks(true);
    f.connect();
    f.connecting(None);
    f.opened();
    f.state.active_mut().title = "title\u{1b}]0;pwned\u{7}".into();
    f.data(
        "event: x\u{1b}y\nid: 9\ndata: \u{1b}[31mred\u{0} nul\ttab 日本語 \u{85}c1 \u{7f}del \u{9b}csi\ndata: {\"k\":\"\u{1b}\u{7f}\"}\n\n"
            .as_bytes(),
        0,
    );
    f.data(b"data: {\"esc\":\"\\u001b\",\"s\":\"\xc2\x9b\x7f\"}\n\n", 5);
    f.data(b": comment with \x1b and \x07\n\n", 5);
    f.select_seq(1);
    let now = f.settle();
    let mut state = f.state;
    // Every row, in every view, at both sizes, in both themes.
    for pos in 0..state.active().list.len() {
        state.active_mut().select(pos);
        for mode in [DetailMode::Content, DetailMode::Raw] {
            state.active_mut().detail = mode;
            for endings in [false, true] {
                state.show_line_endings = endings;
                for (w, h) in [(80, 24), (160, 48)] {
                    for theme in [Theme::new(true), Theme::new(false)] {
                        let terminal = draw(&state, &theme, now, w, h);
                        assert_no_raw_controls(terminal.backend().buffer());
                    }
                }
            }
        }
    }
    state.active_mut().select(2);
    state.active_mut().detail = DetailMode::Content;
    let terminal = draw(&state, &color(), now, 160, 48);
    let s = screen(&terminal);
    assert!(
        s.contains("␛[31mred␀ nul→tab 日本語 \\u{85}c1 ␡del"),
        "preview:\n{s}"
    );
    assert!(s.contains("␛[31mred␀ nul    tab 日本語"), "content:\n{s}");
    assert!(s.contains("title␛]0;pwned␇"));
    insta::assert_snapshot!("control_characters_160x48", terminal.backend());
}

#[test]
fn carriage_return_in_data_is_escaped() {
    let mut f = Fixture::open();
    f.data(b"data: placeholder\n\n", 0);
    // The parser splits lines at CR, so no stream puts one in data; a hand-made chunk can.
    let mut event = match &f.state.active().log().get(2).unwrap().kind {
        RowKind::Event { event, .. } => event.clone(),
        other => panic!("{other:?}"),
    };
    event.data = "a\rb\u{1b}c\td 中文".into();
    f.send(ConnMsg::Data(Chunk {
        attempt: 1,
        offset: f.offset,
        bytes: Bytes::new(),
        received_at: base_time(),
        items: vec![StreamItem::Event { seq: 2, event }],
        facts: None,
    }));
    let now = f.settle();
    for mode in [DetailMode::Content, DetailMode::Raw] {
        f.state.active_mut().detail = mode;
        let terminal = draw(&f.state, &color(), now, 80, 24);
        assert_no_raw_controls(terminal.backend().buffer());
        let s = screen(&terminal);
        assert!(s.contains("a␍b␛c→d 中文"), "{s}");
    }
}

#[test]
fn wide_characters_keep_columns_aligned() {
    let mut f = Fixture::open();
    f.data("event: 日本\nid: 一\ndata: 中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文\n\n".as_bytes(), 0);
    f.data(b"event: message\nid: 2\ndata: ascii\n\n", 10);
    f.data(
        "data: 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉\n\n".as_bytes(),
        10,
    );
    let now = f.settle();
    for (w, h) in [(80, 24), (160, 48)] {
        let terminal = draw(&f.state, &color(), now, w, h);
        let buffer = terminal.backend().buffer();
        // Every event row has its size column ("…B") at the same x.
        let mut size_columns = Vec::new();
        for y in 0..buffer.area.height {
            let cells: Vec<&str> = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            let row: String = cells.concat();
            if row.contains("14:13:20") {
                let x = (0..cells.len())
                    .find(|&x| cells[x] == "B" && x > 30)
                    .unwrap();
                size_columns.push(x);
            }
        }
        assert_eq!(size_columns.len(), 3, "{}", terminal.backend());
        assert!(
            size_columns.windows(2).all(|p| p[0] == p[1]),
            "{size_columns:?}\n{}",
            terminal.backend()
        );
        insta::assert_snapshot!(format!("wide_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn two_hundred_thousand_events_draw_only_what_fits() {
    let mut f = Fixture::open();
    const N: u64 = 200_000;
    let mut chunk = Vec::new();
    for i in 1..=N {
        chunk.extend_from_slice(format!("id: {i}\ndata: {{\"n\":{i}}}\n\n").as_bytes());
        if i % 20_000 == 0 {
            f.data(&std::mem::take(&mut chunk), 1);
        }
    }
    assert_eq!(f.state.active().log().events_received(), N);
    let now = f.settle();
    // Following: the newest event is on screen and selected.
    let started = Instant::now();
    let terminal = draw(&f.state, &color(), now, 160, 48);
    let elapsed = started.elapsed();
    let s = screen(&terminal);
    assert!(s.contains("200000"), "{s}");
    assert!(s.contains("{\"n\":200000}"));
    assert!(s.contains("200002 of 200002"), "{s}");
    // At the top: the first event.
    f.select_seq(1);
    let terminal = draw(&f.state, &color(), now, 160, 48);
    let s = screen(&terminal);
    assert!(s.contains("{\"n\":1}"), "{s}");
    assert!(!s.contains("{\"n\":200000}"));
    // In the middle.
    f.select(123_456);
    let s = screen(&draw(&f.state, &color(), now, 80, 24));
    assert!(s.contains("123457 of 200002"), "{s}");
    // A frame costs a screenful, not the log (generous, for debug builds).
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
}

#[test]
fn search_prompt_and_matches() {
    let mut f = Fixture::streaming();
    for c in "price".chars() {
        f.state.active_mut().search.push(c);
    }
    f.state.active_mut().overlay = Some(state::Overlay::Search);
    snapshot_both("search_editing", &mut f);
    let s = f.screen(80, 24);
    assert!(s.contains("/price▏"), "{s}");
    f.state.active_mut().overlay = None;
    let listed = f.state.active().list.len();
    f.state.active_mut().set_filter(true);
    assert!(
        f.state.active().list.len() < listed,
        "the list shows only matches, as the badge says"
    );
    let s = f.screen(80, 24);
    assert!(s.contains("/price  only matches"), "{s}");
    assert!(s.contains("? help"), "{s}");
}

#[test]
fn demo_picker_overlay() {
    let mut f = Fixture::streaming();
    let mut picker = ssetui::state::DemoPicker::new(Url::parse("http://127.0.0.1:9/").unwrap());
    picker.selected = 1;
    f.state.demo = Some(picker);
    f.state.active_mut().overlay = Some(state::Overlay::Demo);
    snapshot_both("demo_picker", &mut f);
    let s = f.screen(80, 24);
    for pick in ssetui::demo_server::PICKS {
        assert!(s.contains(&pick.target()), "{}", pick.target());
    }
}

#[test]
fn huge_event_is_capped_and_draws_quickly() {
    let mut f = Fixture::open();
    let line = "x".repeat(1023);
    let mut bytes = Vec::new();
    for _ in 0..(4 * 1024) {
        bytes.extend_from_slice(b"data: ");
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    bytes.push(b'\n');
    f.data(&bytes, 0);
    let now = f.settle();
    for mode in [DetailMode::Content, DetailMode::Raw] {
        f.state.active_mut().detail = mode;
        let started = Instant::now();
        let terminal = draw(&f.state, &color(), now, 160, 48);
        let elapsed = started.elapsed();
        let s = screen(&terminal);
        assert!(
            s.contains("… showing the first 256 KiB of 4 MiB"),
            "{mode:?}\n{s}"
        );
        // Generous: debug builds, a shared machine.
        assert!(
            elapsed < Duration::from_secs(2),
            "{mode:?} took {elapsed:?}"
        );
    }
}

#[test]
fn rows_whose_bytes_are_no_longer_retained_are_dropped_and_counted() {
    let mut f = Fixture::idle();
    // A wire log of 32 bytes: the first event's bytes are gone once the
    // second arrives, and its row with them (the caps bound all memory).
    f.state.set_log_caps(1000, 32);
    f.connect();
    f.connecting(None);
    f.opened();
    f.data(b"data: first event, long enough\n\n", 0);
    f.data(b"data: second event, long enough too\n\n", 5);
    f.select_seq(2);
    f.state.active_mut().detail = DetailMode::Raw;
    let s = f.screen(80, 24);
    assert!(s.contains("data: second event, long enough too"), "{s}");
    assert!(!s.contains("first event"), "{s}");
    assert!(
        s.contains("dropped"),
        "the status bar counts what went: {s}"
    );
}

#[test]
fn wire_view_shows_the_bytes_between_events_too() {
    let mut f = Fixture::streaming();
    f.select_seq(2);
    f.state.active_mut().detail = DetailMode::Wire;
    snapshot_both("wire", &mut f);
    let s = f.screen(160, 48);
    let after = |needle: &str| {
        s.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{s}"))
    };
    // From event 2 on: its data, event 3's lines, and the keep-alive between them.
    assert!(after("data: plain text, not JSON") < after(": keep-alive"));
    assert!(after(": keep-alive") < after("id: 3"));
    assert!(s.contains("wire log: bytes"));
    assert!(
        !s.contains("event: price\r"),
        "no raw CR reaches the screen"
    );
}

#[test]
fn the_answer_view_assembles_an_llm_stream_with_its_markdown_and_end() {
    let mut f = Fixture::open();
    f.data(
        b"data: {\"choices\":[{\"delta\":{\"content\":\"# Plan\\n\\nUse **SSE** for \"}}]}\n\n",
        0,
    );
    f.data(
        b"data: {\"choices\":[{\"delta\":{\"content\":\"streams.\"}}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
        40,
    );
    f.state.active_mut().detail = DetailMode::Answer;
    let s = f.screen(80, 24);
    assert!(s.contains("OpenAI chat completions"), "{s}");
    assert!(s.contains("ended by [DONE]"), "{s}");
    assert!(s.contains("Plan"), "{s}");
    assert!(
        s.contains("Use SSE for streams."),
        "emphasis rendered, not shown as **: {s}"
    );
    // The list shows each chunk's text as sent (Markdown and all); the
    // Answer renders it.
    let sse_lines: Vec<&str> = s.lines().filter(|l| l.contains("**SSE**")).collect();
    assert_eq!(sse_lines.len(), 1, "{s}");
    assert!(sse_lines[0].contains(" message "), "a list row: {s}");
    // The title shows the view in use and its neighbours.
    assert!(s.contains("‹ Wire  Answer  Checks ›"), "{s}");
    assert!(!s.contains(" Content "), "narrow: {s}");
}

/// A reasoning model: its thinking dimmed above the answer, `z` folds it
/// to one line (and back), the header gives both first-token times and the
/// reasoning tokens.
#[test]
fn the_answer_view_shows_reasoning_dimmed_above_the_answer_and_z_folds_it() {
    let mut f = Fixture::open();
    f.data(
        b"data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"Weigh the \\u001b[2Joptions first.\"}}]}\n\n",
        0,
    );
    f.data(
        b"data: {\"choices\":[{\"delta\":{\"content\":\"Use SSE.\"},\"finish_reason\":\"stop\"}]}\n\n\
          data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"total_tokens\":14,\"completion_tokens_details\":{\"reasoning_tokens\":4}}}\n\ndata: [DONE]\n\n",
        40,
    );
    f.state.active_mut().detail = DetailMode::Answer;
    let terminal = f.terminal(100, 30);
    let s = screen(&terminal);
    assert!(s.contains("first reasoning token"), "{s}");
    assert!(s.contains("first answer token"), "{s}");
    assert!(s.contains("reasoning 4"), "reasoning tokens: {s}");
    assert!(s.contains("▾ reasoning: 28 chars · z folds it"), "{s}");
    // The server's escape sequence is shown, never sent to the terminal.
    let thought = s
        .lines()
        .position(|l| l.contains("│ Weigh the ␛[2Joptions first."))
        .expect(&s);
    let answer = s
        .lines()
        .position(|l| l.contains("Use SSE.") && !l.contains("message"))
        .expect(&s);
    assert!(thought < answer, "reasoning above the answer: {s}");
    // Dimmed: the theme's dim style on the reasoning's cells.
    let buffer = terminal.backend().buffer();
    let row = thought as u16;
    let col = (0..100)
        .find(|&x| buffer[(x, row)].symbol() == "W")
        .expect(&s);
    let dim = color().dim;
    assert_eq!(buffer[(col, row)].fg, dim.fg.unwrap_or(Color::Reset), "{s}");
    assert!(
        buffer[(col, row)].modifier.contains(dim.add_modifier),
        "{s}"
    );

    let z =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('z'));
    state::update(
        &mut f.state,
        Msg::Input(ratatui::crossterm::event::Event::Key(z)),
    );
    assert_eq!(f.state.active().reasoning_view, ReasoningView::Folded);
    let s = f.screen(100, 30);
    assert!(s.contains("▸ reasoning: 28 chars · z shows it"), "{s}");
    assert!(!s.contains("│ Weigh the"), "folded: {s}");
    assert!(s.contains("Use SSE."), "{s}");

    state::update(
        &mut f.state,
        Msg::Input(ratatui::crossterm::event::Event::Key(z)),
    );
    assert_eq!(f.state.active().reasoning_view, ReasoningView::Shown);
    assert!(f.screen(100, 30).contains("│ Weigh the"));
}

#[test]
fn the_answer_view_says_when_the_stream_is_no_llm_answer() {
    let mut f = Fixture::streaming();
    f.state.active_mut().detail = DetailMode::Answer;
    let s = f.screen(80, 24);
    assert!(s.contains("no LLM stream recognised"), "{s}");
}

#[test]
fn the_checks_view_names_each_problem_with_why_and_fix() {
    // The usual fixture mixes CRLF and LF, and its first event has no id line.
    let mut f = Fixture::streaming();
    f.state.active_mut().detail = DetailMode::Checks;
    let s = f.screen(160, 48);
    assert!(s.contains("[line-endings]"), "{s}");
    assert!(s.contains("why "), "{s}");
    assert!(s.contains("fix "), "{s}");
}

#[test]
fn the_stats_view_shows_timing_a_sparkline_and_the_gaps() {
    let mut f = Fixture::streaming();
    f.state.active_mut().detail = DetailMode::Stats;
    let s = f.screen(160, 48);
    for needle in [
        "time to first byte",
        "time to first event",
        "events per second",
        "gaps between events",
        "<1ms",
    ] {
        assert!(s.contains(needle), "{needle}: {s}");
    }
    assert!(s.contains("events                5"), "{s}");
}

#[test]
fn the_rate_counts_every_event_of_a_firehose_and_the_counts_agree() {
    let mut f = Fixture::open();
    let body = "data: x\n\n".repeat(150_000);
    f.data(body.as_bytes(), 0);
    let now = Instant::now();
    let s = screen(&draw(&f.state, &color(), now, 160, 48));
    // 150,000 events within the last 3 s: 50,000 a second, not the
    // 33,333 a window of the last 100,000 arrivals made of it.
    assert!(s.contains("150000 events · 50000.0/s · 1.3 MiB"), "{s}");
    f.state.active_mut().detail = DetailMode::Stats;
    let s = screen(&draw(&f.state, &color(), now, 160, 48));
    assert!(s.contains("events                150000"), "{s}");
}

#[test]
fn a_live_stream_silent_past_the_setting_is_flagged_stalled() {
    let mut f = Fixture::streaming();
    f.state.stall_after = Duration::from_secs(30);
    // 100 s after the last bytes.
    let later = f.settle_at(Instant::now() + Duration::from_secs(100));
    let s = screen(&draw(&f.state, &color(), later, 80, 24));
    assert!(s.contains(" STALLED 10"), "{s}");
    f.state.stall_after = Duration::from_secs(3600);
    assert!(!screen(&draw(&f.state, &color(), later, 80, 24)).contains("STALLED"));
    f.state.active_mut().detail = DetailMode::Stats;
    f.state.stall_after = Duration::from_secs(30);
    let s = screen(&draw(&f.state, &color(), later, 160, 48));
    assert!(s.contains("stalled: nothing for"), "{s}");
}

#[test]
fn a_mid_stream_llm_error_is_flagged_in_the_status_bar() {
    let mut f = Fixture::open();
    f.data(
        b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\nevent: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n",
        0,
    );
    let s = f.screen(80, 24);
    assert!(s.contains(" 1 ERROR · v Answer "), "{s}");
    f.state.active_mut().detail = DetailMode::Answer;
    let s = f.screen(80, 24);
    assert!(s.contains("overloaded"), "{s}");
}

#[test]
fn a_rejected_response_is_explained_under_its_failure_marker() {
    let mut f = Fixture::idle();
    f.connect();
    f.connecting(None);
    let mut error = ConnError::new(
        ErrorKind::ContentType,
        "https://api.example.com/v1/stream answered 200 with Content-Type \"application/json\", not text/event-stream",
    );
    error.status = Some(200);
    f.send(ConnMsg::Closed {
        reason: CloseReason::Failed(error),
    });
    let s = f.screen(160, 48);
    assert!(s.contains("failed: "), "{s}");
    assert!(s.contains("Diagnosis"), "{s}");
    assert!(s.contains("fix "), "{s}");
}

#[test]
fn relative_times_count_from_the_first_row_kept() {
    let mut f = Fixture::open();
    // `x` clears the connection markers, stamped with the real clock: the
    // first row kept is then the first event.
    state::update(
        &mut f.state,
        Msg::Input(ratatui::crossterm::event::Event::Key(
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(
                'x',
            )),
        )),
    );
    f.state.time_format = ssetui::config::TimeFormat::Relative;
    f.data(b"data: first\n\n", 0);
    f.data(b"data: second\n\n", 1234);
    let s = f.screen(80, 24);
    assert!(s.contains("+0.000s"), "{s}");
    assert!(s.contains("+1.234s"), "{s}");
}

/// The help's other pages: the detail's keys, the search syntax, the
/// editor's; each with the keys in force.
#[test]
fn help_pages_follow_the_pane_and_the_search_syntax_has_its_own() {
    let mut f = Fixture::streaming();
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::Detail));
    let s = f.screen(80, 24);
    insta::assert_snapshot!("help_detail_80x24", s);
    for needle in [
        "Help · detail pane",
        "Alt-1",
        "Alt-6",
        "Stats: timing",
        "top of the view",
    ] {
        assert!(s.contains(needle), "{needle}:\n{s}");
    }
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::SearchSyntax));
    let s = f.screen(80, 24);
    insta::assert_snapshot!("help_search_syntax_80x24", s);
    for needle in ["type:!NAME", "jq:EXPR", "/pattern/", "Help · search syntax"] {
        assert!(s.contains(needle), "{needle}:\n{s}");
    }
    // A rebound key shows on the detail page too.
    f.state.keymap = ssetui::keymap::Keymap::from_config(
        &[("view_answer".to_owned(), vec!["ctrl-a".to_owned()])]
            .into_iter()
            .collect(),
    )
    .unwrap();
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::Detail));
    let s = f.screen(80, 24);
    let row = s.lines().find(|l| l.contains("Answer: the")).unwrap();
    assert!(row.contains("Ctrl-A"), "{row}");
    // The editor's page.
    f.state.active_mut().overlay = Some(state::Overlay::help(state::HelpPage::Editor));
    let s = f.screen(80, 24);
    assert!(s.contains("cancel the edit"), "{s}");
    assert!(s.contains("Ctrl-R") && s.contains("check and send"), "{s}");
}

/// The detail focused: the hint bar lists the detail's keys; a `jq:`
/// search is labelled jq, not text.
#[test]
fn the_hint_bar_follows_the_focus_and_names_a_jq_search() {
    let mut f = Fixture::streaming();
    f.state.active_mut().focus = Focus::Detail;
    let s = f.screen(80, 24);
    let hints = s.lines().last().unwrap().to_owned();
    assert!(hints.contains("j/k scroll"), "{hints}");
    assert!(hints.contains("g/G top/end"), "{hints}");
    assert!(hints.contains("v/V view"), "{hints}");
    f.state.active_mut().focus = Focus::List;
    f.state.active_mut().search.set_query("jq:.n");
    f.state.active_mut().overlay = Some(state::Overlay::Search);
    let s = f.screen(80, 24);
    let prompt = s.lines().last().unwrap().to_owned();
    assert!(prompt.contains(" jq"), "{prompt}");
    assert!(!prompt.contains(" text"), "{prompt}");
}

/// At 80 columns the view tabs show the view in use and its neighbours;
/// Alt-N picks a view.
#[test]
fn narrow_view_tabs_show_the_current_view_and_its_neighbours() {
    let mut f = Fixture::streaming();
    f.state.active_mut().detail = DetailMode::Checks;
    let s = f.screen(80, 24);
    assert!(s.contains("‹ Answer  Checks  Stats ›"), "{s}");
    // Stacked and wide: every view's tab.
    let s = f.screen(110, 30);
    for view in ["Content", "Raw", "Wire", "Answer", "Checks", "Stats"] {
        assert!(s.contains(&format!(" {view} ")), "{view}: {s}");
    }
}

/// Tabs show their name (a rename wins over the profile and the host and
/// path), and a background tab its new events and an error.
#[test]
fn tabs_show_their_names_and_background_badges() {
    let mut f = Fixture::streaming();
    let first = f.state.active_id();
    f.state.active_mut().name = Some("prices".into());
    f.state.open_tab(
        RequestSpec::get(Url::parse("https://other.example.com/v2/feed").unwrap()),
        ssetui::state::Session::title_for(
            &Url::parse("https://other.example.com/v2/feed").unwrap(),
        ),
    );
    // The first tab got events while the second was shown.
    let tab = f.state.tab_mut(first).unwrap();
    tab.seen_events = 1;
    tab.unseen_error = true;
    let s = f.screen(120, 30);
    let title = s.lines().next().unwrap().to_owned();
    insta::assert_snapshot!("tabs_badges_120x30", title);
    assert!(title.contains("1 prices ● +4 !"), "{title}");
    assert!(
        title.contains("2 other.example.com/v2"),
        "host and path: {title}"
    );
}

#[test]
fn an_event_that_breaks_the_tabs_schema_is_marked_its_errors_under_content_and_counted_in_checks() {
    use ssetui::insight::contract::{SchemaSource, Schemas, Target};
    let mut f = Fixture::open();
    let source = SchemaSource {
        event_type: None,
        target: Target::Data,
        file: "tick.json".into(),
        text: r#"{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}"#.into(),
    };
    let schemas = Schemas::compile(&[source]).unwrap();
    f.state.active_mut().contract.set(Some(schemas.into()));
    // The hostile value is the server's: it reaches the screen escaped.
    f.data(
        "data: {\"n\":1}\n\ndata: {\"n\":\"\u{202e}two\"}\n\ndata: {}\n\n".as_bytes(),
        0,
    );
    let s = f.screen(100, 30);
    let lines: Vec<&str> = s.lines().collect();
    let row = |seq: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!(" {seq} ")) && l.contains('{'))
            .copied()
            .unwrap_or_else(|| panic!("row {seq}: {s}"))
    };
    assert!(!row("1").contains('✗'), "{s}");
    assert!(row("2").contains('✗'), "{s}");
    // The last row is selected (following): its errors are under Content.
    assert!(s.contains("breaks its schema (1 error)"), "{s}");
    // The title says so too, the errors being below the data.
    assert!(s.contains("✗ 1 schema error"), "{s}");
    assert!(s.contains("required"), "{s}");
    // Select event 2: the pointer, the rule, the actual value escaped.
    f.state.active_mut().list.move_by(-1);
    let s = f.screen(100, 30);
    assert!(s.contains("/n  type"), "{s}");
    assert!(s.contains("actual"), "{s}");
    assert_no_raw_controls(f.terminal(100, 30).backend().buffer());
    f.state.active_mut().detail = DetailMode::Checks;
    let s = f.screen(100, 30);
    assert!(s.contains("2 of 3 events break it"), "{s}");
    assert!(s.contains("first: event 2, /n: type"), "{s}");
    // A new connection counts afresh.
    f.connect();
    f.connecting(None);
    let s = f.screen(100, 30);
    assert!(s.contains("no event checked yet"), "{s}");
}
