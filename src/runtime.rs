//! The tokio runtime every mode runs on: two workers, as the target machines
//! have two cores, so the engine and the consumer each get one.

use std::process::ExitCode;

/// Builds the runtime, or prints why not and gives the exit status to return.
pub fn build() -> Result<tokio::runtime::Runtime, ExitCode> {
    started(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
    )
}

/// A runtime on the calling thread alone, for `print`: the demo server or the
/// machine's other work needs the second core more than a second thread of
/// ours would. Two splits were measured in benches/print_vs_curl.sh and
/// dropped: reading on one thread and parsing on the other (no faster), and
/// reading and parsing on one and printing on the other, each read's events
/// handed over in a batch (slower: 0.19-0.28 s against 0.17-0.18 s on the
/// small firehose, 40% more CPU, a wake-up of the printer costing the
/// connection 7 us each in this VM).
pub fn build_current_thread() -> Result<tokio::runtime::Runtime, ExitCode> {
    started(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
    )
}

fn started(
    runtime: std::io::Result<tokio::runtime::Runtime>,
) -> Result<tokio::runtime::Runtime, ExitCode> {
    runtime.map_err(|err| {
        crate::stdout::log(&format!("cannot start the async runtime: {err}"));
        ExitCode::FAILURE
    })
}
