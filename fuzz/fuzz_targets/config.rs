//! The configuration file (`config.toml` in the data directory), parsed from TOML text and
//! checked as `aviso node` does before it starts.
//!
//! Property: a configuration that parses is written back (as `aviso` saves it) to TOML
//! that parses to the same configuration.
#![no_main]

use std::path::Path;

use aviso_node::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::parse(text, Path::new("config.toml")) else {
        return;
    };
    let valid = config.validate().is_ok();
    let _ = config.listen_addrs();
    let _ = config.bootstrap_addrs();
    let _ = config.api_addr();
    if let Ok(Some(community)) = config.community() {
        let settings = config.feed_settings(&community);
        assert!(settings.areas.len() <= config.feed.areas.len());
    }
    let saved = toml::to_string_pretty(&config).expect("a parsed config serializes");
    let back = Config::parse(&saved, Path::new("config.toml"))
        .unwrap_or_else(|e| panic!("a saved config does not parse: {e}\n{saved}"));
    assert_eq!(back, config, "saving changed the config:\n{saved}");
    assert_eq!(back.validate().is_ok(), valid);
});
