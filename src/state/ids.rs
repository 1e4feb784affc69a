//! The two numbers the UI hands out: a tab's and a connection's. Each is a
//! type of its own, so a tab key where a connection id is meant (or the
//! reverse) does not build.

/// Names a tab for as long as it is open (its position moves as tabs open
/// and close; this does not). Never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TabId(u64);

/// Names one connection of one tab. Unique across tabs and never reused, so
/// a message names the one session it belongs to, and a message of a
/// connection that was replaced or stopped finds none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(u64);

impl TabId {
    /// The first tab's.
    pub(crate) const FIRST: Self = Self(1);

    /// Tab number `n`, for the crate's unit tests.
    #[cfg(test)]
    pub(crate) const fn new(n: u64) -> Self {
        Self(n)
    }

    /// The id after this one.
    pub(crate) fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// The number, for logs and notices.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl ConnId {
    /// Before any connection: [`Self::next`] gives the first.
    pub(crate) const NONE_YET: Self = Self(0);

    /// Connection number `n`, for the crate's unit tests.
    #[cfg(test)]
    pub(crate) const fn new(n: u64) -> Self {
        Self(n)
    }

    /// The id after this one.
    pub(crate) fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// The number, for logs and notices.
    pub fn get(self) -> u64 {
        self.0
    }
}
