//! The profile picker overlay: a filter line, the matching profiles (matched
//! letters highlighted), and the line for a name or a confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Context};
use crate::state::profile_picker::{PickerMode, ProfilePicker};

const KEYS: &str = "Enter open · ^S save new · ^O overwrite · ^E rename · ^D delete · Esc";

pub fn render(frame: &mut Frame, area: Rect, picker: &ProfilePicker, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(100);
    // Prompt, blank, the list (at least a few lines), blank, keys; framed.
    let wanted = picker.profiles.len().clamp(3, 14) as u16 + 6;
    let height = area.height.saturating_sub(4).min(wanted);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 20 || rect.height < 6 {
        return;
    }
    let inner = super::overlay(frame, rect, "Profiles", theme);
    let w = inner.width as usize;
    let mut lines = vec![prompt_line(picker, w, theme), Line::raw("")];
    let list_rows = (inner.height as usize).saturating_sub(4);
    let matches = picker.matches();
    if picker.profiles.is_empty() {
        lines.push(Line::styled(
            " no profiles yet: Ctrl-S saves the current request as one",
            theme.dim,
        ));
    } else if matches.is_empty() {
        lines.push(Line::styled(" no profile matches", theme.dim));
    }
    let start = picker.selected.saturating_sub(list_rows.saturating_sub(1));
    let name_w = picker
        .profiles
        .iter()
        .map(|p| text::str_width(&p.name))
        .max()
        .unwrap_or(0)
        .min(w / 3);
    for (pos, m) in matches.iter().enumerate().skip(start).take(list_rows) {
        let profile = &picker.profiles[m.index];
        let mut spans = vec![Span::raw(" ")];
        let name = text::escape(&profile.name, Context::Raw);
        let (name, name_used) = text::truncate(&name, name_w);
        for (i, c) in name.chars().enumerate() {
            let style = if m.positions.contains(&i) {
                theme
                    .accent
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            } else {
                theme.title
            };
            spans.push(Span::styled(c.to_string(), style));
        }
        spans.push(Span::raw(" ".repeat(name_w - name_used + 2)));
        let rest = format!("{} {}", profile.method, profile.url);
        let rest = if profile.description.is_empty() {
            rest
        } else {
            format!("{rest} · {}", profile.description)
        };
        let room = w.saturating_sub(name_w + 3);
        let rest = text::escape(&rest, Context::Raw);
        spans.push(Span::styled(
            text::ellipsize(&rest, room).into_owned(),
            theme.dim,
        ));
        let line = Line::from(spans);
        lines.push(if pos == picker.selected {
            line.style(theme.selected)
        } else {
            line
        });
    }
    let footer_y = inner.y + inner.height.saturating_sub(1);
    frame.render_widget(Paragraph::new(lines), inner);
    let footer = match &picker.error {
        Some(error) => Line::styled(
            format!(
                " {}",
                text::ellipsize(&text::escape(error, Context::Raw), w - 1)
            ),
            theme.error,
        ),
        None => Line::styled(format!(" {}", text::ellipsize(KEYS, w - 1)), theme.dim),
    };
    frame.render_widget(footer, Rect::new(inner.x, footer_y, inner.width, 1));
}

/// The first line: the filter, the name being typed, or the question asked.
fn prompt_line(picker: &ProfilePicker, width: usize, theme: &Theme) -> Line<'static> {
    let (label, text) = match &picker.mode {
        PickerMode::Filter => ("> ", picker.filter.text()),
        PickerMode::Naming {
            rename_from: Some(_),
            input,
        } => ("New name: ", input.text()),
        PickerMode::Naming { input, .. } => ("Save the current request as: ", input.text()),
        PickerMode::Confirm { name, delete } => {
            let question = if *delete {
                format!("Delete the profile {name:?}? y deletes, any other key keeps it")
            } else {
                format!("Overwrite {name:?} with the current request? y overwrites")
            };
            let shown = text::escape(&question, Context::Raw);
            return Line::styled(
                format!(" {}", text::ellipsize(&shown, width.saturating_sub(1))),
                theme.warn,
            );
        }
    };
    let room = width.saturating_sub(label.len() + 3);
    // The end of a long entry stays in view: that is where the cursor is.
    let shown: Vec<char> = text::escape(text, Context::Raw).chars().collect();
    let mut start = 0;
    while start < shown.len()
        && shown[start..]
            .iter()
            .map(|c| text::char_width(*c))
            .sum::<usize>()
            > room
    {
        start += 1;
    }
    let tail: String = shown[start..].iter().collect();
    let spans = vec![
        Span::raw(" "),
        Span::styled(label, theme.key),
        Span::raw(tail),
        Span::styled("▏", theme.accent),
    ];
    Line::from(spans)
}
