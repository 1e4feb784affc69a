//! Transport options end to end on loopback: TLS verification, --cacert,
//! --insecure, client certificates, HTTP and SOCKS5 proxies, HTTP/2.

mod support;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use ssetui::sse::{CloseReason, ConnMsg, ErrorKind, HttpVersionPref, ReconnectPolicy, RequestSpec};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// What a TLS server presents: its certificate chain and private key (PKCS#8).
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

/// A CA, a server certificate for localhost/127.0.0.1 and a client certificate,
/// with the PEM files a user would pass on the command line.
struct Pki {
    server: Identity,
    ca_der: CertificateDer<'static>,
    ca_pem: PathBuf,
    client_pem: PathBuf,
    client_key_pem: PathBuf,
}

fn write_file(dir: &std::path::Path, file: &str, text: String) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path
}

fn pki(name: &str) -> Pki {
    let dir = scratch(name);
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ssetui test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["client.test".into()])
        .unwrap()
        .signed_by(&client_key, &issuer)
        .unwrap();
    Pki {
        server: Identity {
            chain: vec![server_cert.der().clone()],
            key: server_key.serialize_der(),
        },
        ca_der: ca_cert.der().clone(),
        ca_pem: write_file(&dir, "ca.pem", ca_cert.pem()),
        client_pem: write_file(&dir, "client.pem", client_cert.pem()),
        client_key_pem: write_file(&dir, "client-key.pem", client_key.serialize_pem()),
    }
}

/// A server certificate for localhost/127.0.0.1 signed by its own key, as a
/// development server or `openssl req -x509` makes one, and its PEM file.
fn self_signed(name: &str) -> (Identity, PathBuf) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let pem = write_file(&scratch(name), "server.pem", cert.pem());
    let identity = Identity {
        chain: vec![cert.der().clone()],
        key: signing_key.serialize_der(),
    };
    (identity, pem)
}

/// A TLS server answering every connection with one event and a clean close,
/// asking for a client certificate issued by `client_ca` when one is given.
/// Sends the request line of each request it serves.
async fn tls_server(
    server: &Identity,
    client_ca: Option<&CertificateDer<'static>>,
) -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if let Some(ca) = client_ca {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.key.clone()));
    let config = builder.with_single_cert(server.chain.clone(), key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(n) if n > 0 => head.extend_from_slice(&buf[..n]),
                        _ => return,
                    }
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                let _ = tx.send(line);
                let response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: secure\n\n";
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (addr, rx)
}

fn https_spec(addr: SocketAddr) -> RequestSpec {
    let mut spec = RequestSpec::get(
        format!("https://localhost:{}/stream", addr.port())
            .parse()
            .unwrap(),
    );
    spec.reconnect = ReconnectPolicy::Never;
    spec
}

#[tokio::test]
async fn unknown_certificate_authority_is_a_clear_tls_error_without_retry() {
    let pki = pki("reject");
    let (addr, _) = tls_server(&pki.server, None).await;
    let mut spec = https_spec(addr);
    spec.reconnect = ReconnectPolicy::Always;
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let CloseReason::Failed(err) = close_reason(&msgs) else {
        panic!("{msgs:?}")
    };
    assert_eq!(err.kind, ErrorKind::Tls, "{err}");
    assert!(
        err.message.contains("--cacert") && err.message.contains("--insecure"),
        "{err}"
    );
    let attempts = msgs
        .iter()
        .filter(|m| matches!(m, ConnMsg::Connecting { .. }))
        .count();
    assert_eq!(attempts, 1, "a rejected certificate is not retried");
}

#[tokio::test]
async fn self_signed_certificate_is_a_clear_tls_error_and_insecure_proceeds() {
    let (identity, _) = self_signed("self-signed");
    let (addr, _) = tls_server(&identity, None).await;

    let (_h, mut rx) = connect(https_spec(addr));
    let msgs = until_closed(&mut rx).await;
    let CloseReason::Failed(err) = close_reason(&msgs) else {
        panic!("{msgs:?}")
    };
    assert_eq!(err.kind, ErrorKind::Tls, "{err}");
    assert!(err.message.contains("rejected"), "{err}");
    assert!(triples(&msgs).is_empty(), "nothing is read from it");

    let mut spec = https_spec(addr);
    spec.transport.insecure = true;
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(
        triples(&msgs),
        [("message".into(), "secure".into(), String::new())]
    );
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
}

#[tokio::test]
async fn cacert_trusts_a_self_signed_certificate_given_as_its_own_ca() {
    let (identity, pem) = self_signed("self-signed-cacert");
    let (addr, _) = tls_server(&identity, None).await;
    let mut spec = https_spec(addr);
    spec.transport.ca_certs = vec![pem];
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs).len(), 1, "{msgs:?}");
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
}

#[tokio::test]
async fn cacert_trusts_a_private_certificate_authority() {
    let pki = pki("cacert");
    let (addr, mut requests) = tls_server(&pki.server, None).await;
    let mut spec = https_spec(addr);
    spec.transport.ca_certs = vec![pki.ca_pem.clone()];
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(
        triples(&msgs),
        [("message".into(), "secure".into(), String::new())]
    );
    assert_eq!(requests.recv().await.unwrap(), "GET /stream HTTP/1.1");
}

#[tokio::test]
async fn insecure_skips_certificate_verification() {
    let pki = pki("insecure");
    let (addr, _) = tls_server(&pki.server, None).await;
    let mut spec = https_spec(addr);
    spec.transport.insecure = true;
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs).len(), 1);
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
}

#[tokio::test]
async fn client_certificate_is_presented_when_given() {
    let pki = pki("client");
    let (addr, _) = tls_server(&pki.server, Some(&pki.ca_der)).await;
    let mut spec = https_spec(addr);
    spec.transport.ca_certs = vec![pki.ca_pem.clone()];
    spec.transport.client_cert = Some((pki.client_pem.clone(), pki.client_key_pem.clone()));
    let (_h, mut rx) = connect(spec.clone());
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs).len(), 1, "{msgs:?}");

    spec.transport.client_cert = None;
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert!(triples(&msgs).is_empty());
    assert!(
        matches!(close_reason(&msgs), CloseReason::Failed(_)),
        "{msgs:?}"
    );
}

#[tokio::test]
async fn unreadable_certificate_file_is_a_request_error_naming_it() {
    let mut spec = RequestSpec::get("https://localhost:1/".parse().unwrap());
    spec.transport.ca_certs = vec![PathBuf::from("/nonexistent/ca.pem")];
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let CloseReason::Failed(err) = close_reason(&msgs) else {
        panic!("{msgs:?}")
    };
    assert_eq!(err.kind, ErrorKind::Request);
    assert!(err.message.contains("/nonexistent/ca.pem"), "{err}");
}

#[tokio::test]
async fn print_rejects_a_self_signed_server_and_flags_insecure_on_stderr() {
    let (identity, _) = self_signed("print");
    let (addr, _) = tls_server(&identity, None).await;
    let url = format!("https://localhost:{}/stream", addr.port());
    let print = |insecure: bool| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut cmd = support::app();
            cmd.args(["print", "--no-reconnect", &url]);
            if insecure {
                cmd.arg("--insecure");
            }
            cmd.stdin(Stdio::null()).output().unwrap()
        })
    };

    let out = print(false).await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("certificate") && stderr.contains("--insecure"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(1));

    let out = print(true).await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--insecure") && stderr.contains("not verified"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"data\":\"secure\""));
    assert_eq!(out.status.code(), Some(0));
}

#[tokio::test]
async fn http_proxy_receives_the_absolute_url() {
    let mut proxy =
        TestServer::always(vec![sse_head(), write("data: via proxy\n\n"), Step::Close]).await;
    let mut spec = RequestSpec::get("http://sse.invalid/stream?x=1".parse().unwrap());
    spec.reconnect = ReconnectPolicy::Never;
    spec.transport.proxy = Some(proxy.url(""));
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs)[0].1, "via proxy");
    assert_eq!(
        proxy.next_request().await.target,
        "http://sse.invalid/stream?x=1"
    );
}

#[tokio::test]
async fn proxy_from_the_environment_is_used() {
    let mut proxy =
        TestServer::always(vec![sse_head(), write("data: env proxy\n\n"), Step::Close]).await;
    let proxy_url = proxy.url("");
    let out = tokio::task::spawn_blocking(move || {
        support::app()
            .args(["print", "--no-reconnect", "http://sse.invalid/env"])
            .env("http_proxy", &proxy_url)
            .env("HTTP_PROXY", &proxy_url)
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("env proxy"),
        "{out:?}"
    );
    assert_eq!(proxy.next_request().await.target, "http://sse.invalid/env");
}

/// A minimal SOCKS5 server (no auth, CONNECT only) that sends every host it is
/// asked for to `target` and reports the host name it was given.
async fn socks5_server(target: SocketAddr) -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut greeting = [0u8; 2];
                client.read_exact(&mut greeting).await.ok()?;
                let mut methods = vec![0u8; greeting[1] as usize];
                client.read_exact(&mut methods).await.ok()?;
                client.write_all(&[5, 0]).await.ok()?;
                let mut request = [0u8; 4];
                client.read_exact(&mut request).await.ok()?;
                let host = match request[3] {
                    3 => {
                        let mut len = [0u8; 1];
                        client.read_exact(&mut len).await.ok()?;
                        let mut name = vec![0u8; len[0] as usize];
                        client.read_exact(&mut name).await.ok()?;
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    1 => {
                        let mut ip = [0u8; 4];
                        client.read_exact(&mut ip).await.ok()?;
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    _ => return None,
                };
                let mut port = [0u8; 2];
                client.read_exact(&mut port).await.ok()?;
                let _ = tx.send(host);
                let mut upstream = TcpStream::connect(target).await.ok()?;
                client
                    .write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0])
                    .await
                    .ok()?;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                Some(())
            });
        }
    });
    (addr, rx)
}

#[tokio::test]
async fn socks5h_proxy_resolves_the_host_remotely() {
    let mut server =
        TestServer::always(vec![sse_head(), write("data: via socks\n\n"), Step::Close]).await;
    let (socks, mut hosts) = socks5_server(server.addr).await;
    let mut spec = RequestSpec::get("http://sse.invalid:8080/s".parse().unwrap());
    spec.reconnect = ReconnectPolicy::Never;
    spec.transport.proxy = Some(format!("socks5h://{socks}"));
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs)[0].1, "via socks");
    assert_eq!(hosts.recv().await.unwrap(), "sse.invalid");
    assert_eq!(server.next_request().await.target, "/s");
}

#[tokio::test]
async fn http2_prior_knowledge_reaches_the_demo_server() {
    let demo = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = demo.url("/clock?interval_ms=5&count=2");
    let _task = demo.spawn();
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.reconnect = ReconnectPolicy::Never;
    spec.transport.http_version = HttpVersionPref::Http2Only;
    let (_h, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let version = msgs.iter().find_map(|m| match m {
        ConnMsg::Opened { response, .. } => Some(response.version.clone()),
        _ => None,
    });
    assert_eq!(version.as_deref(), Some("HTTP/2.0"));
    assert_eq!(triples(&msgs).len(), 2);
}
