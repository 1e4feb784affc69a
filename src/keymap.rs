//! (being written) Key bindings: the defaults, merged with the user's `[keys]`.

/// The bindings in force.
#[derive(Debug, Clone, Default)]
pub struct Keymap;
