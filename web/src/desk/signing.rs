//! What the trust list, resource and invite pages share: the home's own key, and signing
//! a body through the agent and publishing it through the node's pipeline.

use aviso_protocol::{Body, PublicKey};

use crate::i18n::Tr;
use crate::server::WebState;

/// This home's own public key (from its key file: known while the key is locked).
pub(crate) fn own_key(s: &WebState) -> Option<PublicKey> {
    if let Some(k) = s.api.agent.public() {
        return Some(k);
    }
    aviso_node::member_key::read(&s.api.home)
        .ok()
        .map(|f| f.public())
}

/// Sign `body` through the agent (created no earlier than `not_before`, living `ttl`
/// seconds) and publish it, as the rest of the desk does ([`super::sign_and_publish`]).
/// The envelope id in hex, or why not in the page's language.
pub(crate) async fn sign_and_publish(
    s: &WebState,
    tr: &Tr,
    body: &Body,
    ttl: u64,
    not_before: u64,
) -> Result<String, String> {
    if s.api.community.is_none() {
        return Err(tr.t("lists-no-community"));
    }
    let what = body.kind().as_str().replace('_', " ");
    super::sign_and_publish(s, tr, &what, body.clone(), ttl, not_before)
        .await
        .map(|id| id.to_hex())
        .map_err(|f| f.words(tr))
}
