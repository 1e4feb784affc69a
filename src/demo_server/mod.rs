//! The built-in demo SSE server (being written).
