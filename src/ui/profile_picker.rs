//! The profile picker overlay: a filter line, the matching profiles (matched
//! letters highlighted), and the line for a name or a confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Context};
use crate::state::profile_picker::{PickerMode, ProfilePicker};

const KEYS: &str = "Enter open · ^S save new · ^O overwrite · ^E rename · ^D delete · Esc";

pub fn render(frame: &mut Frame, area: Rect, picker: &ProfilePicker, theme: &Theme) {
    let Some(inner) = super::picker_box(
        frame,
        area,
        "Profiles",
        (100, picker.profiles.len(), 14),
        theme,
    ) else {
        return;
    };
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::state::ProfileSummary;

    fn screen(picker: &ProfilePicker, theme: &Theme) -> (Vec<String>, Terminal<TestBackend>) {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| render(f, f.area(), picker, theme))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        let lines = (0..24)
            .map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect())
            .collect();
        (lines, terminal)
    }

    fn picker() -> ProfilePicker {
        let summary = |name: &str, description: &str| ProfileSummary {
            name: name.into(),
            method: "GET".into(),
            url: format!("https://{name}.example/s"),
            description: description.into(),
        };
        ProfilePicker::new(vec![
            summary("prod-chat", "production"),
            summary("local\u{1b}[31m", ""),
        ])
    }

    #[test]
    fn the_list_the_selection_and_the_keys_show_at_80x24() {
        let theme = Theme::new(true);
        let p = picker();
        let (lines, terminal) = screen(&p, &theme);
        let text = lines.join("\n");
        assert!(text.contains("Profiles"), "{text}");
        assert!(
            text.contains("GET https://prod-chat.example/s · production"),
            "{text}"
        );
        assert!(
            text.contains("local␛[31m"),
            "control characters shown: {text}"
        );
        assert!(text.contains("^D delete · Esc"), "the keys fit: {text}");
        let y = lines.iter().position(|l| l.contains("prod-chat")).unwrap() as u16;
        let x = lines[y as usize].find("prod-chat").unwrap() as u16;
        let cell = &terminal.backend().buffer()[(x, y)];
        assert_eq!(cell.bg, theme.selected.bg.unwrap(), "the first is selected");
    }

    #[test]
    fn naming_and_confirming_replace_the_filter_line() {
        let theme = Theme::new(false);
        let mut p = picker();
        p.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        let (lines, _) = screen(&p, &theme);
        assert!(lines.join("\n").contains("Save the current request as: ▏"));
        p.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let (lines, _) = screen(&p, &theme);
        assert!(
            lines.join("\n").contains("a profile needs a name"),
            "the error shows"
        );
        p.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        p.handle_key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
        let (lines, _) = screen(&p, &theme);
        assert!(
            lines
                .join("\n")
                .contains("Delete the profile \"prod-chat\"? y deletes")
        );
    }

    #[test]
    fn tiny_areas_draw_nothing_and_never_panic() {
        let theme = Theme::new(true);
        let p = picker();
        for (w, h) in [(0, 0), (10, 3), (25, 7), (40, 10)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| render(f, f.area(), &p, &theme)).unwrap();
        }
    }
}
