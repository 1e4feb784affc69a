//! The tokio runtime every mode runs on: two workers, as the target machines
//! have two cores, so the engine and the consumer each get one.

use std::process::ExitCode;

/// Builds the runtime, or prints why not and gives the exit status to return.
pub fn build() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| {
            eprintln!("ssetui: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        })
}
