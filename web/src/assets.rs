//! The static files, compiled into the binary: no CDN, no third-party request.

/// A static file.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Its path under `/assets/`.
    pub name: &'static str,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: &'static [u8],
}

/// Every static file.
pub const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/app.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../assets/icon.svg"),
    },
    Asset {
        name: "sw.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/sw.js"),
    },
    Asset {
        name: "pair.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/pair.js"),
    },
    Asset {
        name: "manifest.webmanifest",
        content_type: "application/manifest+json",
        bytes: include_bytes!("../assets/manifest.webmanifest"),
    },
];

/// The asset called `name`, if there is one.
pub fn get(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}
