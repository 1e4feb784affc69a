//! `ssetui tap`'s arguments.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Args;

/// `ssetui tap --upstream URL`: a recording proxy between a client and its server.
#[derive(Debug, Args)]
pub struct TapArgs {
    /// The server the client's requests go on to (http:// or https://; its path, if any, prefixes every request's)
    #[arg(long, value_name = "URL", value_parser = upstream_url)]
    pub upstream: url::Url,

    /// Port the client connects to (0 picks a free one and prints it)
    #[arg(long, short, default_value_t = 8901)]
    pub port: u16,

    /// Address to bind (another than loopback is reachable from other machines: a warning says so)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Send the client's Host header on instead of the upstream's
    #[arg(long)]
    pub preserve_host: bool,

    /// Write a capture of each exchange into DIR (exchange-N.ssecap: request, response head, body reads with their times; `ssetui open` and `serve --replay` read them)
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,

    /// No UI: one NDJSON line per event on stdout (print's keys plus exchange, method, path); other exchanges listed on stderr
    #[arg(long)]
    pub headless: bool,

    /// Connections served at once; further ones wait until one closes
    #[arg(long, value_name = "N", default_value_t = crate::server::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,

    /// How the upstream is reached: proxy, trust, client certificate.
    #[command(flatten, next_help_heading = "Upstream (proxy, TLS)")]
    pub transport: super::request_args::TransportArgs,

    #[command(
        flatten,
        next_help_heading = "Faults (applied to every proxied event stream; the views show what the client got)"
    )]
    pub faults: super::fault_args::FaultArgs,
}

/// An upstream: an absolute http(s) URL with a host, without credentials.
fn upstream_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "{text:?}: give an http:// or https:// URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{text:?}: the upstream is a base URL; the client's request gives the path and query"
        ));
    }
    Ok(url)
}
