//! Spotify's `fields` filter: `fields=snapshot_id`,
//! `fields=items(item(name,uri)),next`, `fields=tracks.items(track(name))`,
//! `fields=items(track(album(!images)))` (a `!` keeps everything but that key).

use serde_json::{Map, Value};

/// A parsed selection: the keys of one object level.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    entries: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    name: String,
    exclude: bool,
    sub: Option<Selection>,
}

/// Why a `fields` expression was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldsError(pub String);

impl Selection {
    /// Parses a `fields` expression.
    pub fn parse(expr: &str) -> Result<Selection, FieldsError> {
        let chars: Vec<char> = expr.chars().collect();
        let mut pos = 0;
        let sel = parse_list(&chars, &mut pos)?;
        if pos != chars.len() {
            return Err(FieldsError(format!("unexpected '{}'", chars[pos])));
        }
        Ok(sel)
    }

    /// Applies the selection to a response body: objects keep the selected
    /// keys (or all but the excluded ones), arrays are filtered element-wise.
    pub fn apply(&self, v: Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.into_iter().map(|i| self.apply(i)).collect()),
            Value::Object(obj) => Value::Object(self.apply_object(obj)),
            other => other,
        }
    }

    fn apply_object(&self, obj: Map<String, Value>) -> Map<String, Value> {
        let excluding = self.entries.iter().any(|f| f.exclude);
        let mut out = Map::new();
        for (k, v) in obj {
            let field = self.entries.iter().find(|f| f.name == k);
            match field {
                Some(f) if f.exclude => {}
                Some(f) => {
                    let v = match &f.sub {
                        Some(sub) => sub.apply(v),
                        None => v,
                    };
                    out.insert(k, v);
                }
                None if excluding => {
                    out.insert(k, v);
                }
                None => {}
            }
        }
        out
    }

    fn push(&mut self, f: Field) {
        match self.entries.iter_mut().find(|e| e.name == f.name) {
            // `a(b),a(c)` selects both; a plain `a` selects all of it.
            Some(e) => match (&mut e.sub, f.sub) {
                (Some(mine), Some(theirs)) => {
                    for t in theirs.entries {
                        mine.push(t);
                    }
                }
                (mine, _) => *mine = None,
            },
            None => self.entries.push(f),
        }
    }
}

fn parse_list(chars: &[char], pos: &mut usize) -> Result<Selection, FieldsError> {
    let mut sel = Selection::default();
    loop {
        sel.push(parse_field(chars, pos)?);
        if chars.get(*pos) == Some(&',') {
            *pos += 1;
        } else {
            return Ok(sel);
        }
    }
}

fn parse_field(chars: &[char], pos: &mut usize) -> Result<Field, FieldsError> {
    let exclude = chars.get(*pos) == Some(&'!');
    if exclude {
        *pos += 1;
    }
    let start = *pos;
    while let Some(c) = chars.get(*pos) {
        if matches!(c, ',' | '(' | ')' | '.' | '!') || c.is_whitespace() {
            break;
        }
        *pos += 1;
    }
    if *pos == start {
        return Err(FieldsError("empty field name".into()));
    }
    let name: String = chars[start..*pos].iter().collect();
    let sub = match chars.get(*pos) {
        Some('.') => {
            *pos += 1;
            let mut s = Selection::default();
            s.push(parse_field(chars, pos)?);
            Some(s)
        }
        Some('(') => {
            *pos += 1;
            let s = parse_list(chars, pos)?;
            if chars.get(*pos) != Some(&')') {
                return Err(FieldsError("unclosed '('".into()));
            }
            *pos += 1;
            Some(s)
        }
        _ => None,
    };
    if exclude && sub.is_some() {
        return Err(FieldsError(format!("cannot exclude and select in {name}")));
    }
    Ok(Field { name, exclude, sub })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, v: Value) -> Value {
        Selection::parse(expr).expect("parses").apply(v)
    }

    #[test]
    fn selects_nested_keys() {
        let v = json!({
            "snapshot_id": "s", "name": "n", "next": null,
            "items": [{"added_at": "t", "item": {"name": "a", "uri": "u", "id": "i"}}],
            "tracks": {"total": 1, "items": [{"track": {"name": "a", "id": "i"}}]},
        });
        assert_eq!(run("snapshot_id", v.clone()), json!({"snapshot_id": "s"}));
        assert_eq!(
            run("items(item(name,uri)),next", v.clone()),
            json!({"next": null, "items": [{"item": {"name": "a", "uri": "u"}}]})
        );
        assert_eq!(
            run("tracks.items(track(name))", v.clone()),
            json!({"tracks": {"items": [{"track": {"name": "a"}}]}})
        );
        assert_eq!(
            run("items(item(!id,!uri))", v),
            json!({"items": [{"item": {"name": "a"}}]})
        );
    }

    #[test]
    fn refuses_broken_expressions() {
        for bad in ["", "a(", "a(b", "a,,b", "a)", "!a(b)", "a.", "(a)"] {
            assert!(Selection::parse(bad).is_err(), "{bad:?} should fail");
        }
    }
}
