//! The two numbers the UI hands out: a tab's and a connection's. Each is a
//! type of its own, so a tab key where a connection id is meant (or the
//! reverse) does not build:
//!
//! ```compile_fail,E0308
//! # use ssetui::sse::RequestSpec;
//! # use ssetui::state::{self, AppState, TabId};
//! let mut state = AppState::new(RequestSpec::get("http://h/".parse().unwrap()), "t".into());
//! let conn = state::begin_connection(&mut state);
//! let tab: TabId = conn; // a connection is not a tab
//! ```

/// A number the state hands out, one type per kind of thing it names.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// The id after this one.
            pub(crate) fn next(self) -> Self {
                Self(self.0 + 1)
            }

            /// The number, for logs and notices.
            pub fn get(self) -> u64 {
                self.0
            }

            /// Id number `n`, for the crate's unit tests.
            #[cfg(test)]
            pub(crate) const fn new(n: u64) -> Self {
                Self(n)
            }
        }
    };
}

id! {
    /// Names a tab for as long as it is open (its position moves as tabs
    /// open and close; this does not). Never reused.
    TabId
}

id! {
    /// Names one connection of one tab. Unique across tabs and never reused,
    /// so a message names the one session it belongs to, and a message of a
    /// connection that was replaced or stopped finds none.
    ConnId
}

impl TabId {
    /// The first tab's.
    pub(crate) const FIRST: Self = Self(1);
}

impl ConnId {
    /// Before any connection: [`ConnId::next`] gives the first.
    pub(crate) const NONE_YET: Self = Self(0);
}
