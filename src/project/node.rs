//! A generic YAML value tree with line numbers: what compose files are read into before we pick the keys we need.

use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;

/// A mapping's entries in document order, under a fast hash (a project has thousands of keys).
pub type NodeMap = IndexMap<String, Node, foldhash::fast::RandomState>;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Spanned, Tagged};

use super::substitution::Substitution;

/// One YAML node: its value, the file and 1-based line it comes from (when known) and, once interpolated, how its
/// text was computed. Nodes keep their file through merges, so a merged value still says where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub file: Option<Arc<Path>>,
    pub line: Option<usize>,
    /// compose's merge tags: `!reset` drops the inherited value, `!override` replaces it instead of merging.
    pub tag: Option<MergeTag>,
    /// Set by interpolation when the text held at least one `${VAR}` or `$VAR`.
    pub substitution: Option<Box<Substitution>>,
}

/// The value of a node. Non-string scalars keep the text compose would give them (`1.0` -> `1`, `0x1F` -> `31`),
/// since everything we read from them is a string; they are never interpolated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Str(String),
    Scalar(String),
    Seq(Vec<Node>),
    Map(NodeMap),
}

/// The compose merge tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MergeTag {
    Reset,
    Override,
}

impl Node {
    /// A node built in code (no position).
    pub fn new(value: Value) -> Node {
        Node { value, file: None, line: None, tag: None, substitution: None }
    }

    /// A node built in code that stands where `origin` stands (same file and line).
    pub fn like(origin: &Node, value: Value) -> Node {
        Node { value, file: origin.file.clone(), line: origin.line, tag: None, substitution: None }
    }

    /// Marks this node and everything under it as coming from `file`.
    pub fn set_file(&mut self, file: &Arc<Path>) {
        self.file = Some(Arc::clone(file));
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.set_file(file)),
            Value::Map(map) => map.values_mut().for_each(|n| n.set_file(file)),
            _ => {}
        }
    }

    /// True when both trees hold the same values, wherever they were written.
    pub fn same_content(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Seq(a), Value::Seq(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_content(y)),
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| x.same_content(y)))
            }
            (a, b) => a == b,
        }
    }

    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(map) => map.get(key),
            _ => None,
        }
    }

    /// The mapping entries, or `None` for any other kind of node.
    pub fn as_map(&self) -> Option<&NodeMap> {
        match &self.value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The sequence items, or `None` for any other kind of node.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The text of a scalar (strings and non-string scalars alike); `None` for null, sequences and mappings.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) | Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// True for `null`, `~` and empty values.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The node as JSON: scalars that YAML typed (numbers, booleans) keep their type.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Str(text) => Json::String(text.clone()),
            Value::Scalar(text) => serde_json::from_str::<Json>(text)
                .ok()
                .filter(|v| v.is_number() || v.is_boolean())
                .unwrap_or_else(|| Json::String(text.clone())),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(map) => Json::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    /// `true` for the YAML true literal (or the string "true"), as compose reads booleans.
    pub fn is_true(&self) -> bool {
        self.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Tagged<Value>>::deserialize(deserializer)?;
        // `defined`: for an alias or a merge key, where the text is written (what an editor of the value must change).
        let line = usize::try_from(spanned.defined.line()).ok().filter(|&l| l > 0);
        let Tagged(value, tag) = spanned.value;
        let tag = match tag.as_deref() {
            Some("!reset") => Some(MergeTag::Reset),
            Some("!override") => Some(MergeTag::Override),
            _ => None,
        };
        Ok(Node { value, file: None, line, tag, substitution: None })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// A mapping key: any scalar, as text (compose keys are strings; `1:` or `true:` still name something).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(ValueVisitor)? {
            Value::Str(text) | Value::Scalar(text) => Ok(Key(text)),
            Value::Null => Ok(Key(String::new())),
            Value::Seq(_) | Value::Map(_) => Err(de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Scalar(go_float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = NodeMap::default();
        while let Some((Key(key), value)) = access.next_entry::<Key, Node>()? {
            map.insert(key, value);
        }
        Ok(Value::Map(map))
    }
}

/// Formats a float the way Go's `fmt` prints a `float64` (`%v`): integers without a fraction, exponent form for
/// very large or very small magnitudes.
fn go_float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let exponent = if v == 0.0 { 0 } else { v.abs().log10().floor() as i32 };
    if !(-4..21).contains(&exponent) {
        let text = format!("{v:e}");
        // Rust prints `1e21`, Go `1e+21`.
        return match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp:0>2}"),
            Some((mantissa, exp)) => format!("{mantissa}e-{:0>2}", &exp[1..]),
            None => text,
        };
    }
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_float(1.0), "1");
        assert_eq!(go_float(1000.0), "1000");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(0.00001), "1e-05");
    }
}
