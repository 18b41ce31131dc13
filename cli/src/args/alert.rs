//! The options of an alert (`alert send`, `alert update`, `report confirm`) and the
//! layers of the draft they make: command line over file over the alert an update
//! replaces. The draft, the alert file and the checks are `aviso_node::alert_draft`.

use std::path::PathBuf;

use anyhow::{Context, Result};
pub(crate) use aviso_node::alert_draft::{self, Draft, DraftOptions};
use aviso_protocol::{Alert, Category, Certainty, Id, MsgType, Severity, Status, Urgency};
use clap::Args;

use super::{
    category_parser, certainty_parser, read_input, severity_parser, status_parser, urgency_parser,
};

/// The options of an alert, shared by `send`, `update` and `report confirm`.
#[derive(Debug, Clone, Default, Args)]
pub struct AlertArgs {
    /// What it is about: the community's own categories first, then the CAP ones.
    #[arg(long, value_parser = category_parser())]
    pub category: Option<Category>,
    /// How bad.
    #[arg(long, value_parser = severity_parser())]
    pub severity: Option<Severity>,
    /// How soon to act [default: immediate].
    #[arg(long, value_parser = urgency_parser())]
    pub urgency: Option<Urgency>,
    /// How sure [default: observed].
    #[arg(long, value_parser = certainty_parser())]
    pub certainty: Option<Certainty>,
    /// Real, or a drill or test (shown labelled as such) [default: actual].
    #[arg(long, value_parser = status_parser())]
    pub status: Option<Status>,
    /// An area cell (geohash of 3 to 6 characters, e.g. 9q8yy). Repeat, or separate with commas.
    #[arg(long = "area", value_name = "CELL", value_delimiter = ',')]
    pub areas: Vec<String>,
    /// A public place description ("24th St BART"). Never a home address.
    #[arg(long, value_name = "TEXT")]
    pub place: Option<String>,
    /// When it starts or started: `now` or unix seconds.
    #[arg(long, value_name = "UNIX|now")]
    pub onset: Option<String>,
    /// How long it is shown: 30m, 6h, 2d ... at most 30d.
    #[arg(long, value_name = "DURATION")]
    pub expires: Option<String>,
    /// Language of a text block (BCP 47: en, es, es-MX, ht ...). Starts a block.
    #[arg(long, value_name = "TAG")]
    pub lang: Vec<String>,
    /// One line for notifications, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub headline: Vec<String>,
    /// What is happening, in the block's language.
    #[arg(long, visible_alias = "description", value_name = "TEXT")]
    pub text: Vec<String>,
    /// What to do, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub instruction: Vec<String>,
    /// Read the alert from a TOML or JSON file (see below).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A report this alert verifies. Repeatable.
    #[arg(long = "confirms", value_name = "REPORT_ID")]
    pub confirms: Vec<String>,
}

impl AlertArgs {
    /// The command-line layer of a draft.
    pub fn draft(&self, now: u64) -> Result<Draft> {
        let o = DraftOptions {
            category: self.category,
            severity: self.severity,
            urgency: self.urgency,
            certainty: self.certainty,
            status: self.status,
            areas: &self.areas,
            place: self.place.as_deref(),
            onset: self.onset.as_deref(),
            expires: self.expires.as_deref(),
            lang: &self.lang,
            headline: &self.headline,
            text: &self.text,
            instruction: &self.instruction,
            confirms: &self.confirms,
        };
        Ok(Draft::from_options(&o, now)?)
    }

    /// The file layer, if `--file` was given.
    pub fn file_draft(&self) -> Result<Draft> {
        match &self.file {
            None => Ok(Draft::default()),
            Some(path) => {
                let text = read_input(path)?;
                Draft::from_file_text(&text, path, aviso_node::unix_now())
                    .with_context(|| format!("in {}", path.display()))
            }
        }
    }
}

/// [`finish`], its error for people.
pub(crate) fn finish(
    d: Draft,
    msg_type: MsgType,
    references: Vec<Id>,
    confirms: Vec<Id>,
) -> Result<(Alert, u64)> {
    Ok(alert_draft::finish(d, msg_type, references, confirms)?)
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::limits::MAX_HEADLINE;
    use aviso_protocol::{Area, Info};
    use clap::Parser;
    use std::path::Path;

    const NOW: u64 = 1_750_000_000;

    #[derive(Debug, Parser)]
    struct T {
        #[command(flatten)]
        alert: AlertArgs,
    }

    fn parse(line: &str) -> Result<AlertArgs, clap::Error> {
        crate::args::tests::parse_words::<T>("send", line).map(|t| t.alert)
    }

    pub(crate) fn send_args(line: &str) -> AlertArgs {
        parse(line).unwrap()
    }

    pub(crate) fn build(line: &str) -> Result<(Alert, u64)> {
        send_args(line)
            .draft(NOW)
            .and_then(|d| finish(d, MsgType::Alert, vec![], vec![]))
    }

    fn build_err(line: &str) -> String {
        match build(line) {
            Ok(_) => panic!("accepted {line}"),
            Err(e) => format!("{e:#}"),
        }
    }

    const BASE: &str = "--category raid --severity severe --expires 6h";

    #[test]
    fn language_blocks_zip_by_position() {
        let a = send_args(
            "--lang en --headline Raid --text Agents --lang es --headline Redada --text Agentes",
        );
        let info = a.draft(NOW).unwrap().info.unwrap();
        assert_eq!(info.len(), 2);
        let es = Info {
            lang: "es".into(),
            headline: "Redada".into(),
            description: "Agentes".into(),
            instruction: String::new(),
        };
        assert_eq!(info[1], es);
        assert_eq!(info[0].description, "Agents");

        // Counts that do not line up are refused with a clear message.
        let e = |line: &str| send_args(line).draft(NOW).unwrap_err().to_string();
        let m = e("--lang en --lang es --headline Raid");
        assert!(m.contains("2 --lang but 1 --headline"), "{m}");
        let m = e("--lang en --headline A --lang es --headline B --text x");
        assert!(m.contains("2 language blocks but 1 --text"), "{m}");
        let m = e("--headline Raid");
        assert!(m.contains("put --lang TAG before it"), "{m}");
    }

    #[test]
    fn alert_from_args() {
        let (alert, ttl) = build(
            "--category raid --severity severe --area 9q8yy,9Q8YV --area 9q8yy \
             --place 24th_St_BART --onset now --expires 6h \
             --lang en --headline Agents_at_24th_St --instruction Stay_inside",
        )
        .unwrap();
        assert_eq!(ttl, 6 * 3600);
        assert_eq!(alert.category, Category::Raid);
        assert_eq!(alert.severity, Severity::Severe);
        assert_eq!(alert.urgency, Urgency::Immediate);
        assert_eq!(alert.certainty, Certainty::Observed);
        assert_eq!(alert.status, Status::Actual);
        let cells: Vec<&str> = alert.areas.iter().map(Area::as_str).collect();
        assert_eq!(cells, ["9q8yy", "9q8yv"]);
        assert_eq!(alert.area_desc.as_deref(), Some("24th St BART"));
        assert_eq!(alert.onset, Some(NOW));
        assert_eq!(alert.info[0].headline, "Agents at 24th St");
        assert_eq!(alert.info[0].instruction, "Stay inside");
        assert_eq!(alert.msg_type, MsgType::Alert);
    }

    #[test]
    fn alert_validation_errors_are_one_line_with_a_hint() {
        let with = |extra: &str| build_err(&format!("{BASE} --lang en --headline H {extra}"));
        assert!(with("").contains("missing --area"));
        assert!(with("--area 9q").contains("geohash of 3 to 6"));
        assert!(with("--area 9qa8y").contains("not a geohash"));
        let e = with("--area 9q8yy --lang en_US --headline x");
        assert!(e.contains("BCP 47"), "{e}");
        let e = with("--area 9q8yy --lang EN --headline x");
        assert!(e.contains("language EN is given twice"), "{e}");
        let long = "x".repeat(MAX_HEADLINE + 1);
        let e = build_err(&format!("{BASE} --area 9q8yy --lang es --headline {long}"));
        assert!(
            e.contains("the es headline is 257 bytes; the limit is 256"),
            "{e}"
        );
        let e = build_err(
            "--category raid --severity severe --expires 31d --area 9q8yy --lang es --headline H",
        );
        assert!(e.contains("at most 30 days"), "{e}");
        let e = build_err("--severity severe --expires 6h --area 9q8yy --lang es --headline H");
        assert!(e.contains("missing --category"), "{e}");
        let e = build_err("--category raid --severity severe --area 9q8yy --lang es --headline H");
        assert!(e.contains("missing --expires"), "{e}");
        let e = build_err(&format!("{BASE} --area 9q8yy"));
        assert!(e.contains("missing text"), "{e}");
        let e = build_err(&format!("{BASE} --area 9q8yy --lang en --headline _"));
        assert!(e.contains("headline is empty"), "{e}");
        for e in [with(""), with("--area 9q")] {
            assert!(!e.contains('\n'), "{e}");
        }
        // clap refuses unknown enum values and lists the allowed ones.
        let e = parse("--severity huge").unwrap_err().to_string();
        assert!(e.contains("extreme"), "{e}");
    }

    #[test]
    fn alert_from_json_and_command_line_wins() {
        let json = r#"{
            "category": "checkpoint", "severity": "moderate", "status": "exercise",
            "areas": ["9q8yy"], "onset": 1750000100, "expires": "2h",
            "info": [
                {"lang": "en", "headline": "Checkpoint drill", "text": "A drill"},
                {"lang": "ht", "headline": "Egzèsis"}
            ]
        }"#;
        let file = Draft::from_file_text(json, Path::new("a.json"), NOW).unwrap();
        let a = send_args("--severity severe --area 9q8yv");
        let d = a.draft(NOW).unwrap().over(file);
        let (alert, ttl) = finish(d, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(ttl, 7200);
        assert_eq!(alert.category, Category::Checkpoint);
        assert_eq!(alert.severity, Severity::Severe);
        assert_eq!(alert.status, Status::Exercise);
        assert_eq!(alert.areas, vec![Area::parse("9q8yv").unwrap()]);
        assert_eq!(alert.onset, Some(1_750_000_100));
        assert_eq!(alert.info[0].description, "A drill");
        assert_eq!(alert.info[1].lang, "ht");

        // Standard input: JSON when it starts with `{`, else TOML.
        assert!(Draft::from_file_text(json, Path::new("-"), NOW).is_ok());
        let toml = "category = \"raid\"\nexpires = \"1h\"";
        assert_eq!(
            Draft::from_file_text(toml, Path::new("-"), NOW)
                .unwrap()
                .ttl,
            Some(3600)
        );
        // A typo in a field name is an error, not silently ignored.
        let bad = "category = \"raid\"\nseverty = \"severe\"";
        let e = Draft::from_file_text(bad, Path::new("a.toml"), NOW).unwrap_err();
        assert!(e.to_string().contains("severty"), "{e}");
        let e =
            Draft::from_file_text(r#"{"severity": "huge"}"#, Path::new("a.json"), NOW).unwrap_err();
        assert!(e.to_string().contains("huge"), "{e}");
        let e = Draft::from_file_text("expires = \"soon\"", Path::new("a.toml"), NOW).unwrap_err();
        assert!(format!("{e:#}").contains("not a duration"), "{e:#}");
    }

    pub(crate) fn old_alert() -> Alert {
        build(
            "--category raid --severity moderate --area 9q8yy --expires 6h \
             --lang en --headline Old --text Old_text --instruction Old_todo \
             --lang es --headline Viejo --text Texto --instruction Hacer",
        )
        .unwrap()
        .0
    }

    fn update_draft(line: &str, old: &Alert, remaining: u64) -> Draft {
        let mut d = send_args(line)
            .draft(NOW)
            .unwrap()
            .over(Draft::from_alert(old, remaining));
        d.keep_old_texts(&old.info);
        d
    }

    #[test]
    fn update_copies_what_is_not_given() {
        let old = old_alert();
        let target = Id([9; 32]);
        let d = update_draft("--severity extreme", &old, 1000);
        let (new, ttl) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(ttl, 1000);
        assert_eq!(new.severity, Severity::Extreme);
        assert_eq!(new.category, Category::Raid);
        assert_eq!(new.info, old.info);
        assert_eq!(new.references, vec![target]);
        assert_eq!(new.msg_type, MsgType::Update);

        // New headlines keep the old texts of their language unless --text is given.
        let d = update_draft(
            "--lang es --headline Nuevo --lang en --headline New",
            &old,
            1000,
        );
        let (new, _) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(new.info[0].headline, "Nuevo");
        assert_eq!(new.info[0].description, "Texto");
        assert_eq!(new.info[1].instruction, "Old todo");
        let d = update_draft("--lang en --headline New --text New_text", &old, 1000);
        let (new, _) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(new.info.len(), 1);
        assert_eq!(new.info[0].description, "New text");
        assert_eq!(new.info[0].instruction, "Old todo");

        // An expired target gives no default expiry.
        let d = update_draft("--severity extreme", &old, 0);
        let e = finish(d, MsgType::Update, vec![target], vec![]).unwrap_err();
        assert!(e.to_string().contains("missing --expires"), "{e}");
    }
}
