//! Settings from the client (`initializationOptions`, `workspace/configuration`,
//! `workspace/didChangeConfiguration`) → the core's [`Config`].
//!
//! Accepted shapes: `{"locale": "en", "rules": {"total-mismatch": "off"}}`, the same under a
//! `"baocao"` key, or flat dotted keys (`{"baocao.locale": "en"}`). A malformed value never
//! stops the server: it is reported as a warning and the default is kept.
//! House style: `{"style": {"toneMarks": "new", "dateStyle": "slash"}, "abbreviations":
//! {"allowed": ["UBND", "HĐND", "MTTQ"]}}` (kebab-case keys as in `.baocao.toml` also accepted).

use baocao_core::{Config, DateSeparator, Locale, RuleCode, RuleSetting, Severity, ToneMarks};
use serde_json::Value;

/// Parses settings; returns the configuration and the problems found (in Vietnamese and English).
pub fn parse(value: &Value) -> (Config, Vec<String>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let root = match value {
        Value::Null => return (config, problems),
        Value::Object(map) => match map.get("baocao") {
            Some(inner @ Value::Object(_)) => inner.clone(),
            // An empty Lua table is sent as `[]` (Neovim's `settings = { baocao = {} }`): nothing set.
            Some(Value::Array(items)) if items.is_empty() => Value::Object(serde_json::Map::new()),
            Some(Value::Null) | None => {
                // Flat dotted keys.
                let mut flat = serde_json::Map::new();
                for (key, v) in map {
                    let key = key.strip_prefix("baocao.").unwrap_or(key);
                    flat.insert(key.to_string(), v.clone());
                }
                Value::Object(flat)
            }
            Some(other) => {
                problems
                    .push(format!("Thiết lập “baocao” phải là một đối tượng JSON, nhận được {other} / setting “baocao” must be an object"));
                return (config, problems);
            }
        },
        other => {
            problems.push(format!("Thiết lập phải là một đối tượng JSON, nhận được {other} / settings must be a JSON object"));
            return (config, problems);
        }
    };
    if let Some(locale) = root.get("locale") {
        match locale.as_str().and_then(Locale::parse) {
            Some(l) => config.locale = l,
            None => {
                let shown = locale.as_str().map_or_else(|| locale.to_string(), str::to_string);
                problems.push(format!("baocao.locale: “{shown}” không hợp lệ, dùng “vi” hoặc “en” / invalid locale, use \"vi\" or \"en\""))
            }
        }
    }
    if let Some(rules) = root.get("rules") {
        match rules {
            Value::Object(map) => {
                for (code, setting) in map {
                    let Some(rule) = RuleCode::parse(code) else {
                        problems.push(format!("baocao.rules: không có quy tắc “{code}” / unknown rule “{code}”"));
                        continue;
                    };
                    let parsed = match setting {
                        Value::Bool(false) => Some(RuleSetting::Off),
                        Value::Bool(true) => Some(RuleSetting::Severity(rule.default_severity())),
                        Value::String(s) if s.eq_ignore_ascii_case("off") || s.eq_ignore_ascii_case("none") => Some(RuleSetting::Off),
                        Value::String(s) => Severity::parse(s).map(RuleSetting::Severity),
                        _ => None,
                    };
                    match parsed {
                        Some(p) => {
                            config.rules.insert(rule, p);
                        }
                        None => problems.push(format!(
                            "baocao.rules.{code}: “{setting}” không hợp lệ, dùng off, error, warning, information hoặc hint / invalid value"
                        )),
                    }
                }
            }
            Value::Null => {}
            other => problems.push(format!("baocao.rules phải là một đối tượng, nhận được {other} / baocao.rules must be an object")),
        }
    }
    parse_style(&root, &mut config, &mut problems);
    (config, problems)
}

/// Reads `key` of an object under its camelCase or kebab-case spelling.
fn field<'a>(object: &'a Value, camel: &str, kebab: &str) -> Option<&'a Value> {
    object.get(camel).or_else(|| object.get(kebab)).filter(|v| !v.is_null())
}

/// `style.toneMarks`, `style.dateStyle`, `abbreviations.allowed`.
fn parse_style(root: &Value, config: &mut Config, problems: &mut Vec<String>) {
    if let Some(style) = root.get("style").filter(|v| !v.is_null()) {
        if !style.is_object() {
            problems.push(format!("baocao.style phải là một đối tượng, nhận được {style} / baocao.style must be an object"));
        }
        if let Some(value) = field(style, "toneMarks", "tone-marks") {
            match value.as_str().and_then(ToneMarks::parse) {
                Some(t) => config.tone_marks = t,
                None => problems.push(format!(
                    "baocao.style.toneMarks: “{value}” không hợp lệ, dùng old, new hoặc majority / invalid, use old, new or majority"
                )),
            }
        }
        if let Some(value) = field(style, "dateStyle", "date-style") {
            match value.as_str().and_then(DateSeparator::parse) {
                Some(d) => config.date_separator = d,
                None => problems.push(format!(
                    "baocao.style.dateStyle: “{value}” không hợp lệ, dùng slash, hyphen, dot hoặc majority / invalid, use slash, hyphen, dot or majority"
                )),
            }
        }
    }
    if let Some(abbreviations) = root.get("abbreviations").filter(|v| !v.is_null()) {
        match abbreviations.get("allowed").filter(|v| !v.is_null()) {
            Some(Value::Array(list)) => {
                let names: Vec<String> = list.iter().filter_map(Value::as_str).map(|s| s.trim().to_string()).collect();
                if names.len() == list.len() {
                    config.allowed_abbreviations = Some(names);
                } else {
                    problems.push("baocao.abbreviations.allowed: mỗi mục phải là một chuỗi / every item must be a string".to_string());
                }
            }
            Some(other) => problems.push(format!(
                "baocao.abbreviations.allowed phải là một danh sách, nhận được {other} / baocao.abbreviations.allowed must be a list"
            )),
            None => {}
        }
    }
}

/// `base` with `over` laid on top, key by key (objects merge, anything else is replaced):
/// LSP settings over the project file.
pub fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (key, value) in o {
                let merged = match out.get(key) {
                    Some(existing) => merge(existing, value),
                    None => value.clone(),
                };
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        (_, Value::Null) => base.clone(),
        (_, other) => other.clone(),
    }
}

/// Settings in the nested shape (`{"locale": …}`), whatever shape the client sent, so they can
/// be merged with the project file's.
pub fn normalise(value: &Value) -> Value {
    match value {
        Value::Object(map) => match map.get("baocao") {
            Some(inner @ Value::Object(_)) => inner.clone(),
            // An empty Lua table is sent as `[]`: nothing set.
            Some(Value::Array(items)) if items.is_empty() => Value::Object(serde_json::Map::new()),
            Some(Value::Null) | None => {
                let mut nested = serde_json::Map::new();
                for (key, v) in map {
                    nested.insert(key.strip_prefix("baocao.").unwrap_or(key).to_string(), v.clone());
                }
                Value::Object(nested)
            }
            Some(_) => value.clone(),
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_flat_and_malformed_settings() {
        let (c, p) = parse(&json!({"baocao": {"locale": "en", "rules": {"total-mismatch": "error", "count-mismatch": "off"}}}));
        assert!(p.is_empty());
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.rules.get(&RuleCode::TotalMismatch), Some(&RuleSetting::Severity(Severity::Error)));
        assert_eq!(c.rules.get(&RuleCode::CountMismatch), Some(&RuleSetting::Off));
        let (c, _) = parse(&json!({"baocao.locale": "en"}));
        assert_eq!(c.locale, Locale::En);
        let (c, p) = parse(&json!({"locale": 3, "rules": {"nope": "off", "total-mismatch": 7}}));
        assert_eq!(c, Config::default());
        assert_eq!(p.len(), 3);
        let (_, p) = parse(&json!("hello"));
        assert_eq!(p.len(), 1);
        // Neovim sends an empty Lua table as an empty array: nothing set, nothing to report.
        let (c, p) = parse(&json!({"baocao": []}));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c, Config::default());
        assert_eq!(normalise(&json!({"baocao": []})), json!({}));
    }

    #[test]
    fn house_style_settings_and_merging() {
        let (c, p) = parse(&json!({"style": {"toneMarks": "new", "date-style": "dot"}, "abbreviations": {"allowed": ["BCH"]}}));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.tone_marks, ToneMarks::New);
        assert_eq!(c.date_separator, DateSeparator::Dot);
        assert!(c.abbreviation_allowed("BCH") && !c.abbreviation_allowed("UBND"));
        let (_, p) = parse(&json!({"style": {"toneMarks": "sideways"}, "abbreviations": {"allowed": "BCH"}}));
        assert_eq!(p.len(), 2);
        let project = json!({"locale": "en", "rules": {"total-mismatch": "off", "count-mismatch": "error"}});
        let client = normalise(&json!({"baocao": {"rules": {"total-mismatch": "warning"}}}));
        let (c, _) = parse(&merge(&project, &client));
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.rules.get(&RuleCode::TotalMismatch), Some(&RuleSetting::Severity(Severity::Warning)));
        assert_eq!(c.rules.get(&RuleCode::CountMismatch), Some(&RuleSetting::Severity(Severity::Error)));
    }
}
