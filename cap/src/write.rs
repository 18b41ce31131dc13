//! Writing a [`CapAlert`] as CAP 1.2 XML, elements in the order the schema requires.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::model::*;

/// The message as a CAP 1.2 XML document (UTF-8, two-space indentation).
pub fn write(alert: &CapAlert) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_alert(&mut w, alert).expect("writing XML into a Vec<u8> cannot fail");
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).expect("the writer only writes the UTF-8 text it is given")
}

type W = Writer<Vec<u8>>;

/// Escape text content. Beyond `&`, `<` and `>`: a carriage return is written as a
/// character reference so it survives line-end normalisation, and characters XML 1.0
/// cannot carry at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::from_escaped(escape(value)))?;
    Ok(())
}

fn opt(w: &mut W, name: &str, value: &Option<String>) -> io::Result<()> {
    match value {
        Some(v) => text(w, name, v),
        None => Ok(()),
    }
}

fn pairs(w: &mut W, name: &str, pairs: &[ValuePair]) -> io::Result<()> {
    for p in pairs {
        w.create_element(name).write_inner_content(|w| {
            text(w, "valueName", &p.name)?;
            text(w, "value", &p.value)
        })?;
    }
    Ok(())
}

fn write_alert(w: &mut W, a: &CapAlert) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("alert")
        .with_attribute(("xmlns", CAP_1_2_NS))
        .write_inner_content(|w| {
            text(w, "identifier", &a.identifier)?;
            text(w, "sender", &a.sender)?;
            text(w, "sent", &a.sent.to_string())?;
            text(w, "status", a.status.as_str())?;
            text(w, "msgType", a.msg_type.as_str())?;
            opt(w, "source", &a.source)?;
            text(w, "scope", a.scope.as_str())?;
            opt(w, "restriction", &a.restriction)?;
            opt(w, "addresses", &a.addresses)?;
            for c in &a.codes {
                text(w, "code", c)?;
            }
            opt(w, "note", &a.note)?;
            if !a.references.is_empty() {
                let refs: Vec<String> = a
                    .references
                    .iter()
                    .map(|r| format!("{},{},{}", r.sender, r.identifier, r.sent))
                    .collect();
                text(w, "references", &refs.join(" "))?;
            }
            opt(w, "incidents", &a.incidents)?;
            for i in &a.infos {
                write_info(w, i)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_info(w: &mut W, i: &CapInfo) -> io::Result<()> {
    w.create_element("info").write_inner_content(|w| {
        opt(w, "language", &i.language)?;
        for c in &i.categories {
            text(w, "category", c.as_str())?;
        }
        text(w, "event", &i.event)?;
        for r in &i.response_types {
            text(w, "responseType", r.as_str())?;
        }
        text(w, "urgency", urgency_str(i.urgency))?;
        text(w, "severity", severity_str(i.severity))?;
        text(w, "certainty", certainty_str(i.certainty))?;
        opt(w, "audience", &i.audience)?;
        pairs(w, "eventCode", &i.event_codes)?;
        for (name, t) in [
            ("effective", i.effective),
            ("onset", i.onset),
            ("expires", i.expires),
        ] {
            if let Some(t) = t {
                text(w, name, &t.to_string())?;
            }
        }
        opt(w, "senderName", &i.sender_name)?;
        opt(w, "headline", &i.headline)?;
        opt(w, "description", &i.description)?;
        opt(w, "instruction", &i.instruction)?;
        opt(w, "web", &i.web)?;
        opt(w, "contact", &i.contact)?;
        pairs(w, "parameter", &i.parameters)?;
        // Resources are not written: only their descriptions are read, and the schema
        // requires a MIME type we would have to invent.
        for a in &i.areas {
            write_area(w, a)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_area(w: &mut W, a: &CapArea) -> io::Result<()> {
    w.create_element("area").write_inner_content(|w| {
        text(w, "areaDesc", &a.area_desc)?;
        for p in &a.polygons {
            let pts: Vec<String> = p
                .points
                .iter()
                .map(|p| format!("{},{}", p.lat, p.lon))
                .collect();
            text(w, "polygon", &pts.join(" "))?;
        }
        for c in &a.circles {
            text(
                w,
                "circle",
                &format!("{},{} {}", c.centre.lat, c.centre.lon, c.radius_km),
            )?;
        }
        pairs(w, "geocode", &a.geocodes)?;
        opt(w, "altitude", &a.altitude)?;
        opt(w, "ceiling", &a.ceiling)?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_xml_cannot_carry() {
        assert_eq!(
            escape("a<b>&c\r\n\t\u{7}\u{FFFF}é"),
            "a&lt;b&gt;&amp;c&#xD;\n\t\u{FFFD}\u{FFFD}é"
        );
    }
}
