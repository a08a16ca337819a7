//! Spotify's `fields` filter: `fields=snapshot_id`,
//! `fields=items(item(name,uri)),next`, `fields=tracks.items(track(name))`,
//! `fields=items(track(album(!images)))` (a `!` keeps everything but that key).

use serde::Serialize;

mod serializer;

pub use serializer::Filtered;

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

    /// `value` as it serialises with only the selected keys: objects keep the
    /// selected keys (or all but the excluded ones), arrays are filtered
    /// element-wise. The filter runs while serialising, so no `Value` tree
    /// is built for a typed body.
    pub fn wrap<'a, T: Serialize + ?Sized>(&'a self, value: &'a T) -> Filtered<'a, T> {
        Filtered { sel: self, value }
    }

    /// What happens to the key `name` at this level: dropped (`None`), kept
    /// whole (`Some(None)`) or kept and filtered (`Some(Some(sub))`).
    fn decide(&self, name: &str) -> Option<Option<&Selection>> {
        match self.entries.iter().find(|f| f.name == name) {
            Some(f) if f.exclude => None,
            Some(f) => Some(f.sub.as_ref()),
            None if self.entries.iter().any(|f| f.exclude) => Some(None),
            None => None,
        }
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
    use serde_json::{Value, json};

    fn run(expr: &str, v: Value) -> Value {
        let sel = Selection::parse(expr).expect("parses");
        serde_json::to_value(sel.wrap(&v)).expect("serialises")
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

    #[derive(Serialize)]
    struct Album {
        name: &'static str,
        images: Vec<u32>,
    }

    #[derive(Serialize)]
    struct Track {
        name: &'static str,
        id: Option<&'static str>,
        artists: [Album; 1],
        album: Option<Album>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<u8>,
    }

    /// A typed body filters exactly as its `Value` tree does.
    #[test]
    fn typed_bodies_filter_like_trees() {
        let t = || Track {
            name: "n",
            id: Some("i"),
            artists: [Album {
                name: "a",
                images: vec![1],
            }],
            album: Some(Album {
                name: "b",
                images: vec![2, 3],
            }),
            gone: None,
        };
        let typed = vec![t(), t()];
        let tree = serde_json::to_value(&typed).expect("tree");
        for expr in [
            "name",
            "name,artists(name),album(name)",
            "album(!images),id",
            "!album",
            "artists",
            "gone,name",
            "nothing",
        ] {
            let sel = Selection::parse(expr).expect("parses");
            let a = serde_json::to_value(sel.wrap(&typed)).expect("typed");
            let b = serde_json::to_value(sel.wrap(&tree)).expect("tree");
            assert_eq!(a, b, "{expr}");
            let text = serde_json::to_string(&sel.wrap(&typed)).expect("text");
            assert_eq!(
                serde_json::from_str::<Value>(&text).expect("json"),
                a,
                "{expr}"
            );
        }
        let sel = Selection::parse("name,album(name)").expect("parses");
        assert_eq!(
            serde_json::to_value(sel.wrap(&typed[0])).expect("typed"),
            json!({"name": "n", "album": {"name": "b"}})
        );
    }

    #[test]
    fn refuses_broken_expressions() {
        for bad in ["", "a(", "a(b", "a,,b", "a)", "!a(b)", "a.", "(a)"] {
            assert!(Selection::parse(bad).is_err(), "{bad:?} should fail");
        }
    }
}
