//! The environment picker (`E`): the config's `[environments.NAME]` by
//! name, the tab's current one selected. Choosing one fills the tab's
//! `{{name}}` placeholders from it (`update::environments`).

/// The names offered and the row selected (open: `Overlay::Environments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentPicker {
    pub names: Vec<String>,
    pub selected: usize,
}

impl EnvironmentPicker {
    /// `names` with `current` selected (else the first).
    pub fn new(names: Vec<String>, current: Option<&str>) -> Self {
        let selected = current
            .and_then(|c| names.iter().position(|n| n == c))
            .unwrap_or(0);
        Self { names, selected }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.names.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The name selected, if there is one.
    pub fn chosen(&self) -> Option<&str> {
        self.names.get(self.selected).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_environment_is_selected_and_moves_stay_in_the_list() {
        let names = vec!["dev".to_owned(), "prod".to_owned(), "staging".to_owned()];
        let mut picker = EnvironmentPicker::new(names.clone(), Some("prod"));
        assert_eq!(picker.chosen(), Some("prod"));
        picker.move_by(5);
        assert_eq!(picker.chosen(), Some("staging"));
        picker.move_by(-9);
        assert_eq!(picker.chosen(), Some("dev"));
        assert_eq!(EnvironmentPicker::new(names, Some("gone")).selected, 0);
        assert_eq!(EnvironmentPicker::new(Vec::new(), None).chosen(), None);
    }
}
