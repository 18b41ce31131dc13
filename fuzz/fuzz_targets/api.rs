//! The local API's request handling (`aviso node`'s HTTP API), through its real router in
//! front of a real node (event loop, pipeline, sled store; no network): the JSON bodies of
//! `PUT /v1/settings` and `POST /v1/publish`, the query of `GET /v1/feed` and the path of
//! `GET /v1/envelopes/{id}`, with a valid token and Host.
//!
//! Input: a route byte (modulo 4: settings, publish, feed, envelope), then the body, query
//! or path. Properties: no request gets a 5xx (a client mistake is a 4xx with a JSON
//! error); every answer is JSON; settings that are accepted read back as sent.
#![no_main]

use std::sync::LazyLock;

use aviso_fuzz::{API_ADDR, API_ROUTES, API_TOKEN, ApiFixture};
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

static FIXTURE: LazyLock<ApiFixture> = LazyLock::new(ApiFixture::new);

/// Largest answer read back (a feed of the few envelopes a fuzz run can store).
const MAX_ANSWER: usize = 16 * 1024 * 1024;

fn request(method: Method, uri: &str, body: Vec<u8>) -> Option<Request<Body>> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, API_ADDR)
        .header(header::AUTHORIZATION, format!("Bearer {API_TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .ok()
}

fn call(req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let f = &*FIXTURE;
    f.runtime.block_on(async {
        let resp = f
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("the router is infallible");
        let status = resp.status();
        let body = to_bytes(resp.into_body(), MAX_ANSWER)
            .await
            .expect("the answer is read");
        (status, body.to_vec())
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&route, rest)) = data.split_first() else {
        return;
    };
    let route = route as usize % API_ROUTES;
    let text = String::from_utf8_lossy(rest);
    let req = match route {
        0 => request(Method::PUT, "/v1/settings", rest.to_vec()),
        1 => request(Method::POST, "/v1/publish", rest.to_vec()),
        2 => request(Method::GET, &format!("/v1/feed?{text}"), Vec::new()),
        _ => request(Method::GET, &format!("/v1/envelopes/{text}"), Vec::new()),
    };
    // Not an HTTP request at all (a URI the client library refuses to build).
    let Some(req) = req else {
        return;
    };
    let (status, body) = call(req);
    assert!(
        !status.is_server_error(),
        "{status} for {:?}: {}",
        text,
        String::from_utf8_lossy(&body)
    );
    let json: serde_json::Value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{status}: the answer is not JSON ({e})"));
    if route == 0 {
        if status == StatusCode::OK {
            let (s, now) = call(request(Method::GET, "/v1/settings", Vec::new()).expect("a GET"));
            assert_eq!(s, StatusCode::OK);
            let now: serde_json::Value = serde_json::from_slice(&now).expect("JSON settings");
            assert_eq!(
                now, json,
                "the settings read back differ from those accepted"
            );
        }
        // Each input starts from the same settings.
        *FIXTURE.settings.write().unwrap_or_else(|p| p.into_inner()) = FIXTURE.initial.clone();
    }
});
