//! Bounded, panic-free reading of CAP XML.
//!
//! Two passes over one streaming reader's events. First a small tree of the elements in
//! the CAP namespace is built, under hard limits on input size, depth, element count,
//! namespace declarations and geometry points; foreign elements (an XML signature,
//! extensions) are checked for well-formedness and dropped. Then the tree is turned into a
//! typed [`CapAlert`], which reports a missing or invalid field by name.
//!
//! Bytes are decoded first ([`parse_bytes`]): a byte-order mark (UTF-8, UTF-16) decides,
//! else the encoding named in the XML declaration (any ASCII-compatible encoding of the
//! WHATWG Encoding Standard, e.g. ISO-8859-1 or Windows-1252), else UTF-8. The size limit
//! applies to the bytes, before decoding; the other limits to the decoded text.
//!
//! There is no DTD processing at all: a `<!DOCTYPE` is refused outright (so no entity can
//! be declared, expanded or fetched), and a reference to any entity other than the five
//! predefined ones and character references is an error.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};
use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::model::*;
use crate::time::CapTime;

/// Largest document read, in bytes. Real alerts are a few kB; long polygons push some to
/// a few hundred kB. The limit bounds memory and time for hostile input. It is checked on
/// the bytes, before decoding; decoded text is at most three times as long (one byte of
/// Windows-1252 can be three of UTF-8, as `€`).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Most bytes searched for the XML declaration's `encoding` before decoding. A
/// declaration is a few dozen bytes at the very start of the document; this leaves room
/// for generous white space and bounds the search.
pub const MAX_DECLARATION_BYTES: usize = 1024;
/// Deepest element nesting. CAP itself nests five deep (alert/info/area/geocode/value);
/// an enveloped XML signature about eight.
pub const MAX_DEPTH: usize = 16;
/// Most elements (of any namespace). A large national warning has a few thousand
/// (Canada's many geocodes); more than this is not an alert.
pub const MAX_ELEMENTS: usize = 20_000;
/// Most polygon and circle points in one message. Detailed coastlines reach a few
/// thousand points; the geometry work of the import grows with this number.
pub const MAX_POINTS: usize = 50_000;
/// Most namespace declarations in scope at once: bounds the resolver's memory and the
/// cost of each lookup.
pub const MAX_NAMESPACE_BINDINGS: usize = 64;

/// Why a document is not a CAP message we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("the document is {size} bytes; at most {max} are read")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not UTF-8 text (and it declares no other encoding).
    #[error(
        "the document is not UTF-8 text, and its XML declaration names no other encoding \
         (CAP messages are usually UTF-8)"
    )]
    NotUtf8,
    /// Not valid text in the encoding its byte-order mark or declaration names.
    #[error("the document is not valid {0} text, although it says it is")]
    NotInEncoding(&'static str),
    /// Declares an encoding that cannot be read.
    #[error(
        "the document declares encoding {0:?}, which is not read: use UTF-8, or another \
         encoding of the WHATWG Encoding Standard such as ISO-8859-1 or Windows-1252 \
         (UTF-16 needs a byte-order mark)"
    )]
    UnsupportedEncoding(String),
    /// Looks like UTF-16 without the byte-order mark XML requires for it.
    #[error(
        "the document looks like UTF-16 without a byte-order mark, which XML requires: \
         add the mark or convert the file to UTF-8"
    )]
    Utf16WithoutBom,
    /// Text that was already decoded declares another encoding than UTF-8.
    #[error(
        "the text declares encoding {0:?} but was passed already decoded: pass the raw \
         bytes (parse_bytes) so they are decoded as declared"
    )]
    DecodedText(String),
    /// Has a document type declaration.
    #[error(
        "the document has a <!DOCTYPE>: refused (CAP needs none, and DTDs enable entity-expansion attacks)"
    )]
    Doctype,
    /// References an entity that is not predefined.
    #[error("the document references the undeclared entity &{0};")]
    UnknownEntity(String),
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("elements are nested more than {max} deep")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// More than [`MAX_ELEMENTS`] elements.
    #[error("the document has more than {max} elements")]
    TooManyElements {
        /// The limit.
        max: usize,
    },
    /// More than [`MAX_POINTS`] polygon and circle points.
    #[error("the areas have more than {max} points")]
    TooManyPoints {
        /// The limit.
        max: usize,
    },
    /// Not well-formed XML.
    #[error("malformed XML at byte {position}: {message}")]
    Malformed {
        /// Where, in bytes from the start.
        position: u64,
        /// What the XML reader said.
        message: String,
    },
    /// Ends in the middle of an element, tag or comment.
    #[error("the document is truncated: it ends before the <alert> element is closed")]
    Truncated,
    /// No element at all.
    #[error("the document has no root element")]
    Empty,
    /// The root element is not a CAP 1.2 (or 1.1) `<alert>`.
    #[error(
        "not a CAP 1.2 alert: the root element is <{name}> {}; a CAP 1.2 message is an \
         <alert> in namespace {CAP_1_2_NS}",
        namespace_phrase(.namespace.as_deref())
    )]
    NotCap {
        /// The root element's local name.
        name: String,
        /// Its namespace, if any.
        namespace: Option<String>,
    },
    /// Something other than comments after the root element.
    #[error("content after the end of the <alert> element")]
    TrailingContent,
    /// A required element is missing or empty.
    #[error("<{parent}> has no <{element}> (required by CAP 1.2)")]
    Missing {
        /// The element.
        element: &'static str,
        /// Where it belongs.
        parent: &'static str,
    },
    /// An element's value is not one CAP allows.
    #[error("<{element}> {value:?} is not valid: expected {expected}")]
    InvalidValue {
        /// The element.
        element: &'static str,
        /// The value (shortened).
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
}

/// Where a root element's namespace is, in words.
fn namespace_phrase(namespace: Option<&str>) -> String {
    match namespace {
        None => "with no namespace".into(),
        Some(CAP_1_0_NS) => format!("in namespace {CAP_1_0_NS} (CAP 1.0, which is not read)"),
        Some(ns) => format!("in namespace {ns}"),
    }
}

/// The CAP 1.0 namespace, named in the error when a message uses it.
const CAP_1_0_NS: &str = "urn:oasis:names:tc:emergency:cap:1.0";

type Result<T> = std::result::Result<T, ParseError>;

/// Read a CAP message from bytes: checks the size first, then decodes them (see the
/// module documentation for how the encoding is found).
pub fn parse_bytes(bytes: &[u8]) -> Result<CapAlert> {
    check_size(bytes.len())?;
    let (text, declared) = decode(bytes)?;
    parse_text(&text, declared)
}

/// Read a CAP message from text. Never panics; memory and time are bounded by the limits
/// in this module. The text is already decoded, so an XML declaration naming an encoding
/// other than UTF-8 is an error ([`ParseError::DecodedText`]): use [`parse_bytes`].
pub fn parse(xml: &str) -> Result<CapAlert> {
    check_size(xml.len())?;
    let xml = xml.strip_prefix('\u{FEFF}').unwrap_or(xml);
    parse_text(xml, Declared::Text)
}

fn parse_text(xml: &str, declared: Declared) -> Result<CapAlert> {
    let (root, xml_signature) = read_tree(xml, declared)?;
    let mut points = 0usize;
    let mut alert = alert_from(&root, &mut points)?;
    alert.xml_signature = xml_signature;
    Ok(alert)
}

/// What the XML declaration may say about the encoding, given how the text was decoded.
#[derive(Debug, Clone, Copy)]
enum Declared {
    /// Given as text: only UTF-8 (or ASCII, its subset).
    Text,
    /// A byte-order mark decided, and it wins over the declaration (as in the WHATWG
    /// Encoding Standard).
    Bom,
    /// Decoded as this encoding, found in the declaration (or UTF-8 for none): the
    /// declaration the parser reads must name the same.
    As(&'static Encoding),
}

/// The encoding a declaration's label names. `us-ascii` is read as UTF-8 (its superset),
/// not as Windows-1252 as the WHATWG table says, so a mislabelled UTF-8 feed still reads.
fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().to_ascii_lowercase();
    match label.as_str() {
        "us-ascii" | "ascii" => Some(UTF_8),
        _ => Encoding::for_label(label.as_bytes()),
    }
}

/// The `encoding` value of an XML declaration at the start of `bytes` (read as ASCII,
/// which every encoding accepted this way shares), if any.
fn declared_label(bytes: &[u8]) -> Option<&[u8]> {
    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).position(|w| w == needle)
    }
    let head = bytes.get(..MAX_DECLARATION_BYTES).unwrap_or(bytes);
    let rest = head.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let decl = rest.get(..find(rest, b"?>")?)?;
    let after = decl.get(find(decl, b"encoding")? + b"encoding".len()..)?;
    let after = after
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let (&quote, value) = after.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    value.get(..value.iter().position(|&b| b == quote)?)
}

/// Decode a document: by its byte-order mark, else by its declaration, else as UTF-8.
/// Malformed bytes are an error, never replaced.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Declared)> {
    let not_valid = |enc: &'static Encoding| {
        if enc == UTF_8 {
            ParseError::NotUtf8
        } else {
            ParseError::NotInEncoding(enc.name())
        }
    };
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let text = enc
            .decode_without_bom_handling_and_without_replacement(bytes.get(bom..).unwrap_or(&[]))
            .ok_or_else(|| not_valid(enc))?;
        return Ok((text, Declared::Bom));
    }
    // "<" next to a zero byte: UTF-16 without its mark (UTF-8 text has no zero bytes
    // there, so this never refuses a readable document).
    if bytes.starts_with(b"<\0") || bytes.starts_with(b"\0<") {
        return Err(ParseError::Utf16WithoutBom);
    }
    let enc = match declared_label(bytes) {
        None => UTF_8,
        Some(label) => {
            let label = String::from_utf8_lossy(label).trim().to_ascii_lowercase();
            match encoding_for_label(&label) {
                // The declaration was read as ASCII: only an ASCII-compatible encoding
                // can be the one it names.
                Some(enc) if enc.is_ascii_compatible() => enc,
                _ => return Err(ParseError::UnsupportedEncoding(shorten(&label, 40))),
            }
        }
    };
    let text = enc
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| not_valid(enc))?;
    Ok((text, Declared::As(enc)))
}

/// Check the encoding the parser finds declared against how the text was decoded.
fn check_declared(label: &str, declared: Declared) -> Result<()> {
    let named = encoding_for_label(label);
    let ok = match declared {
        Declared::Bom => true,
        Declared::As(enc) => named == Some(enc),
        Declared::Text => named == Some(UTF_8),
    };
    if ok {
        return Ok(());
    }
    let label = shorten(&label.trim().to_ascii_lowercase(), 40);
    Err(match (declared, named) {
        (Declared::Text, Some(_)) => ParseError::DecodedText(label),
        _ => ParseError::UnsupportedEncoding(label),
    })
}

fn check_size(size: usize) -> Result<()> {
    if size > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge {
            size,
            max: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

// ---- pass 1: a bounded tree of CAP elements ----

/// A CAP element: its local name, its text, its CAP children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

/// An open element: kept (in the CAP namespace, under a kept parent) or skipped.
enum Frame {
    Kept(Node),
    Skipped,
}

fn malformed(reader: &NsReader<&[u8]>, e: &XmlError) -> ParseError {
    match e {
        XmlError::Syntax(
            SyntaxError::UnclosedPI
            | SyntaxError::UnclosedXmlDecl
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedTag
            | SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue,
        )
        | XmlError::IllFormed(IllFormedError::MissingEndTag(_)) => ParseError::Truncated,
        _ => ParseError::Malformed {
            position: reader.error_position(),
            message: shorten(&e.to_string(), 200),
        },
    }
}

/// The XML Signature namespace: an agency's enveloped signature is noticed (and said to
/// be unverified), never checked.
const XMLDSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// The tree of CAP elements, and whether an XML signature was seen.
fn read_tree(xml: &str, declared: Declared) -> Result<(Node, bool)> {
    let mut reader = NsReader::from_str(xml);
    reader
        .resolver_mut()
        .set_max_namespace_bindings(MAX_NAMESPACE_BINDINGS);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut cap_ns: Option<&'static str> = None;
    let mut elements = 0usize;
    let mut signature = false;
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(r) => r,
            Err(e) => return Err(malformed(&reader, &e)),
        };
        let ns: Option<String> = match ns {
            ResolveResult::Bound(n) => Some(n.0.to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => Some(format!("(undeclared prefix {p})")),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if root.is_some() {
                    return Err(ParseError::TrailingContent);
                }
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(ParseError::TooManyElements { max: MAX_ELEMENTS });
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep { max: MAX_DEPTH });
                }
                // Attributes are not used, but must be well-formed (no duplicates).
                for attr in e.attributes() {
                    if let Err(err) = attr {
                        return Err(malformed(&reader, &XmlError::InvalidAttr(err)));
                    }
                }
                let local = e.local_name().into_inner().to_owned();
                if local == "Signature" && ns.as_deref() == Some(XMLDSIG_NS) {
                    signature = true;
                }
                let frame = match (&cap_ns, stack.last()) {
                    (None, _) => {
                        // The root element decides whether this is CAP at all.
                        cap_ns = match ns.as_deref() {
                            Some(CAP_1_2_NS) if local == "alert" => Some(CAP_1_2_NS),
                            Some(CAP_1_1_NS) if local == "alert" => Some(CAP_1_1_NS),
                            _ => {
                                return Err(ParseError::NotCap {
                                    name: shorten(&local, 60),
                                    namespace: ns.map(|n| shorten(&n, 100)),
                                });
                            }
                        };
                        Frame::Kept(Node {
                            name: local,
                            ..Node::default()
                        })
                    }
                    (Some(cap), Some(Frame::Kept(_))) if ns.as_deref() == Some(*cap) => {
                        Frame::Kept(Node {
                            name: local,
                            ..Node::default()
                        })
                    }
                    _ => Frame::Skipped,
                };
                stack.push(frame);
                if empty {
                    close(&mut stack, &mut root);
                }
            }
            Event::End(_) => close(&mut stack, &mut root),
            Event::Text(t) => {
                let text = t.xml10_content();
                push_text(&mut stack, &text, root.is_some())?;
            }
            Event::CData(t) => {
                let text = t.xml10_content();
                if stack.is_empty() {
                    return Err(ParseError::Malformed {
                        position: reader.buffer_position(),
                        message: "CDATA outside the root element".into(),
                    });
                }
                push_text(&mut stack, &text, root.is_some())?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(ParseError::UnknownEntity(shorten(other, 40))),
                    },
                    Err(e) => return Err(malformed(&reader, &e)),
                };
                if stack.is_empty() {
                    return Err(ParseError::Malformed {
                        position: reader.buffer_position(),
                        message: "a character reference outside the root element".into(),
                    });
                }
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]), root.is_some())?;
            }
            Event::DocType(_) => return Err(ParseError::Doctype),
            Event::Decl(d) => {
                if let Some(Ok(label)) = d.encoding() {
                    check_declared(&label, declared)?;
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => {
                return match (root, stack.is_empty()) {
                    (Some(r), _) => Ok((r, signature)),
                    (None, false) => Err(ParseError::Truncated),
                    (None, true) => Err(ParseError::Empty),
                };
            }
        }
    }
}

/// Close the innermost element: attach it to its parent, or make it the root.
fn close(stack: &mut Vec<Frame>, root: &mut Option<Node>) {
    let Some(frame) = stack.pop() else {
        return;
    };
    let Frame::Kept(node) = frame else {
        return;
    };
    match stack.last_mut() {
        Some(Frame::Kept(parent)) => parent.children.push(node),
        Some(Frame::Skipped) => {}
        None => *root = Some(node),
    }
}

/// Add text to the innermost kept element. Text outside the root must be blank.
fn push_text(stack: &mut [Frame], text: &str, after_root: bool) -> Result<()> {
    match stack.last_mut() {
        Some(Frame::Kept(node)) => node.text.push_str(text),
        Some(Frame::Skipped) => {}
        None if text.trim().is_empty() => {}
        None if after_root => return Err(ParseError::TrailingContent),
        None => {
            return Err(ParseError::Malformed {
                position: 0,
                message: "text before the root element".into(),
            });
        }
    }
    Ok(())
}

// ---- pass 2: the tree as a typed alert ----

fn shorten(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if s.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}

impl Node {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child `name`, if present and not blank.
    fn opt(&self, name: &str) -> Option<String> {
        self.all(name)
            .next()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }

    fn req(&self, name: &'static str, parent: &'static str) -> Result<String> {
        self.opt(name).ok_or(ParseError::Missing {
            element: name,
            parent,
        })
    }

    fn pairs(&self, name: &str) -> Vec<ValuePair> {
        self.all(name)
            .map(|p| ValuePair {
                name: p.opt("valueName").unwrap_or_default(),
                value: p.opt("value").unwrap_or_default(),
            })
            .collect()
    }
}

fn invalid(element: &'static str, value: &str, expected: &'static str) -> ParseError {
    ParseError::InvalidValue {
        element,
        value: shorten(value, 80),
        expected,
    }
}

fn enum_of<T>(
    node: &Node,
    element: &'static str,
    parent: &'static str,
    from: impl Fn(&str) -> Option<T>,
    expected: &'static str,
) -> Result<T> {
    let v = node.req(element, parent)?;
    from(&v).ok_or_else(|| invalid(element, &v, expected))
}

fn time_of(node: &Node, element: &'static str) -> Result<Option<CapTime>> {
    match node.opt(element) {
        None => Ok(None),
        Some(v) => CapTime::parse(&v)
            .map(Some)
            .ok_or_else(|| invalid(element, &v, "a date-time like 2003-06-17T14:57:00-07:00")),
    }
}

fn alert_from(root: &Node, points: &mut usize) -> Result<CapAlert> {
    let sent_text = root.req("sent", "alert")?;
    let sent = CapTime::parse(&sent_text).ok_or_else(|| {
        invalid(
            "sent",
            &sent_text,
            "a date-time like 2003-06-17T14:57:00-07:00",
        )
    })?;
    let references = match root.opt("references") {
        None => Vec::new(),
        Some(r) => parse_references(&r)?,
    };
    let infos = root
        .all("info")
        .map(|i| info_from(i, points))
        .collect::<Result<Vec<_>>>()?;
    Ok(CapAlert {
        identifier: root.req("identifier", "alert")?,
        sender: root.req("sender", "alert")?,
        sent,
        status: enum_of(
            root,
            "status",
            "alert",
            CapStatus::from_cap,
            "Actual, Exercise, System, Test or Draft",
        )?,
        msg_type: enum_of(
            root,
            "msgType",
            "alert",
            CapMsgType::from_cap,
            "Alert, Update, Cancel, Ack or Error",
        )?,
        source: root.opt("source"),
        scope: enum_of(
            root,
            "scope",
            "alert",
            CapScope::from_cap,
            "Public, Restricted or Private",
        )?,
        restriction: root.opt("restriction"),
        addresses: root.opt("addresses"),
        codes: root
            .all("code")
            .map(|c| c.text.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
        note: root.opt("note"),
        references,
        incidents: root.opt("incidents"),
        infos,
        xml_signature: false,
    })
}

/// `sender,identifier,sent` triplets separated by white space.
pub(crate) fn parse_references(s: &str) -> Result<Vec<CapReference>> {
    s.split_whitespace()
        .map(|t| {
            let mut parts = t.split(',');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(sender), Some(identifier), Some(sent), None)
                    if !sender.is_empty() && !identifier.is_empty() =>
                {
                    Ok(CapReference {
                        sender: sender.to_owned(),
                        identifier: identifier.to_owned(),
                        sent: sent.to_owned(),
                    })
                }
                _ => Err(invalid(
                    "references",
                    t,
                    "space-separated sender,identifier,sent triplets",
                )),
            }
        })
        .collect()
}

fn info_from(node: &Node, points: &mut usize) -> Result<CapInfo> {
    let categories = node
        .all("category")
        .map(|c| {
            let v = c.text.trim();
            CapCategory::from_cap(v).ok_or_else(|| {
                invalid(
                    "category",
                    v,
                    "Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE or Other",
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if categories.is_empty() {
        return Err(ParseError::Missing {
            element: "category",
            parent: "info",
        });
    }
    if node.all("event").next().is_none() {
        return Err(ParseError::Missing {
            element: "event",
            parent: "info",
        });
    }
    let response_types = node
        .all("responseType")
        .map(|c| {
            let v = c.text.trim();
            ResponseType::from_cap(v).ok_or_else(|| {
                invalid(
                    "responseType",
                    v,
                    "Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear or None",
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CapInfo {
        language: node.opt("language"),
        categories,
        event: node.opt("event").unwrap_or_default(),
        response_types,
        urgency: enum_of(
            node,
            "urgency",
            "info",
            urgency_from,
            "Immediate, Expected, Future, Past or Unknown",
        )?,
        severity: enum_of(
            node,
            "severity",
            "info",
            severity_from,
            "Extreme, Severe, Moderate, Minor or Unknown",
        )?,
        certainty: enum_of(
            node,
            "certainty",
            "info",
            certainty_from,
            "Observed, Likely, Possible, Unlikely or Unknown",
        )?,
        audience: node.opt("audience"),
        event_codes: node.pairs("eventCode"),
        effective: time_of(node, "effective")?,
        onset: time_of(node, "onset")?,
        expires: time_of(node, "expires")?,
        sender_name: node.opt("senderName"),
        headline: node.opt("headline"),
        description: node.opt("description"),
        instruction: node.opt("instruction"),
        web: node.opt("web"),
        contact: node.opt("contact"),
        parameters: node.pairs("parameter"),
        resources: node
            .all("resource")
            .map(|r| r.opt("resourceDesc").unwrap_or_default())
            .collect(),
        areas: node
            .all("area")
            .map(|a| area_from(a, points))
            .collect::<Result<Vec<_>>>()?,
    })
}

fn area_from(node: &Node, points: &mut usize) -> Result<CapArea> {
    let mut polygons = Vec::new();
    for p in node.all("polygon") {
        let text = p.text.trim();
        // Some feeds send <polygon></polygon> for "no polygon".
        if !text.is_empty() {
            polygons.push(parse_polygon(text, points)?);
        }
    }
    let mut circles = Vec::new();
    for c in node.all("circle") {
        let text = c.text.trim();
        if !text.is_empty() {
            circles.push(parse_circle(text, points)?);
        }
    }
    Ok(CapArea {
        // areaDesc is required by the schema; a missing one is read as empty rather than
        // refusing an otherwise usable area.
        area_desc: node.opt("areaDesc").unwrap_or_default(),
        polygons,
        circles,
        geocodes: node.pairs("geocode"),
        altitude: node.opt("altitude"),
        ceiling: node.opt("ceiling"),
    })
}

fn count_point(points: &mut usize) -> Result<()> {
    *points += 1;
    if *points > MAX_POINTS {
        return Err(ParseError::TooManyPoints { max: MAX_POINTS });
    }
    Ok(())
}

/// `lat,lon` in range.
fn parse_point(s: &str) -> Option<Point> {
    let (lat, lon) = s.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    let ok = lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon);
    ok.then_some(Point { lat, lon })
}

const POLYGON_FORMAT: &str = "at least three \"lat,lon\" pairs (WGS 84 degrees) separated by spaces, the first repeated last";

fn parse_polygon(text: &str, points: &mut usize) -> Result<Polygon> {
    let mut pts = Vec::new();
    for token in text.split_whitespace() {
        count_point(points)?;
        let p = parse_point(token).ok_or_else(|| invalid("polygon", text, POLYGON_FORMAT))?;
        pts.push(p);
    }
    // CAP requires the ring to be closed; an open one is closed rather than refused.
    if let (Some(first), Some(last)) = (pts.first().copied(), pts.last().copied())
        && first != last
    {
        pts.push(first);
    }
    if pts.len() < 4 {
        return Err(invalid("polygon", text, POLYGON_FORMAT));
    }
    Ok(Polygon { points: pts })
}

/// Half the Earth's circumference: no circle is larger.
const MAX_RADIUS_KM: f64 = 20_040.0;

fn parse_circle(text: &str, points: &mut usize) -> Result<Circle> {
    const FORMAT: &str = "\"lat,lon radius\" (WGS 84 degrees, radius in km)";
    count_point(points)?;
    let mut parts = text.split_whitespace();
    let (Some(centre), Some(radius), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("circle", text, FORMAT));
    };
    let centre = parse_point(centre).ok_or_else(|| invalid("circle", text, FORMAT))?;
    let radius_km: f64 = radius
        .parse()
        .ok()
        .filter(|r: &f64| r.is_finite() && (0.0..=MAX_RADIUS_KM).contains(r))
        .ok_or_else(|| invalid("circle", text, FORMAT))?;
    Ok(Circle { centre, radius_km })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>x1</identifier><sender>a@b.c</sender><sent>2024-01-02T03:04:05-00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Fog &amp; ice&#x21;</event><urgency>Expected</urgency>
    <severity>Minor</severity><certainty>Likely</certainty>
    <headline><![CDATA[<b>Fog</b>]]></headline>
    <area><areaDesc>Hill</areaDesc><polygon>1,1 1,2 2,2 1,1</polygon><circle>10,20 5</circle></area>
  </info>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:x><identifier>no</identifier></ds:x></ds:Signature>
</alert>"#;

    #[test]
    fn reads_a_minimal_message() {
        let a = parse(MINIMAL).unwrap();
        assert_eq!(a.identifier, "x1");
        assert_eq!(a.infos.len(), 1);
        let i = &a.infos[0];
        assert_eq!(i.event, "Fog & ice!");
        assert_eq!(i.headline.as_deref(), Some("<b>Fog</b>"));
        assert_eq!(i.areas[0].polygons[0].points.len(), 4);
        assert_eq!(i.areas[0].circles[0].radius_km, 5.0);
        assert!(a.xml_signature, "the ds:Signature is noticed");
    }

    #[test]
    fn prefixed_namespace_and_open_polygon() {
        let xml = MINIMAL
            .replace("<alert xmlns=", "<c:alert xmlns:c=")
            .replace("</alert>", "</c:alert>");
        // The children are now unqualified (no namespace): they are not CAP elements.
        assert_eq!(
            parse(&xml).unwrap_err(),
            ParseError::Missing {
                element: "sent",
                parent: "alert"
            }
        );
        let mut n = 0;
        let p = parse_polygon("1,1 1,2 2,2", &mut n).unwrap();
        assert_eq!(p.points.len(), 4);
        assert!(parse_polygon("1,1 1,2", &mut n).is_err());
        assert!(parse_polygon("1,1 1,2 91,2", &mut n).is_err());
        assert!(parse_polygon("1,1 1,2 NaN,2", &mut n).is_err());
    }

    #[test]
    fn empty_geometry_elements_are_absent_geometry() {
        let xml = MINIMAL.replace(
            "<polygon>1,1 1,2 2,2 1,1</polygon><circle>10,20 5</circle>",
            "<polygon></polygon><polygon/><circle>  </circle>",
        );
        let a = parse(&xml).unwrap();
        let area = &a.infos[0].areas[0];
        assert!(area.polygons.is_empty() && area.circles.is_empty());
    }

    #[test]
    fn the_declared_encoding_is_found_before_decoding() {
        let label = |b: &[u8]| declared_label(b).map(|l| String::from_utf8_lossy(l).into_owned());
        assert_eq!(
            label(b"<?xml version='1.0' encoding = 'ISO-8859-1' ?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            label(b"<?xml version=\"1.0\"\n  encoding=\"windows-1252\"?>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(label(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(label(b"<alert/>"), None);
        assert_eq!(label(b"<?xmlfoo encoding=\"x\"?>"), None);
        assert_eq!(
            label(b"<?xml version=\"1.0\" encoding=\"x"),
            None,
            "unclosed"
        );
        // Past the bound, it is not looked for (the parser then refuses what it finds).
        let far = [
            b"<?xml".as_slice(),
            &[b' '; MAX_DECLARATION_BYTES],
            b"encoding=\"x\"?>",
        ]
        .concat();
        assert_eq!(label(&far), None);
        assert_eq!(encoding_for_label(" US-ASCII "), Some(UTF_8));
        assert_eq!(
            encoding_for_label("latin1").map(|e| e.name()),
            Some("windows-1252")
        );
    }

    #[test]
    fn references() {
        let r = parse_references("a,b,2003-01-01T00:00:00-00:00  c,d,e").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].identifier, "d");
        assert!(parse_references("a,b").is_err());
        assert!(parse_references("a,b,c,d").is_err());
    }
}
