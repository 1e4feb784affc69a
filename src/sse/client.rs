//! Building the HTTP client for one connection: TLS roots and client
//! certificates, proxy, HTTP version, compression.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::error::{self, ConnError, ErrorKind};
use super::request::{HttpVersionPref, TransportOptions};
use crate::limits::file;

/// The `User-Agent` every request sends.
pub const USER_AGENT: &str = concat!("ssetui/", env!("CARGO_PKG_VERSION"));

/// The `Accept-Encoding` reqwest adds with `--compressed`, for display.
pub const ACCEPT_ENCODING_COMPRESSED: &str = "gzip,deflate,br";

/// Builds the client. Redirects are not followed by reqwest: the connection
/// follows them itself so it can report the chain and the method changes.
pub fn build(
    transport: &TransportOptions,
    connect_timeout: Duration,
) -> Result<reqwest::Client, ConnError> {
    let tls = tls_config(transport)?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .tcp_nodelay(true);
    if !transport.compressed {
        // No Accept-Encoding: the body arrives exactly as the server wrote it.
        builder = builder.no_gzip().no_brotli().no_deflate();
    }
    builder = match transport.http_version {
        HttpVersionPref::Auto => builder,
        HttpVersionPref::Http1Only => builder.http1_only(),
        HttpVersionPref::Http2Only => builder.http2_prior_knowledge(),
    };
    if let Some(proxy) = &transport.proxy {
        let proxy = reqwest::Proxy::all(proxy).map_err(|e| {
            ConnError::new(
                ErrorKind::Request,
                format!("invalid proxy URL: {}", error::detail(&e)),
            )
        })?;
        builder = builder.proxy(proxy);
    }
    builder.build().map_err(|e| {
        ConnError::new(
            ErrorKind::Request,
            format!("cannot set up the HTTP client: {}", error::detail(&e)),
        )
    })
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The system's trust roots, read once per process.
fn native_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

fn tls_config(transport: &TransportOptions) -> Result<rustls::ClientConfig, ConnError> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnError::new(ErrorKind::Request, format!("TLS setup failed: {e}")))?;
    let trust = if transport.insecure {
        None
    } else {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        // `--cacert` files are read now, so a bad one is said before connecting.
        for path in &transport.ca_certs {
            for cert in read_certs(path)? {
                roots
                    .add(cert)
                    .map_err(|e| file_error(path, &format!("not a usable CA certificate: {e}")))?;
            }
        }
        Some(Trust {
            roots,
            verifier: OnceLock::new(),
        })
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Verifier { provider, trust }));
    let mut config = match &transport.client_cert {
        Some((cert_path, key_path)) => {
            let certs = read_certs(cert_path)?;
            let key = PrivateKeyDer::from_pem_slice(&read_pem(key_path)?)
                .map_err(|e| file_error(key_path, &format!("no PEM private key: {e}")))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| file_error(cert_path, &format!("client certificate rejected: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = match transport.http_version {
        HttpVersionPref::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersionPref::Http1Only => vec![b"http/1.1".to_vec()],
        HttpVersionPref::Http2Only => vec![b"h2".to_vec()],
    };
    Ok(config)
}

/// A PEM file's bytes: a regular file of at most 1 MiB (`--cacert /dev/zero`
/// was read until the kernel killed the process; a FIFO blocked for ever).
fn read_pem(path: &Path) -> Result<Vec<u8>, ConnError> {
    file::read(path, file::CERTIFICATE_FILE)
        .map_err(|e| ConnError::new(ErrorKind::Request, e.to_string()))
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, ConnError> {
    let pem = read_pem(path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| file_error(path, &format!("cannot read PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(file_error(path, "holds no PEM certificate"));
    }
    Ok(certs)
}

fn file_error(path: &Path, what: &str) -> ConnError {
    ConnError::new(ErrorKind::Request, format!("{}: {what}", path.display()))
}

/// How server certificates are checked: rustls's own verification
/// (webpki, no revocation checks: what `with_root_certificates` builds),
/// or none with `--insecure`. Handshake signatures are checked either way,
/// so a connection is at least internally consistent.
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    /// `None` with `--insecure`: any server certificate is accepted.
    trust: Option<Trust>,
}

/// The roots a certificate must chain to: the web's, `--cacert`'s and the
/// system's, the system's added at the first handshake rather than when
/// the client is built: reading them (some 150 PEM files here) took 3 ms
/// of every start, which a plain-HTTP stream never needed.
#[derive(Debug)]
struct Trust {
    /// The roots but the system's.
    roots: RootCertStore,
    verifier: OnceLock<Arc<WebPkiServerVerifier>>,
}

impl Trust {
    fn verifier(
        &self,
        provider: &Arc<CryptoProvider>,
    ) -> Result<&WebPkiServerVerifier, rustls::Error> {
        if let Some(verifier) = self.verifier.get() {
            return Ok(verifier);
        }
        let mut roots = self.roots.clone();
        roots.add_parsable_certificates(native_roots().iter().cloned());
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| rustls::Error::General(format!("no trust roots: {e}")))?;
        Ok(self.verifier.get_or_init(|| verifier))
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.trust {
            Some(trust) => trust.verifier(&self.provider)?.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
