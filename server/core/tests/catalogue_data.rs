//! Keeps the bundled catalogue (`server/core/data/directives.json`) honest: every entry and every
//! relation sourced, no source from a mirror, staging site or aggregator, every "replaced by" /
//! "replaces" / "amended by" target present in the catalogue and recorded both ways, real dates in
//! a sensible order, and symbols written in their canonical form (docs/catalogue.md).

use baocao_core::catalogue::BUNDLED_JSON;
use baocao_core::citations::date::Date;
use baocao_core::citations::symbol::parse_symbol;
use serde_json::Value;

/// Hosts that are not a source of record: staging and test copies, "lite" mirrors, news
/// aggregators, document-sharing sites, blogs and machine-translated republishers. Matched
/// against the host name: a pattern ending in '.' is a prefix, one starting with '.' a suffix,
/// anything else the whole host or one of its parents.
const BLOCKED_HOSTS: &[&str] = &[
    // staging, test and development copies
    "uat-",
    "uat.",
    "staging.",
    "staging-",
    "beta.",
    "beta-",
    "test.",
    "dev.",
    // "lite" and AMP mirrors
    "lite.",
    "amp.",
    // news aggregators and republishers
    "baomoi.com",
    "baomoi.net.vn",
    "vietnam.vn",
    "vietbao.vn",
    "24h.com.vn",
    "tintuc.vn",
    // document-sharing and download sites
    "123docz.net",
    "123doc.net",
    "tailieu.vn",
    "tailieunhanh.com",
    "tailieumienphi.vn",
    "scribd.com",
    "violet.vn",
    "hoatieu.vn",
    "download.vn",
    // mirrors of the legal databases kept by software vendors and blogs
    "vbpl.ts24.com.vn",
    "tracuuphapluat.net",
    // blogs and company pages
    ".blogspot.com",
    "tranvuthanhhuy.net",
    "runsystem.net",
];

fn host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

fn blocked(host: &str) -> Option<&'static str> {
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    BLOCKED_HOSTS.iter().copied().find(|pattern| {
        if pattern.ends_with('.') || pattern.ends_with('-') {
            host.starts_with(pattern)
        } else if pattern.starts_with('.') {
            host.ends_with(pattern)
        } else {
            host == *pattern || host.ends_with(&format!(".{pattern}"))
        }
    })
}

fn entries() -> Vec<Value> {
    let data: Value = match serde_json::from_str(BUNDLED_JSON) {
        Ok(v) => v,
        Err(e) => panic!("bundled catalogue is not JSON: {e}"),
    };
    data["entries"].as_array().cloned().unwrap_or_default()
}

fn text<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v[field].as_str().filter(|s| !s.is_empty())
}

fn relations<'a>(e: &'a Value, field: &str) -> Vec<&'a Value> {
    e[field].as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

/// Every URL an entry takes facts from: its sources and the sources of its relations. (Where a
/// misspelling or a contradicting claim was seen, `observed_variants` and `conflicting_claims`,
/// is evidence of what drafters write, not a source of facts, and may be any page.)
fn urls(e: &Value) -> Vec<String> {
    let mut out: Vec<String> = e["sources"].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect();
    for field in ["replaces", "replaced_by", "amended_by"] {
        for r in relations(e, field) {
            if let Some(s) = text(r, "source") {
                out.push(s.to_string());
            }
        }
    }
    out
}

#[test]
fn the_blocklist_matches_what_it_should() {
    assert_eq!(blocked("uat-raovat.thuviennhadat.vn"), Some("uat-"));
    assert_eq!(blocked("lite.baomoi.com"), Some("lite."));
    assert_eq!(blocked("beta-hn.tek4tv.vn"), Some("beta-"));
    assert_eq!(blocked("chiuychibo.blogspot.com"), Some(".blogspot.com"));
    assert_eq!(blocked("vjs.vietnam.vn"), Some("vietnam.vn"));
    assert_eq!(blocked("www.scribd.com"), Some("scribd.com"));
    assert_eq!(blocked("tchanhpb.violet.vn"), Some("violet.vn"));
    // A software vendor's help-desk copy of the legal database, and a blog re-posting decrees.
    assert_eq!(blocked("vbpl.ts24.com.vn"), Some("vbpl.ts24.com.vn"));
    assert_eq!(blocked("tracuuphapluat.net"), Some("tracuuphapluat.net"));
    // Sources of record and papers of record pass.
    for ok in ["vanban.chinhphu.vn", "tulieuvankien.dangcongsan.vn", "vbpl.vn", "nhandan.vn", "www.quanlynhanuoc.vn", "baochinhphu.vn"] {
        assert_eq!(blocked(ok), None, "{ok}");
    }
    // "vietnam.vn" as a parent only: a host that merely ends in those letters is not it.
    assert_eq!(blocked("tuyengiao-vietnam.vn"), None);
}

#[test]
fn every_entry_has_a_source_and_none_from_a_blocked_host() {
    let entries = entries();
    assert!(entries.len() >= 95, "only {} entries", entries.len());
    for e in &entries {
        let id = text(e, "id").unwrap_or("?");
        let sources = e["sources"].as_array().map_or(0, Vec::len);
        assert!(sources > 0, "{id}: no source");
        for url in urls(e) {
            let Some(h) = host(&url) else { panic!("{id}: {url:?} is not an http(s) URL") };
            assert_eq!(blocked(h), None, "{id}: {url} is a mirror, staging site or aggregator");
        }
    }
}

#[test]
fn dates_are_real_and_relations_are_in_order() {
    for e in &entries() {
        let id = text(e, "id").unwrap_or("?");
        let date = text(e, "issue_date").map(|d| Date::parse_iso(d).unwrap_or_else(|| panic!("{id}: issue_date {d:?}")));
        if let Some(d) = date {
            assert!((1945..=2026).contains(&d.year), "{id}: year {}", d.year);
        }
        for field in ["replaces", "replaced_by", "amended_by"] {
            for r in relations(e, field) {
                let other = text(r, "issue_date").map(|d| Date::parse_iso(d).unwrap_or_else(|| panic!("{id}: {field} date {d:?}")));
                let (Some(mine), Some(theirs)) = (date, other) else { continue };
                let in_order = if field == "replaces" { theirs.days() <= mine.days() } else { mine.days() <= theirs.days() };
                assert!(in_order, "{id}: {field} {} is dated {} against {}", r["number_symbol"], theirs.iso(), mine.iso());
            }
        }
    }
}

#[test]
fn symbols_are_canonical_and_ids_unique() {
    let mut ids = std::collections::HashSet::new();
    for e in &entries() {
        let id = text(e, "id").unwrap_or("?");
        assert!(ids.insert(id.to_string()), "{id}: duplicate id");
        let written = text(e, "number_symbol").unwrap_or("");
        let Some(symbol) = parse_symbol(written) else { panic!("{id}: {written:?} is not a number-symbol") };
        // One-group symbols ("240/QĐ", old state practice) have no other spelling to compare with.
        if symbol.groups.len() >= 2 {
            assert_eq!(symbol.standard(), written, "{id}: write the canonical form");
        }
        for field in ["replaces", "replaced_by", "amended_by"] {
            for r in relations(e, field) {
                let other = text(r, "number_symbol").unwrap_or("");
                let parsed = parse_symbol(other).map(|s| s.standard());
                assert_eq!(parsed.as_deref(), Some(other), "{id}: {field} {other:?} is not canonical");
            }
        }
    }
}

/// A relation names a document of the catalogue (same symbol, and the same date when the
/// relation gives one), and the other document records it back: "replaced by" ↔ "replaces".
#[test]
fn relation_targets_are_catalogued_and_recorded_both_ways() {
    let entries = entries();
    let find = |symbol: &str, date: Option<&str>| {
        entries.iter().find(|e| text(e, "number_symbol") == Some(symbol) && (date.is_none() || text(e, "issue_date") == date))
    };
    for e in &entries {
        let id = text(e, "id").unwrap_or("?");
        let mine = (text(e, "number_symbol").unwrap_or(""), text(e, "issue_date"));
        for (field, back) in [("replaces", Some("replaced_by")), ("replaced_by", Some("replaces")), ("amended_by", None)] {
            for r in relations(e, field) {
                let symbol = text(r, "number_symbol").unwrap_or("");
                let Some(target) = find(symbol, text(r, "issue_date")) else {
                    panic!("{id}: {field} {symbol} {:?} is not in the catalogue", text(r, "issue_date"))
                };
                let Some(back) = back else { continue };
                let recorded = relations(target, back).iter().any(|b| {
                    text(b, "number_symbol") == Some(mine.0) && (text(b, "issue_date").is_none() || text(b, "issue_date") == mine.1)
                });
                assert!(recorded, "{id}: {field} {symbol}, but {symbol} does not list it under {back}");
            }
        }
    }
}

/// The day a document took effect is a real date, not before it was issued, and a relation that
/// records it agrees with the target's own entry.
#[test]
fn in_force_dates_are_real_and_agree_with_their_entries() {
    let entries = entries();
    let parse = |id: &str, what: &str, v: Option<&str>| v.map(|d| Date::parse_iso(d).unwrap_or_else(|| panic!("{id}: {what} {d:?}")));
    for e in &entries {
        let id = text(e, "id").unwrap_or("?");
        let issued = parse(id, "issue_date", text(e, "issue_date"));
        let in_force = parse(id, "in_force", text(e, "in_force"));
        if let (Some(i), Some(f)) = (issued, in_force) {
            assert!(i.days() <= f.days(), "{id}: in force {} before issued {}", f.iso(), i.iso());
        }
        for field in ["replaces", "replaced_by", "amended_by"] {
            for r in relations(e, field) {
                let symbol = text(r, "number_symbol").unwrap_or("");
                let Some(theirs) = parse(id, "relation in_force", text(r, "in_force")) else { continue };
                let target = entries.iter().find(|t| {
                    text(t, "number_symbol") == Some(symbol)
                        && (text(r, "issue_date").is_none() || text(t, "issue_date") == text(r, "issue_date"))
                });
                let recorded = target.and_then(|t| parse(id, "target in_force", text(t, "in_force")));
                assert!(
                    recorded.is_none_or(|d| d == theirs),
                    "{id}: {field} {symbol} in force {} but its entry says {recorded:?}",
                    theirs.iso()
                );
            }
        }
    }
}
