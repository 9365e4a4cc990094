//! A sync server behind a TLS reverse proxy, as a newsroom network runs it: `newsdesk serve` on
//! localhost, a TLS proxy in front (here in the test, with a certificate authority the test
//! makes), and the headless commands sharing and pulling over `wss://`. A machine that does not
//! trust the proxy's certificate is refused in plain words.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

mod common;
use common::server::start_server;

const BIN: &str = env!("CARGO_BIN_EXE_newsdesk");

/// A certificate authority and a certificate for `localhost` signed by it: (CA PEM, leaf DER,
/// leaf key DER).
fn certificates() -> (String, Vec<u8>, Vec<u8>) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Newsroom test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    (ca.pem(), leaf.der().to_vec(), leaf_key.serialize_der())
}

/// A TLS-terminating proxy on a free localhost port in front of `backend`; its port.
fn start_tls_proxy(backend: String, leaf: Vec<u8>, key: Vec<u8>) -> u16 {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![pki_types::CertificateDer::from(leaf)],
        pki_types::PrivateKeyDer::Pkcs8(key.into()),
    )
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            port_tx.send(listener.local_addr().unwrap().port()).unwrap();
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let backend = backend.clone();
                tokio::spawn(async move {
                    // A refused handshake (an untrusting client) just ends this connection.
                    let Ok(mut client) = acceptor.accept(client).await else {
                        return;
                    };
                    if let Ok(mut upstream) = TcpStream::connect(backend).await {
                        let _ = copy_bidirectional(&mut client, &mut upstream).await;
                    }
                });
            }
        });
    });
    port_rx.recv_timeout(Duration::from_secs(10)).unwrap()
}

fn newsdesk(args: &[&str], trusted_ca: Option<&Path>) -> Output {
    let mut command = Command::new(BIN);
    command.args(args);
    // Only the CA the test made is trusted (or, without it, an empty list: nothing is).
    match trusted_ca {
        Some(file) => command.env("SSL_CERT_FILE", file),
        None => command.env("SSL_CERT_FILE", "/nonexistent/ca.pem"),
    };
    command.output().unwrap()
}

#[test]
fn a_blog_is_shared_and_pulled_over_wss_through_a_tls_proxy() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let (_server, backend) = start_server(data.path());
    let (ca_pem, leaf, key) = certificates();
    let ca_file = work.path().join("newsroom-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let port = start_tls_proxy(backend, leaf, key);

    let original = work.path().join("blog.ron");
    let generated = newsdesk(
        &[
            "generate",
            "--posts",
            "25",
            "--seed",
            "4",
            "-o",
            original.to_str().unwrap(),
        ],
        None,
    );
    assert!(generated.status.success());
    let shared = newsdesk(
        &[
            "share",
            original.to_str().unwrap(),
            "--server",
            &format!("wss://localhost:{port}"),
        ],
        Some(&ca_file),
    );
    assert!(
        shared.status.success(),
        "share over wss failed: {}",
        String::from_utf8_lossy(&shared.stderr)
    );
    let link = String::from_utf8(shared.stdout).unwrap().trim().to_owned();
    assert!(
        link.starts_with("newsdesk+tls://localhost:"),
        "a TLS link: {link}"
    );

    let pulled = work.path().join("pulled.ron");
    let pull = newsdesk(
        &["pull", &link, "-o", pulled.to_str().unwrap()],
        Some(&ca_file),
    );
    assert!(
        pull.status.success(),
        "pull over wss failed: {}",
        String::from_utf8_lossy(&pull.stderr)
    );
    let original_blog = newsdesk::storage::load(&original).unwrap().blog;
    let pulled_blog = newsdesk::storage::load(&pulled).unwrap().blog;
    assert_eq!(pulled_blog.entries.len(), original_blog.entries.len());
    assert_eq!(pulled_blog.settings.title, original_blog.settings.title);

    // A machine that does not trust the newsroom's CA is refused, in plain words.
    let untrusted = newsdesk(
        &[
            "pull",
            &link,
            "-o",
            work.path().join("no.ron").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(untrusted.status.code(), Some(2));
    let message = String::from_utf8_lossy(&untrusted.stderr);
    assert!(
        message.contains("certificate is not trusted"),
        "plain words about the certificate: {message}"
    );
}
