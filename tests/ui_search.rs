//! Renders of the search: matches highlighted in the event list, and the
//! prompt with its mode, types and a regex's error. States are built as in
//! `ui_render.rs`: real bytes through the real parser into the real `update`.

use std::time::{Duration, Instant, UNIX_EPOCH};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use reqwest::Url;
use ssetui::message::Msg;
use ssetui::sse::{
    Chunk, ConnMsg, Numbering, Parser, ParserConfig, RequestSpec, ResponseInfo, SentRequest,
};
use ssetui::state::{self, AppState, DetailMode, RowKind};
use ssetui::ui::{self, Theme};

/// An open connection fed through `update`, at fixed receive times.
struct Fixture {
    state: AppState,
    parser: Parser,
    offset: u64,
    seq: u64,
    clock_ms: u64,
}

impl Fixture {
    fn open() -> Self {
        let spec = RequestSpec::get(Url::parse("http://127.0.0.1:8900/feed").unwrap());
        let mut f = Self {
            state: AppState::new(spec, "search".into()),
            parser: Parser::new(ParserConfig::default()),
            offset: 0,
            seq: 0,
            clock_ms: 0,
        };
        // Drawn at a settled time: no stall flag wanted.
        f.state.stall_after = Duration::from_secs(3600);
        state::connect(&mut f.state);
        let request = SentRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:8900/feed".into(),
            headers: Vec::new(),
            body_len: None,
            last_event_id: None,
        };
        f.send(ConnMsg::Connecting {
            attempt: 1,
            request,
        });
        let response = ResponseInfo {
            status: 200,
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "text/event-stream".into())],
            redirects: Vec::new(),
            final_url: "http://127.0.0.1:8900/feed".into(),
            time_to_first_byte: Duration::from_millis(5),
        };
        f.send(ConnMsg::Opened {
            attempt: 1,
            response,
        });
        f
    }

    /// The stream every test searches: types, ids, JSON and multi-line data.
    fn streaming() -> Self {
        let mut f = Self::open();
        f.data(b"event: log\nid: a1\ndata: disk full on /dev/sda1\n\n");
        f.data(b"event: price\nid: p2\ndata: {\"symbol\":\"DISK\",\"price\":7}\n\n");
        f.data(b"data: nothing to see\n\n");
        f.data(b"event: chat\nid: c3\ndata: line one\ndata: line two\n\n");
        f.data(b"event: log\nid: a4\ndata: Disk quota 90%\n\n");
        f
    }

    fn send(&mut self, msg: ConnMsg) {
        let id = self.state.active().conn_id.unwrap();
        state::update(&mut self.state, Msg::Conn { id, msg });
    }

    /// One read of `bytes`, 10 ms after the previous one.
    fn data(&mut self, bytes: &[u8]) {
        self.clock_ms += 10;
        let mut items = Vec::new();
        let mut numbered = Numbering {
            items: &mut items,
            seq: &mut self.seq,
        };
        self.parser.feed(bytes, &mut numbered).unwrap();
        let chunk = Chunk {
            attempt: 1,
            offset: self.offset,
            bytes: Bytes::copy_from_slice(bytes),
            received_at: UNIX_EPOCH + Duration::from_secs(1_790_000_000) + ms(self.clock_ms),
            items,
            facts: None,
        };
        self.offset += bytes.len() as u64;
        self.send(ConnMsg::Data(chunk));
    }

    /// A query typed and kept (Enter), as the search leaves it.
    fn search(&mut self, query: &str) {
        self.state.active_mut().search.set_query(query);
        self.state.active_mut().overlay = None;
    }

    /// A query being typed.
    fn typing(&mut self, query: &str) {
        self.state.active_mut().search.set_query(query);
        self.state.active_mut().overlay = Some(state::Overlay::Search);
    }

    /// The screen at a `now` that makes the counters stable: one second
    /// after the last event (the rate counts the last three seconds), 83 s
    /// after the connection opened.
    fn draw(&mut self, theme: &Theme, width: u16, height: u16) -> Terminal<TestBackend> {
        let at = Instant::now();
        let stats = &self.state.active().insight.stats;
        let now = at - stats.since_last_event(at).unwrap_or_default() + Duration::from_secs(1);
        if self.state.active().conn.opened_at.is_some() {
            self.state.active_mut().conn.opened_at = Some(now - Duration::from_secs(83));
        }
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| {
                ui::draw(f, &self.state, theme, &mut ui::ContentCache::default(), now);
            })
            .unwrap();
        terminal
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn color() -> Theme {
    Theme::new(true)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The cells of the first place `needle` is on screen (one cell a character,
/// so only for text without wide characters).
fn cells_of<'a>(buffer: &'a Buffer, needle: &str) -> Vec<&'a Cell> {
    find(buffer, needle, 0).unwrap_or_else(|| panic!("{needle:?} not on screen"))
}

/// The cells of `needle` on screen row `y` or below.
fn find<'a>(buffer: &'a Buffer, needle: &str, from_y: u16) -> Option<Vec<&'a Cell>> {
    let n = needle.chars().count();
    for y in from_y..buffer.area.height {
        let row: Vec<&Cell> = (0..buffer.area.width).map(|x| &buffer[(x, y)]).collect();
        for x in 0..=row.len().saturating_sub(n) {
            let text: String = row[x..x + n].iter().map(|c| c.symbol()).collect();
            if text == needle {
                return Some(row[x..x + n].to_vec());
            }
        }
    }
    None
}

/// The screen line holding `needle`.
fn line_with(terminal: &Terminal<TestBackend>, needle: &str) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen"))
}

fn is_hit(cell: &Cell) -> bool {
    cell.modifier.contains(Modifier::REVERSED) && cell.fg == Color::Yellow
}

fn assert_all_hit(cells: &[&Cell], what: &str) {
    for cell in cells {
        assert!(
            is_hit(cell),
            "{what}: {:?} is not highlighted: {cell:?}",
            cell.symbol()
        );
    }
}

fn assert_none_hit(cells: &[&Cell], what: &str) {
    for cell in cells {
        assert!(
            !is_hit(cell),
            "{what}: {:?} is highlighted: {cell:?}",
            cell.symbol()
        );
    }
}

#[test]
fn text_matches_are_highlighted_in_the_preview_the_type_and_the_id() {
    let mut f = Fixture::streaming();
    f.search("disk");
    // Not the newest event: the selection's own style is tested apart.
    f.state.active_mut().select(0);
    let terminal = f.draw(&color(), 80, 24);
    insta::assert_snapshot!("text_highlight_80x24", terminal.backend());
    let buffer = terminal.backend().buffer();
    // Smart case: lower-case text ignores case.
    let first = cells_of(buffer, "disk full on");
    assert_all_hit(&first[..4], "`disk` in the first event");
    assert_none_hit(&first[4..], "the rest of the data");
    let json = cells_of(buffer, "\"DISK\"");
    assert_all_hit(&json[1..5], "upper-case DISK");
    assert_none_hit(&[json[0], json[5]], "the quotes around it");
    assert_all_hit(&cells_of(buffer, "Disk quota")[..4], "Disk");
    assert_none_hit(
        &cells_of(buffer, "nothing to see"),
        "a row that does not match",
    );

    // The type and id cells too, and only where the text is.
    f.search("a4");
    let terminal = f.draw(&color(), 80, 24);
    let buffer = terminal.backend().buffer();
    let id_line = line_with(&terminal, "Disk quota");
    assert!(id_line.contains(" a4 "), "{id_line}");
    let y = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains("Disk quota")
        })
        .unwrap();
    assert_all_hit(&find(buffer, "a4", y).unwrap(), "the id");
    assert_none_hit(&find(buffer, "a1", 0).unwrap(), "another id");

    f.search("pri");
    let terminal = f.draw(&color(), 80, 24);
    let price = cells_of(terminal.backend().buffer(), "price ");
    assert_all_hit(&price[..3], "the type");
    assert_none_hit(&price[3..], "the rest of the type");
}

#[test]
fn an_upper_case_letter_highlights_only_that_case() {
    let mut f = Fixture::streaming();
    f.search("Disk");
    let terminal = f.draw(&color(), 80, 24);
    let buffer = terminal.backend().buffer();
    assert_all_hit(&cells_of(buffer, "Disk")[..4], "Disk");
    assert_none_hit(&cells_of(buffer, "disk full"), "lower-case disk");
    assert_none_hit(&cells_of(buffer, "DISK"), "upper-case DISK");
}

#[test]
fn a_regex_highlights_across_a_newline_in_the_preview() {
    let mut f = Fixture::streaming();
    f.search(r"/one\nl/");
    let terminal = f.draw(&color(), 80, 24);
    let buffer = terminal.backend().buffer();
    // The preview shows the newline as `⏎`; the match covers it.
    let cells = cells_of(buffer, "line one⏎line two");
    assert_none_hit(&cells[..5], "before the match");
    assert_all_hit(&cells[5..10], "one⏎l");
    assert_none_hit(&cells[10..], "after the match");
    assert_none_hit(&cells_of(buffer, "disk full"), "no match there");
}

#[test]
fn a_type_word_restricts_the_highlight_to_that_type() {
    let mut f = Fixture::streaming();
    f.search("type:log disk");
    let terminal = f.draw(&color(), 80, 24);
    let buffer = terminal.backend().buffer();
    assert_all_hit(&cells_of(buffer, "disk")[..4], "a log event");
    assert_none_hit(
        &cells_of(buffer, "DISK"),
        "a price event is not matched at all",
    );
    assert!(
        line_with(&terminal, "type:log disk").contains("/type:log disk"),
        "the summary shows the query"
    );
}

#[test]
fn the_selected_row_keeps_its_highlight() {
    let mut f = Fixture::streaming();
    f.search("quota");
    // Following: the newest event, the one that matches, is selected.
    assert_eq!(
        f.state.active().list.selected(),
        Some(f.state.active().list.len() - 1)
    );
    let terminal = f.draw(&color(), 80, 24);
    let cells = cells_of(terminal.backend().buffer(), "quota");
    for cell in &cells {
        assert!(is_hit(cell), "{cell:?}");
        assert_eq!(
            cell.bg,
            Color::DarkGray,
            "the selection's background, reversed: {cell:?}"
        );
    }
    // Without colour the highlight is reversed, bold and underlined.
    let terminal = f.draw(&Theme::new(false), 80, 24);
    for cell in cells_of(terminal.backend().buffer(), "quota") {
        assert!(
            cell.modifier
                .contains(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
            "{cell:?}"
        );
    }
}

#[test]
fn the_prompt_shows_the_mode_the_types_and_the_cursor() {
    let mut f = Fixture::streaming();
    f.typing("type:log type:!chat Disk");
    let terminal = f.draw(&color(), 80, 24);
    insta::assert_snapshot!("prompt_text_80x24", terminal.backend());
    let prompt = line_with(&terminal, "/type:log");
    assert!(prompt.contains("Disk▏  text, match case"), "{prompt}");
    assert!(prompt.contains("type: log, !chat"), "{prompt}");
    assert!(!prompt.contains("Enter"), "the keys go first: {prompt}");
    let terminal = f.draw(&color(), 160, 48);
    let prompt = line_with(&terminal, "/type:log");
    assert!(
        prompt.contains("!chat  Enter keeps it · Esc clears · ^T regex"),
        "{prompt}"
    );

    // The cursor where it was moved to.
    f.typing("abcd");
    for _ in 0..2 {
        f.state
            .active_mut()
            .search
            .edit(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
    }
    let terminal = f.draw(&color(), 80, 24);
    assert!(line_with(&terminal, "/ab").contains("/ab▏cd  text"));
}

#[test]
fn an_invalid_regex_is_shown_as_an_error_in_the_prompt() {
    let mut f = Fixture::streaming();
    f.typing("disk (full");
    assert_eq!(
        f.state.active_mut().search.edit(ctrl('t')),
        state::search::SearchEdit::Changed
    );
    let terminal = f.draw(&color(), 80, 24);
    insta::assert_snapshot!("prompt_regex_error_80x24", terminal.backend());
    let buffer = terminal.backend().buffer();
    let error = cells_of(buffer, "invalid regex: unclosed group");
    for cell in &error {
        assert_eq!(cell.fg, Color::Red, "the error style: {cell:?}");
    }
    let prompt = line_with(&terminal, "/disk (full");
    assert!(prompt.contains("(full▏  regex"), "{prompt}");
    // Nothing matches meanwhile: no highlight, no marker.
    assert_none_hit(&cells_of(buffer, "disk full"), "no match while invalid");

    // After Enter the summary says the query is invalid.
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    state::update(
        &mut f.state,
        Msg::Input(ratatui::crossterm::event::Event::Key(enter)),
    );
    let terminal = f.draw(&color(), 80, 24);
    let summary = line_with(&terminal, "/disk (full");
    assert!(summary.contains("/disk (full invalid"), "{summary}");
}

#[test]
fn a_long_query_keeps_the_cursor_in_view() {
    // Narrower prompts are unit tests in `status_bar.rs`: below 80x24 the
    // screen only says it is too small.
    let mut f = Fixture::streaming();
    let long = format!("{}END", "x".repeat(300));
    f.typing(&long);
    for width in [80, 160] {
        let terminal = f.draw(&color(), width, 24);
        let prompt = line_with(&terminal, "END▏");
        assert!(prompt.starts_with(" /…xxx"), "{width}: {prompt}");
        assert!(prompt.contains("END▏  text"), "{width}: {prompt}");
    }
    // With the cursor at the start, the start shows and the rest is cut.
    f.state
        .active_mut()
        .search
        .edit(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
    let terminal = f.draw(&color(), 80, 24);
    let prompt = line_with(&terminal, "/▏xxx");
    assert!(prompt.contains("x…  text"), "{prompt}");
}

#[test]
fn matches_are_marked_in_the_detail_in_content_and_raw() {
    let mut f = Fixture::streaming();
    f.search("price");
    // Select the price event (the second) so the detail shows it, pretty-printed.
    let pos = (0..f.state.active().list.len())
        .find(|&p| {
            f.state
                .active()
                .visible_row(p)
                .is_some_and(|r| matches!(&r.kind, RowKind::Event { seq: 2, .. }))
        })
        .unwrap();
    f.state.active_mut().select(pos);
    let terminal = f.draw(&color(), 160, 40);
    let buffer = terminal.backend().buffer();
    // The list's preview line comes first; the pretty JSON's key line is below it.
    let key_line = (0..buffer.area.height)
        .find(|&y| line_with_y(buffer, y).contains("\"price\": 7"))
        .expect("the pretty JSON in the detail");
    let cells = find(buffer, "price", key_line).unwrap();
    assert_all_hit(&cells, "the key in Content");
    let number = find(buffer, "7", key_line).unwrap();
    assert_none_hit(&number, "the value");

    f.state.active_mut().detail = DetailMode::Raw;
    let terminal = f.draw(&color(), 160, 40);
    let buffer = terminal.backend().buffer();
    let raw_line = (0..buffer.area.height)
        .find(|&y| line_with_y(buffer, y).contains("event: price"))
        .expect("the raw event line");
    assert_all_hit(&find(buffer, "price", raw_line).unwrap(), "the Raw view");
    assert_none_hit(&find(buffer, "event", raw_line).unwrap(), "the field name");
}

fn line_with_y(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

#[test]
fn a_jq_query_filters_json_events_and_shows_its_value_as_the_column() {
    let mut f = Fixture::open();
    f.data(b"data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n");
    f.data(b"data: {\"choices\":[{\"delta\":{}}]}\n\n");
    f.data(b"data: plain text\n\n");
    f.data(b"data: {\"choices\":[{\"delta\":{\"content\":\"lo!\"}}]}\n\n");
    f.search("jq:.choices[0].delta.content");
    // F filters, as the app does it: through update.
    state::update(
        &mut f.state,
        Msg::Input(ratatui::crossterm::event::Event::Key(KeyEvent::new(
            KeyCode::Char('F'),
            KeyModifiers::NONE,
        ))),
    );
    let events: Vec<String> = (0..f.state.active().list.len())
        .filter_map(|p| match f.state.active().visible_row(p)?.kind {
            RowKind::Event { event, .. } => Some(event.data.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    let terminal = f.draw(&color(), 160, 40);
    let header = line_with(&terminal, "size");
    assert!(header.contains(".choices[0].delta.content"), "{header}");
    for value in ["Hel", "lo!"] {
        let line = line_with(&terminal, value);
        // The list's part of the line; the detail pane beside it shows the JSON.
        let row = line.split("││").next().unwrap_or_default();
        assert!(
            row.contains(value) && !row.contains("choices"),
            "the value replaces the data: {row}"
        );
    }
}

#[test]
fn an_invalid_jq_query_is_an_error_that_matches_nothing() {
    let mut f = Fixture::streaming();
    f.search("jq:.a ==");
    assert!(f.state.active().search.error().unwrap().starts_with("jq: "));
    assert!(f.state.active().search.jq().is_none());
}

#[test]
fn a_jq_filter_over_many_rows_lists_them_a_slice_per_tick_and_shows_how_far_it_got() {
    let mut f = Fixture::open();
    let total = ssetui::state::list_view::RELIST_SLICE_ROWS * 2 + 10;
    let body: String = (0..total)
        .map(|n| format!("data: {{\"n\":{n}}}\n\n"))
        .collect();
    f.data(body.as_bytes());
    f.search("jq:.n % 2 == 0");
    f.state.active_mut().set_filter(true);
    assert!(f.state.is_relisting(), "one slice listed, the rest to come");
    let terminal = f.draw(&color(), 120, 30);
    let title = line_with(&terminal, "filtering");
    assert!(title.contains("filtering 49%"), "{title}");
    // Each tick lists a slice; the last leaves the list as complete.
    let mut ticks = 0;
    while f.state.is_relisting() {
        state::update(&mut f.state, Msg::Tick(Instant::now()));
        ticks += 1;
    }
    assert_eq!(ticks, 2);
    assert_eq!(f.state.active().list.len() as u64, total.div_ceil(2));
    let terminal = f.draw(&color(), 120, 30);
    let title = line_with(&terminal, "Events");
    assert!(!title.contains("filtering"), "{title}");
}
