//! What the trust list, resource and invite pages share: the key agent's state for the
//! lock banner, the home's own key, and signing a body through the agent and publishing
//! it through the node's pipeline.

use aviso_protocol::{Body, PublicKey};

use crate::i18n::Tr;
use crate::server::WebState;

/// The key agent's state, for the banner at the top of each page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LockState {
    /// A key is unlocked.
    pub unlocked: bool,
    /// When it locks itself if unused, in words.
    pub left: String,
    /// This page, for the unlock page to come back to.
    pub back: String,
}

impl LockState {
    /// The agent's state now, on the page at `back`.
    pub(crate) fn of(s: &WebState, tr: &Tr, back: &str) -> LockState {
        let st = s.api.agent.status();
        let minutes = st.locks_in_secs.map_or(0, |x| x.div_ceil(60));
        LockState {
            unlocked: st.unlocked,
            left: tr.n("lists-lock-minutes", "minutes", minutes),
            back: back.to_owned(),
        }
    }

    /// The unlock page, coming back here.
    pub(crate) fn unlock_href(&self) -> String {
        format!("/unlock?back={}", urlencode(&self.back))
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_are_encoded() {
        assert_eq!(urlencode("/desk/trust/publish"), "/desk/trust/publish");
        assert_eq!(
            urlencode("/desk/trust?edit=a b&x"),
            "/desk/trust%3Fedit%3Da%20b%26x"
        );
    }
}
