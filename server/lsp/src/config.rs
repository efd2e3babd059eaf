//! Settings from the client (`initializationOptions`, `workspace/configuration`,
//! `workspace/didChangeConfiguration`) → the core's [`Config`].
//!
//! Accepted shapes: `{"locale": "en", "rules": {"total-mismatch": "off"}}`, the same under a
//! `"baocao"` key, or flat dotted keys (`{"baocao.locale": "en"}`). A malformed value never
//! stops the server: it is reported as a warning and the default is kept.

use baocao_core::{Config, Locale, RuleCode, RuleSetting, Severity};
use serde_json::Value;

/// Parses settings; returns the configuration and the problems found (in Vietnamese and English).
pub fn parse(value: &Value) -> (Config, Vec<String>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    let root = match value {
        Value::Null => return (config, problems),
        Value::Object(map) => match map.get("baocao") {
            Some(inner @ Value::Object(_)) => inner.clone(),
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
                problems.push(format!("baocao.locale: “{locale}” không hợp lệ, dùng “vi” hoặc “en” / invalid locale, use \"vi\" or \"en\""))
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
    (config, problems)
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
    }
}
