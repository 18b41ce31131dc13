//! `aviso init` and `aviso id`. The key file itself (format, encryption) is
//! [`aviso_node::member_key`]; asking for the passphrase is [`crate::sign`].

use anyhow::Result;
use aviso_node::init;
use aviso_node::member_key::{self, KdfCost};
use aviso_protocol::PublicKey;
use clap::Args;
use serde::Serialize;

use crate::args::Globals;
use crate::render;
use crate::sign::{Confirm, load_public, passphrase};

/// Options of `aviso init`.
#[derive(Debug, Args)]
#[command(
    after_help = "The passphrase that encrypts your signing key is asked twice on the \
    terminal, or taken from the AVISO_PASSPHRASE environment variable (for scripts); never \
    from a flag. With --force on an existing home, only the signing key is replaced: the \
    node's files and configuration stay."
)]
pub struct InitArgs {
    /// Replace an existing signing key. The old key file is kept beside it as
    /// member.key.<time>.bak; anything signed with the old key stays signed by it.
    #[arg(long)]
    pub force: bool,
}

/// Options of `aviso id`.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Also draw the public key as a QR code, for an organizer to scan.
    #[arg(long)]
    pub qr: bool,
}

#[derive(Serialize)]
struct IdReply {
    public_key: PublicKey,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home: Option<String>,
}

/// `aviso init`.
pub async fn init(cli: &Globals, a: &InitArgs) -> Result<()> {
    let dir = cli.home_dir();
    let path = member_key::key_path(&dir);
    init::key_exists(&dir, a.force)?;
    // Asked first, so a missing terminal or a typo leaves nothing half done.
    let pass = passphrase("Choose a passphrase for your signing key: ", Confirm::Twice)?;
    if pass.chars().count() < 8 {
        eprintln!(
            "note: a passphrase shorter than 8 characters protects the key poorly if this device is taken"
        );
    }
    if !init::node_files(&dir)? {
        eprintln!(
            "a node is running on {}: its files are left as they are; only the signing key is made",
            dir.display()
        );
    }
    let (kf, backup) = init::new_key(
        &dir,
        pass.as_bytes(),
        KdfCost::DEFAULT,
        aviso_node::unix_now(),
    )?;
    drop(pass);
    if let Some(backup) = backup {
        eprintln!("the old key file is kept as {}", backup.display());
    }

    let public = kf.public();
    if cli.json {
        return crate::output::json(&IdReply {
            public_key: public,
            fingerprint: public.fingerprint(),
            home: Some(dir.display().to_string()),
        });
    }
    let s = crate::output::Style::stdout();
    println!("Your signing key: {}", s.bold(&public.fingerprint()));
    println!("  public key {public}");
    println!("  stored encrypted in {}", path.display());
    println!();
    println!("Next:");
    println!("  organizers: aviso community create --name \"Your group\"");
    println!("  members:    aviso community join INVITE   (the code an organizer gives you)");
    println!("  then:       aviso node                    (keep it running)");
    println!("Give an organizer your fingerprint and public key (`aviso id --qr`) to be listed.");
    Ok(())
}

/// `aviso id`.
pub async fn id(cli: &Globals, a: &IdArgs) -> Result<()> {
    let public = load_public(&cli.home_dir())?;
    if cli.json {
        return crate::output::json(&IdReply {
            public_key: public,
            fingerprint: public.fingerprint(),
            home: None,
        });
    }
    let s = crate::output::Style::stdout();
    println!("fingerprint {}", s.bold(&public.fingerprint()));
    println!("public key  {public}");
    if a.qr {
        println!();
        // Upper case fits the QR code's compact alphanumeric mode; keys parse either way.
        render::print_qr(&public.to_hex().to_ascii_uppercase())?;
    }
    Ok(())
}
