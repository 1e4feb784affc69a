//! The help overlay, a page per pane (the one that had the keys opens;
//! Tab turns the page): the list's page is the bindings of
//! `action::BINDINGS`, the detail's its own, each with the keys in force
//! from the keymap; the editor's, the pickers' and the search prompt's keys
//! are the fixed keys of their text fields, beside the bindable ones that
//! work there; and a page for the search syntax. Centred, in one column
//! when it fits the height and two otherwise.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Align, Context, fit};
use crate::action::{Action, BINDINGS};
use crate::keymap::{Key, Keymap};
use crate::state::HelpPage;

const MODEL: &str = "Letters type in a text field, Esc leaves it";
/// The title's end: how to turn the page and close (in the frame, so every
/// row inside is for a binding or the note).
const CLOSE: &str = "Tab: next page · other keys close";
/// Columns between the two halves.
const GUTTER: u16 = 3;

/// One row of the help before layout: the keys in force and what they do.
struct Entry {
    keys: String,
    what: &'static str,
}

/// Where a help row's keys come from.
enum Keys {
    /// The keys in force for a bindable action.
    Bound(Action),
    /// Keys fixed in a text field or picker, as written.
    Fixed(&'static str),
}

/// The list's page leaves out what only the detail pane uses (its own page
/// has them), so every row fits 80x24.
const DETAIL_ONLY: &[Action] = &[
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

/// An MCP tab's own keys (on their page, so the list's page fits 80x24).
const MCP_ONLY: &[Action] = &[
    Action::McpPanel,
    Action::JumpToLinked,
    Action::McpCancel,
    Action::McpProbe,
];

/// An MCP tab's page: its keys, the call panel's, the server's question's.
const MCP: &[(Keys, &str)] = &[
    (
        Keys::Bound(Action::McpPanel),
        "call panel: tools, resources, prompts",
    ),
    (
        Keys::Bound(Action::JumpToLinked),
        "a request ⇄ its response",
    ),
    (Keys::Bound(Action::McpCancel), "cancel the call in flight"),
    (
        Keys::Bound(Action::McpProbe),
        "probe the server (Checks view)",
    ),
    (
        Keys::Bound(Action::ResumeFromSelected),
        "GET the stream again from this event",
    ),
    (Keys::Bound(Action::Reconnect), "negotiate again"),
    (Keys::Fixed("panel: Tab"), "Tools / Resources / Prompts"),
    (Keys::Fixed("panel: / Enter"), "filter; open the arguments"),
    (Keys::Fixed("panel: Ctrl-S"), "call with the arguments"),
    (Keys::Fixed("panel: x r v"), "cancel; read again; last call"),
    (Keys::Fixed("panel: Esc"), "step back, then close"),
    (
        Keys::Fixed("asked: Ctrl-S"),
        "send your answer to the server",
    ),
    (Keys::Fixed("asked: Esc"), "decline (elicitation) or refuse"),
];

/// The detail pane's keys: scrolling its view, and picking the view.
const DETAIL: &[(Keys, &str)] = &[
    (Keys::Bound(Action::Down), "scroll down"),
    (Keys::Bound(Action::Up), "scroll up"),
    (Keys::Bound(Action::PageDown), "page down"),
    (Keys::Bound(Action::PageUp), "page up"),
    (Keys::Bound(Action::Top), "top of the view"),
    (Keys::Bound(Action::Bottom), "bottom of the view"),
    (Keys::Bound(Action::ToggleDetail), "next view"),
    (Keys::Bound(Action::PrevView), "previous view"),
    (Keys::Bound(Action::ViewContent), "Content: the data"),
    (Keys::Bound(Action::ViewRaw), "Raw: bytes as received"),
    (Keys::Bound(Action::ViewWire), "Wire: every byte from here"),
    (Keys::Bound(Action::ViewAnswer), "Answer: the LLM's text"),
    (Keys::Bound(Action::ViewChecks), "Checks: what is wrong"),
    (Keys::Bound(Action::ViewStats), "Stats: timing"),
    (
        Keys::Bound(Action::ToggleReasoning),
        "Answer: fold the reasoning",
    ),
    (
        Keys::Bound(Action::ToggleLineEndings),
        "line endings in Raw",
    ),
    (
        Keys::Bound(Action::CopyData),
        "copy: data; Raw bytes; Answer text",
    ),
    (Keys::Bound(Action::SaveEvent), "save the event as raw .sse"),
    (Keys::Bound(Action::FocusNext), "back to the list (Esc too)"),
    (Keys::Bound(Action::ToggleHelp), "this help"),
    (Keys::Bound(Action::Quit), "quit"),
];

/// The request editor's keys.
const EDITOR: &[(Keys, &str)] = &[
    (Keys::Fixed("j/k Tab"), "move between fields"),
    (Keys::Fixed("Enter/i"), "edit the field (letters type)"),
    (Keys::Fixed("Esc"), "leave the field; again: close"),
    (Keys::Fixed("Ctrl-C"), "cancel the edit (field restored)"),
    (Keys::Fixed("←/→ Home/End"), "move in the text"),
    (Keys::Fixed("Ctrl-←/→"), "move by word (Alt-b/f too)"),
    (Keys::Fixed("Ctrl-W/U/K"), "delete word / to start / to end"),
    (Keys::Fixed("Ctrl-Z/Ctrl-Y"), "undo / redo"),
    (Keys::Fixed("a / d"), "add / delete a query or header row"),
    (Keys::Fixed("Space"), "row on/off; next choice"),
    (Keys::Fixed("h/l"), "row name / value; choices"),
    (Keys::Fixed("r"), "reveal secrets"),
    (Keys::Fixed("v"), "the request as sent, secrets masked"),
    (Keys::Fixed("F / E"), "format the JSON body / $EDITOR"),
    (
        Keys::Bound(Action::ToggleConnect),
        "check and send (anywhere)",
    ),
    (
        Keys::Bound(Action::SaveProfile),
        "save the draft to the profile",
    ),
    (Keys::Bound(Action::RenameTab), "rename this tab"),
    (Keys::Bound(Action::ToggleHelp), "this help"),
];

/// The profile and demo pickers' keys.
const PICKER: &[(Keys, &str)] = &[
    (Keys::Fixed("letters"), "filter (profiles, history)"),
    (Keys::Fixed("↑/↓ Ctrl-P/N"), "move (j/k in the demo picker)"),
    (Keys::Fixed("Enter"), "open the one selected"),
    (Keys::Fixed("Ctrl-S"), "save this tab's request as…"),
    (Keys::Fixed("Ctrl-O"), "overwrite the selected"),
    (Keys::Fixed("Ctrl-E"), "rename the selected"),
    (Keys::Fixed("Ctrl-D"), "delete the selected"),
    (Keys::Fixed("y / n"), "answer a question"),
    (Keys::Fixed("Esc, Ctrl-C"), "close"),
];

/// The search prompt's keys.
const SEARCH: &[(Keys, &str)] = &[
    (Keys::Fixed("letters"), "type the query (Tab: syntax)"),
    (Keys::Fixed("Enter"), "keep it; n/N step through"),
    (Keys::Fixed("Esc, Ctrl-C"), "clear it"),
    (Keys::Fixed("Ctrl-T"), "text / regular expression"),
    (Keys::Fixed("←/→ Home/End"), "move in the query"),
    (
        Keys::Bound(Action::ToggleFilter),
        "after Enter: only matches",
    ),
    (Keys::Bound(Action::NextMatch), "after Enter: next match"),
    (Keys::Bound(Action::PrevMatch), "after Enter: previous"),
];

/// What a query may say.
const SYNTAX: &[(Keys, &str)] = &[
    (
        Keys::Fixed("text"),
        "type, id or data holding it; any case unless it has capitals",
    ),
    (
        Keys::Fixed("type:NAME"),
        "events of that type (event:NAME too); several: any of them",
    ),
    (Keys::Fixed("type:!NAME"), "leaves out events of that type"),
    (Keys::Fixed("type:A text"), "type and text together"),
    (
        Keys::Fixed("/pattern/"),
        "a regular expression (Ctrl-T while typing too)",
    ),
    (
        Keys::Fixed("jq:EXPR"),
        "a jq expression on the JSON data: matches where it holds,",
    ),
    (
        Keys::Fixed(""),
        "and the list shows its value in place of the data",
    ),
    (Keys::Fixed("jq:.n > 5"), "events whose n is over 5"),
    (
        Keys::Fixed("jq:.choices[0].delta.content"),
        "just the tokens (F: only those rows)",
    ),
    (
        Keys::Fixed("jq:select(…) | .x"),
        "filter on one thing, show another",
    ),
];

pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap, page: HelpPage, theme: &Theme) {
    let max_w = area.width.saturating_sub(4).min(110);
    let max_h = area.height.saturating_sub(2);
    if max_w < 20 || max_h < 5 {
        return;
    }
    let inner_w = max_w - 2;
    // A line of notes under the bindings (no blank line: at 80x24 every
    // row counts).
    let room_h = (max_h - 2).saturating_sub(1) as usize;
    let all = page_entries(keymap, page);
    let model = model_note(keymap);
    let one = entries(&all, inner_w - 1, Fold::Wrap, theme);
    let (columns, width) = if one.len() <= room_h {
        let width = one
            .iter()
            .map(Line::width)
            .max()
            .unwrap_or(0)
            .max(text::str_width(&model)) as u16;
        (vec![one], width + 4)
    } else {
        let col_w = (inner_w - 1 - GUTTER) / 2;
        let (mut left, mut right) = halves(&all, col_w, Fold::Wrap, theme);
        if left.len().max(right.len()) > room_h {
            // Long keys leave too little room: one line each, cut, so every
            // key stays on screen.
            (left, right) = halves(&all, col_w, Fold::Cut, theme);
        }
        (vec![left, right], inner_w + 2)
    };
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    // The note's own row, unless the bindings need it: the note then sits
    // on the frame's bottom edge, as the title sits on its top.
    let note_row = u16::from(usize::from(rows) <= room_h);
    let height = (rows + 2 + note_row).min(max_h);
    let rect = area.centered(
        Constraint::Length(width.min(max_w)),
        Constraint::Length(height),
    );
    let title = format!("Help · {} · {CLOSE}", page.title());
    let inner = super::overlay(frame, rect, &title, theme);
    if inner.width < 2 || inner.height == 0 {
        return;
    }
    let body_h = inner.height.saturating_sub(note_row).min(rows);
    let count = columns.len() as u16;
    let col_w = (inner.width - 1).saturating_sub(GUTTER * (count - 1)) / count;
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + 1 + i as u16 * (col_w + GUTTER);
        let col = Rect::new(x, inner.y, col_w, body_h).intersection(inner);
        frame.render_widget(Paragraph::new(column), col);
    }
    if note_row == 1 {
        let notes = vec![Line::styled(
            text::ellipsize(&model, inner.width as usize - 1).into_owned(),
            theme.dim,
        )];
        let notes_area =
            Rect::new(inner.x + 1, inner.y + body_h, inner.width - 1, 1).intersection(inner);
        frame.render_widget(Paragraph::new(notes), notes_area);
    } else {
        let room = rect.width.saturating_sub(4);
        let note = format!(
            " {} ",
            text::ellipsize(&model, usize::from(room).saturating_sub(2))
        );
        let edge = Rect::new(rect.x + 2, rect.bottom().saturating_sub(1), room, 1);
        let width = (text::str_width(&note) as u16).min(room);
        frame.render_widget(
            Paragraph::new(Line::styled(note, theme.dim)),
            Rect::new(edge.x, edge.y, width, 1).intersection(area),
        );
    }
}

/// The rows of one page with the keys in force, made safe to draw (they come
/// from the user's config).
fn page_entries(keymap: &Keymap, page: HelpPage) -> Vec<Entry> {
    let rows: Vec<(Keys, &'static str)> = match page {
        HelpPage::List => BINDINGS
            .iter()
            .filter(|(_, action, _)| !DETAIL_ONLY.contains(action) && !MCP_ONLY.contains(action))
            .map(|(_, action, what)| (Keys::Bound(*action), *what))
            .collect(),
        HelpPage::Detail => copy_rows(DETAIL),
        HelpPage::Editor => copy_rows(EDITOR),
        HelpPage::Picker => copy_rows(PICKER),
        HelpPage::Search => copy_rows(SEARCH),
        HelpPage::SearchSyntax => copy_rows(SYNTAX),
        HelpPage::Mcp => copy_rows(MCP),
    };
    rows.into_iter()
        .map(|(keys, what)| {
            let keys = match keys {
                Keys::Bound(Action::GoToTab(_)) => "1-9".to_owned(),
                Keys::Bound(action) => keymap.keys(action).join("/"),
                Keys::Fixed(keys) => {
                    return Entry {
                        keys: keys.to_owned(),
                        what,
                    };
                }
            };
            let keys = if keys.is_empty() {
                "none".to_owned()
            } else {
                keys
            };
            Entry {
                keys: text::escape(&keys, Context::Raw).into_owned(),
                what,
            }
        })
        .collect()
}

fn copy_rows(rows: &[(Keys, &'static str)]) -> Vec<(Keys, &'static str)> {
    rows.iter()
        .map(|(keys, what)| {
            let keys = match keys {
                Keys::Bound(action) => Keys::Bound(*action),
                Keys::Fixed(text) => Keys::Fixed(text),
            };
            (keys, *what)
        })
        .collect()
}

/// How text fields take keys, naming the connect key that works in them
/// too: the first one that is not a plain character (which would type).
fn model_note(keymap: &Keymap) -> String {
    let typed = |key: &&Key| {
        matches!(key.code(), ratatui::crossterm::event::KeyCode::Char(_))
            && key.modifiers().is_empty()
    };
    match keymap
        .bound(Action::ToggleConnect)
        .iter()
        .find(|key| !typed(key))
    {
        Some(key) => {
            let key = text::escape(&key.to_string(), Context::Raw).into_owned();
            format!("{MODEL}; {key} connects anywhere.")
        }
        None => format!("{MODEL}."),
    }
}

/// The rows split into two columns of `width`, at the entry that makes the
/// taller column shortest (each column sizes its own key column, so one long
/// key does not squeeze every description).
fn halves(
    all: &[Entry],
    width: u16,
    fold: Fold,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let mut best: Option<(Vec<Line<'static>>, Vec<Line<'static>>)> = None;
    for at in (1..all.len()).rev() {
        let left = entries(&all[..at], width, fold, theme);
        let right = entries(&all[at..], width, fold, theme);
        let taller = left.len().max(right.len());
        if best
            .as_ref()
            .is_none_or(|(l, r)| taller < l.len().max(r.len()))
        {
            best = Some((left, right));
        }
    }
    best.unwrap_or_else(|| (entries(all, width, fold, theme), Vec::new()))
}

/// What a description longer than its room does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// Continue on lines of its own under itself.
    Wrap,
    /// Stay on one line, cut with `…`.
    Cut,
}

/// Lines for some entries in `width` columns: the keys, then the description
/// word-wrapped under itself or cut.
fn entries(all: &[Entry], width: u16, fold: Fold, theme: &Theme) -> Vec<Line<'static>> {
    let key_w = all
        .iter()
        .map(|entry| text::str_width(&entry.keys))
        .max()
        .unwrap_or(0)
        .min(width as usize / 2);
    let desc_w = (width as usize).saturating_sub(key_w + 2).max(8);
    let mut lines = Vec::new();
    for entry in all {
        let parts = match fold {
            Fold::Wrap => word_wrap(entry.what, desc_w),
            Fold::Cut => vec![text::ellipsize(entry.what, desc_w).into_owned()],
        };
        for (i, part) in parts.into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(fit(&entry.keys, key_w, Align::Left), theme.key)
            } else {
                Span::raw(" ".repeat(key_w))
            };
            lines.push(Line::from(vec![lead, Span::raw("  "), Span::raw(part)]));
        }
    }
    lines
}

/// Splits `s` at spaces into lines of at most `width` columns (a longer word is cut).
fn word_wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let needed = if line.is_empty() { 0 } else { 1 } + text::str_width(word);
        if !line.is_empty() && text::str_width(&line) + needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&text::ellipsize(word, width));
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_wrap_breaks_at_spaces() {
        assert_eq!(
            word_wrap("resume from the selected event", 12),
            ["resume from", "the selected", "event"]
        );
        assert_eq!(word_wrap("short", 12), ["short"]);
    }
}
