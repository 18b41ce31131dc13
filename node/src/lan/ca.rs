//! The node's own small certificate authority for the LAN listener.
//!
//! One CA per node, ECDSA P-256, allowed to sign only end-entity certificates (path
//! length 0) and name-constrained to the node's own LAN addresses: a phone that trusts it
//! trusts nothing else it might sign, not a bank's name and not another address. Its key
//! is made here and never leaves the node's home. The leaf names the same addresses and is
//! renewed when they change or when it nears its end.
//!
//! Files in `HOME/lan/`, all mode 0600 and sealed under the data key (written with
//! [`crate::at_rest::write_private`]; they name the home's addresses and hold the keys):
//! `ca.key` and `leaf.key` (PKCS#8 DER), `ca.der` and `leaf.der`, `state.json` (which
//! addresses each certificate names and when the leaf ends).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, KeyPair, KeyUsagePurpose, NameConstraints,
    PKCS_ECDSA_P256_SHA256, SanType, SerialNumber,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;
use tokio_rustls::rustls::{self, ServerConfig};

use crate::home::HomeError;

/// How long the CA is valid: long, because every phone must install it again when it
/// changes. Its name constraints, not its lifetime, limit what a stolen key can do.
pub const CA_VALIDITY: Duration = Duration::from_secs(10 * 366 * 24 * 3600);

/// How long a leaf is valid: 397 days is the most any browser accepts for a server
/// certificate (Apple's limit for all CAs is 825, Chrome's for public ones 398).
pub const LEAF_VALIDITY: Duration = Duration::from_secs(397 * 24 * 3600);

/// A leaf closer than this to its end is renewed at the next start or address check.
pub const LEAF_RENEW_BEFORE: Duration = Duration::from_secs(30 * 24 * 3600);

/// How far back a new certificate's validity starts: phones with a clock a little behind
/// still accept it.
pub const BACKDATE: Duration = Duration::from_secs(24 * 3600);

/// Largest file read from `HOME/lan/`; the real ones are below 1 KiB.
const MAX_FILE: u64 = 64 * 1024;

/// Why the LAN certificates could not be made or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaError {
    /// A file in `HOME/lan/`.
    #[error(transparent)]
    Home(#[from] HomeError),
    /// Reading a file.
    #[error("cannot read {path}: {source}", path = path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A sealed file of the home.
    #[error(transparent)]
    Sealed(#[from] crate::at_rest::AtRestError),
    /// Making a key or certificate.
    #[error("cannot make the LAN certificate: {0}")]
    Cert(#[from] rcgen::Error),
    /// The TLS configuration.
    #[error("cannot configure TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// No address to name.
    #[error("no LAN address to put in the certificate")]
    NoAddress,
}

/// What `state.json` records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct State {
    /// The addresses the CA's name constraints permit.
    ca_ips: Vec<IpAddr>,
    /// The addresses the leaf names.
    leaf_ips: Vec<IpAddr>,
    /// When the leaf ends, unix seconds.
    leaf_not_after: u64,
}

/// The node's CA and its current leaf, ready to serve.
#[derive(Clone)]
pub struct LanCerts {
    /// The CA certificate (DER): what phones install.
    pub ca_der: Vec<u8>,
    /// The leaf certificate (DER).
    pub leaf_der: Vec<u8>,
    /// The addresses the leaf names.
    pub ips: Vec<IpAddr>,
    /// Whether this call made a new CA (phones must trust it again).
    pub new_ca: bool,
    leaf_key: Arc<Vec<u8>>,
    leaf_spki: Vec<u8>,
}

impl std::fmt::Debug for LanCerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanCerts")
            .field("ca", &hex::encode(self.ca_fingerprint()))
            .field("ips", &self.ips)
            .finish_non_exhaustive()
    }
}

impl LanCerts {
    /// SHA-256 of the CA certificate: what phones show as its fingerprint.
    pub fn ca_fingerprint(&self) -> [u8; 32] {
        Sha256::digest(&self.ca_der).into()
    }

    /// SHA-256 of the leaf's SubjectPublicKeyInfo (what Chromium's
    /// `--ignore-certificate-errors-spki-list` and HPKP pins name).
    pub fn leaf_spki_sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.leaf_spki).into()
    }

    /// The leaf, its key and the CA, as the TLS server presents them.
    pub fn certified_key(&self) -> Result<Arc<CertifiedKey>, CaError> {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.leaf_key.to_vec()));
        let signer = provider().key_provider.load_private_key(key)?;
        Ok(Arc::new(CertifiedKey::new(
            vec![
                CertificateDer::from(self.leaf_der.clone()),
                CertificateDer::from(self.ca_der.clone()),
            ],
            signer,
        )))
    }
}

/// The one crypto provider of the LAN listener (the one libp2p's QUIC already builds).
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The certificate the LAN listener presents now; replaced when the leaf is renewed,
/// without a restart.
#[derive(Debug)]
pub struct CurrentCert(std::sync::RwLock<Arc<CertifiedKey>>);

impl CurrentCert {
    /// Presenting `key`.
    pub fn new(key: Arc<CertifiedKey>) -> Arc<CurrentCert> {
        Arc::new(CurrentCert(std::sync::RwLock::new(key)))
    }

    /// Present `key` from the next handshake on.
    pub fn set(&self, key: Arc<CertifiedKey>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = key;
    }
}

impl ResolvesServerCert for CurrentCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.read().unwrap_or_else(|p| p.into_inner()).clone())
    }
}

/// A TLS 1.3 server configuration for HTTP/1.1 presenting `cert`.
pub fn server_config(cert: Arc<CurrentCert>) -> Result<ServerConfig, CaError> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_cert_resolver(cert);
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The SHA-256 fingerprint as phones show it: pairs of upper-case hex digits.
pub fn fingerprint_text(fp: &[u8; 32]) -> String {
    fp.iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The CA and a leaf for `ips` in `dir`: the files there when they still fit, new ones
/// otherwise. A new CA is made only when an address falls outside the current one's
/// name constraints (or there is none); a new leaf when the addresses changed, the CA
/// changed, or the leaf ends within [`LEAF_RENEW_BEFORE`].
pub fn ensure(dir: &Path, ips: &[IpAddr], now: SystemTime) -> Result<LanCerts, CaError> {
    if ips.is_empty() {
        return Err(CaError::NoAddress);
    }
    let mut ips = ips.to_vec();
    ips.sort();
    ips.dedup();
    std::fs::create_dir_all(dir).map_err(|source| CaError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let state: State = read(&dir.join("state.json"))?
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let ca_key = read(&dir.join("ca.key"))?.and_then(|b| KeyPair::try_from(b).ok());
    let ca_der = read(&dir.join("ca.der"))?;
    let (ca_key, ca_der, ca_ips, new_ca) = match (ca_key, ca_der) {
        (Some(k), Some(d)) if ips.iter().all(|ip| state.ca_ips.contains(ip)) => {
            (k, d, state.ca_ips.clone(), false)
        }
        _ => {
            let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
            let cert = ca_params(&key, &ips, now)?.self_signed(&key)?;
            write(&dir.join("ca.key"), &key.serialize_der())?;
            write(&dir.join("ca.der"), cert.der())?;
            (key, cert.der().to_vec(), ips.clone(), true)
        }
    };
    let now_unix = unix(now);
    let leaf_key = read(&dir.join("leaf.key"))?.and_then(|b| KeyPair::try_from(b).ok());
    let leaf_der = read(&dir.join("leaf.der"))?;
    let fresh = !new_ca
        && state.leaf_ips == ips
        && state.leaf_not_after > now_unix + LEAF_RENEW_BEFORE.as_secs();
    let (leaf_key, leaf_der, leaf_not_after) = match (leaf_key, leaf_der) {
        (Some(k), Some(d)) if fresh => (k, d, state.leaf_not_after),
        _ => {
            let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
            // The issuer as rcgen needs it: the same name and key as the stored CA, so
            // the leaf chains to the certificate phones installed.
            let issuer = ca_params(&ca_key, &ca_ips, now)?.self_signed(&ca_key)?;
            let params = leaf_params(&ips, now)?;
            let not_after = unix(now + LEAF_VALIDITY);
            let cert = params.signed_by(&key, &issuer, &ca_key)?;
            write(&dir.join("leaf.key"), &key.serialize_der())?;
            write(&dir.join("leaf.der"), cert.der())?;
            (key, cert.der().to_vec(), not_after)
        }
    };
    let new_state = State {
        ca_ips,
        leaf_ips: ips.clone(),
        leaf_not_after,
    };
    if new_state != state {
        let json = serde_json::to_vec_pretty(&new_state).unwrap_or_default();
        write(&dir.join("state.json"), &json)?;
    }
    Ok(LanCerts {
        ca_der,
        leaf_der,
        ips,
        new_ca,
        leaf_spki: leaf_key.public_key_der(),
        leaf_key: Arc::new(leaf_key.serialize_der()),
    })
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A random serial, so that no two certificates of one CA share one; `None` (rcgen then
/// derives one from the key) when the system has no randomness.
fn random_serial() -> Option<SerialNumber> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).ok()?;
    // Positive, as DER integers for serials must be.
    b[0] &= 0x7f;
    Some(SerialNumber::from(b.to_vec()))
}

fn validity(params: &mut CertificateParams, now: SystemTime, lifetime: Duration) {
    params.not_before = (now - BACKDATE).into();
    params.not_after = (now + lifetime).into();
}

/// The CA's parameters: a name unique to its key, so that phones holding the CAs of
/// several nodes never confuse them.
fn ca_params(key: &KeyPair, ips: &[IpAddr], now: SystemTime) -> Result<CertificateParams, CaError> {
    let mut p = CertificateParams::default();
    let id = hex::encode(&Sha256::digest(key.public_key_der())[..4]);
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Aviso");
    dn.push(DnType::CommonName, format!("Aviso node CA {id}"));
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.name_constraints = Some(NameConstraints {
        permitted_subtrees: ips
            .iter()
            .map(|ip| GeneralSubtree::IpAddress(host_subnet(*ip)))
            .collect(),
        // An empty DNS name matches every name: the CA can vouch for no name at all.
        excluded_subtrees: vec![GeneralSubtree::DnsName(String::new())],
    });
    p.serial_number = random_serial();
    validity(&mut p, now, CA_VALIDITY);
    Ok(p)
}

/// One address, as a subnet of one host.
fn host_subnet(ip: IpAddr) -> CidrSubnet {
    match ip {
        IpAddr::V4(v4) => CidrSubnet::V4(v4.octets(), [0xff; 4]),
        IpAddr::V6(v6) => CidrSubnet::V6(v6.octets(), [0xff; 16]),
    }
}

fn leaf_params(ips: &[IpAddr], now: SystemTime) -> Result<CertificateParams, CaError> {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "Aviso");
    p.distinguished_name = dn;
    p.subject_alt_names = ips.iter().map(|ip| SanType::IpAddress(*ip)).collect();
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.use_authority_key_identifier_extension = true;
    p.serial_number = random_serial();
    validity(&mut p, now, LEAF_VALIDITY);
    Ok(p)
}

/// The home of a file in `HOME/lan/`.
fn home_of(path: &Path) -> &Path {
    path.parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("."))
}

fn read(path: &Path) -> Result<Option<Vec<u8>>, CaError> {
    Ok(crate::at_rest::read_private(home_of(path), path, MAX_FILE)?.map(|b| b.to_vec()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CaError> {
    Ok(crate::at_rest::write_private(home_of(path), path, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, SocketAddr};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::pki_types::ServerName;
    use tokio_rustls::{TlsAcceptor, TlsConnector};

    fn lan_ip() -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 168, 1, 23))
    }

    /// A client that trusts only `ca` connects to `addr` as `name`: the handshake result.
    async fn connect(
        ca: &[u8],
        addr: SocketAddr,
        name: IpAddr,
    ) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, std::io::Error> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from(ca.to_vec())).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        TlsConnector::from(Arc::new(config))
            .connect(ServerName::IpAddress(name.into()), tcp)
            .await
    }

    /// Serve `certs` once on loopback, answering "ok" to the first bytes.
    async fn serve_once(certs: &LanCerts) -> SocketAddr {
        let config = server_config(CurrentCert::new(certs.certified_key().unwrap())).unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let mut b = [0u8; 2];
                    let _ = tls.read_exact(&mut b).await;
                    let _ = tls.write_all(b"ok").await;
                    let _ = tls.shutdown().await;
                }
            }
        });
        addr
    }

    #[tokio::test]
    async fn a_client_trusting_only_the_ca_connects_and_no_other_name_passes() {
        let dir = tempfile::tempdir().unwrap();
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let certs = ensure(dir.path(), &[loopback], SystemTime::now()).unwrap();
        let addr = serve_once(&certs).await;
        let mut tls = connect(&certs.ca_der, addr, loopback).await.expect("chain");
        tls.write_all(b"hi").await.unwrap();
        let mut b = [0u8; 2];
        tls.read_exact(&mut b).await.unwrap();
        assert_eq!(&b, b"ok");
        // Another address than the leaf names: refused.
        assert!(connect(&certs.ca_der, addr, lan_ip()).await.is_err());
        // Another node's CA: refused.
        let other = tempfile::tempdir().unwrap();
        let stranger = ensure(other.path(), &[loopback], SystemTime::now()).unwrap();
        assert!(connect(&stranger.ca_der, addr, loopback).await.is_err());
    }

    #[tokio::test]
    async fn the_ca_cannot_vouch_for_a_name_outside_its_constraints() {
        // A leaf the CA's key signs for an address it does not permit (as a thief of the
        // key would): a client trusting the CA refuses it.
        let dir = tempfile::tempdir().unwrap();
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let now = SystemTime::now();
        let certs = ensure(dir.path(), &[lan_ip()], now).unwrap();
        let ca_key = KeyPair::try_from(std::fs::read(dir.path().join("ca.key")).unwrap()).unwrap();
        let issuer = ca_params(&ca_key, &[lan_ip()], now)
            .unwrap()
            .self_signed(&ca_key)
            .unwrap();
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let forged = leaf_params(&[loopback], now)
            .unwrap()
            .signed_by(&key, &issuer, &ca_key)
            .unwrap();
        let bad = LanCerts {
            leaf_der: forged.der().to_vec(),
            leaf_key: Arc::new(key.serialize_der()),
            leaf_spki: key.public_key_der(),
            ips: vec![loopback],
            ..certs.clone()
        };
        let addr = serve_once(&bad).await;
        let err = connect(&certs.ca_der, addr, loopback).await.unwrap_err();
        assert!(err.to_string().contains("NameConstraintViolation"), "{err}");
    }

    #[test]
    fn the_ca_is_name_constrained_to_the_nodes_addresses() {
        use x509_parser::extensions::{GeneralName, ParsedExtension};
        let dir = tempfile::tempdir().unwrap();
        let certs = ensure(dir.path(), &[lan_ip()], SystemTime::now()).unwrap();
        let (_, ca) = x509_parser::parse_x509_certificate(&certs.ca_der).unwrap();
        let bc = ca.basic_constraints().unwrap().unwrap();
        assert!(bc.value.ca);
        assert_eq!(bc.value.path_len_constraint, Some(0));
        let nc = ca
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                ParsedExtension::NameConstraints(nc) => Some((e.critical, nc.clone())),
                _ => None,
            })
            .expect("name constraints");
        assert!(nc.0, "name constraints are critical");
        let permitted = nc.1.permitted_subtrees.unwrap();
        assert_eq!(permitted.len(), 1);
        match &permitted[0].base {
            GeneralName::IPAddress(b) => assert_eq!(*b, &[192, 168, 1, 23, 255, 255, 255, 255]),
            other => panic!("permitted {other:?}"),
        }
        let excluded = nc.1.excluded_subtrees.unwrap();
        assert!(matches!(excluded[0].base, GeneralName::DNSName("")));
        let (_, leaf) = x509_parser::parse_x509_certificate(&certs.leaf_der).unwrap();
        let san = leaf.subject_alternative_name().unwrap().unwrap();
        assert_eq!(
            san.value.general_names,
            vec![GeneralName::IPAddress(&[192, 168, 1, 23])]
        );
        assert_eq!(leaf.issuer(), ca.subject());
        #[cfg(unix)]
        for f in ["ca.key", "ca.der", "leaf.key", "leaf.der", "state.json"] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }

    #[test]
    fn kept_while_addresses_stay_renewed_when_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let a = ensure(dir.path(), &[lan_ip()], now).unwrap();
        assert!(a.new_ca);
        let b = ensure(dir.path(), &[lan_ip()], now).unwrap();
        assert!(!b.new_ca);
        assert_eq!(a.ca_der, b.ca_der);
        assert_eq!(a.leaf_der, b.leaf_der);
        // Near its end: a new leaf from the same CA.
        let later = now + LEAF_VALIDITY - LEAF_RENEW_BEFORE + Duration::from_secs(60);
        let c = ensure(dir.path(), &[lan_ip()], later).unwrap();
        assert_eq!(c.ca_der, a.ca_der);
        assert_ne!(c.leaf_der, a.leaf_der);
        // A new address: a new CA (phones must trust it again) and leaf.
        let moved = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7));
        let d = ensure(dir.path(), &[moved], later).unwrap();
        assert!(d.new_ca);
        assert_ne!(d.ca_der, a.ca_der);
        assert_eq!(d.ips, vec![moved]);
    }
}
