//! compose's `${VAR}` interpolation, as compose-go's `template` package does it.
//!
//! Forms: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?error}` (unset or
//! empty fails), `${VAR?error}` (unset fails), `${VAR:+alt}` (set and non-empty), `${VAR+alt}` (set), defaults and
//! alternatives nest (`${A:-${B:-x}}`), `$$` is a literal `$`. Like compose, a `$` followed by anything else is kept
//! as is, a malformed `${...}` is an error, and defaults are evaluated even when unused (so a `${B:?}` inside an
//! unused default still fails).

use super::{Interpolated, InterpolationError};

/// Interpolates `template`, asking `lookup` for each variable (`None`: unset).
pub fn interpolate(
    template: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Interpolated, InterpolationError> {
    let mut out = Interpolated::default();
    let bytes = template.as_bytes();
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        out.value.push_str(&template[literal_start..i]);
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.value.push('$');
                i += 2;
            }
            Some(b'{') => {
                let end = closing_brace(bytes, i).ok_or_else(|| invalid(template))?;
                let text = braced(&template[i + 2..end], lookup, &mut out).map_err(|err| match err {
                    InterpolationError::InvalidTemplate { .. } => invalid(template),
                    other => other,
                })?;
                out.value.push_str(&text);
                i = end + 1;
            }
            Some(&c) if is_name_start(c) => {
                let end = name_end(bytes, i + 1);
                let name = &template[i + 1..end];
                out.note_variable(name);
                match lookup(name) {
                    Some(value) => out.value.push_str(&value),
                    None => out.note_undefined(name),
                }
                i = end;
            }
            _ => {
                out.value.push('$');
                i += 1;
            }
        }
        literal_start = i;
    }
    out.value.push_str(&template[literal_start..]);
    Ok(out)
}

/// Substitutes the body of one `${...}` (without the braces).
fn braced(
    body: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Interpolated,
) -> Result<String, InterpolationError> {
    let bytes = body.as_bytes();
    if !bytes.first().is_some_and(|&c| is_name_start(c)) {
        return Err(invalid(body));
    }
    let name_len = name_end(bytes, 0);
    let (name, rest) = body.split_at(name_len);
    let (operator, argument) = split_operator(rest).ok_or_else(|| invalid(body))?;
    out.note_variable(name);
    let value = lookup(name);
    let is_set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
    if operator.is_empty() {
        return Ok(value.unwrap_or_else(|| {
            out.note_undefined(name);
            String::new()
        }));
    }
    // compose interpolates the default, message or alternative before it knows whether it is needed.
    let nested = interpolate(argument, lookup)?;
    let use_nested = match operator {
        ":-" => !is_set_nonempty,
        "-" => value.is_none(),
        ":+" => is_set_nonempty,
        "+" => value.is_some(),
        ":?" | "?" => {
            let missing = if operator == ":?" { !is_set_nonempty } else { value.is_none() };
            if missing {
                return Err(InterpolationError::Required { variable: name.to_string(), message: nested.value });
            }
            false
        }
        _ => return Err(invalid(body)),
    };
    if use_nested {
        out.absorb(&nested);
        Ok(nested.value)
    } else if matches!(operator, ":+" | "+") {
        Ok(String::new())
    } else {
        Ok(value.unwrap_or_default())
    }
}

/// Splits `:-default` into (`:-`, `default`); `Some(("", ""))` for nothing; `None` for an unknown operator.
fn split_operator(rest: &str) -> Option<(&str, &str)> {
    if rest.is_empty() {
        return Some(("", ""));
    }
    for operator in [":-", ":?", ":+", "-", "?", "+"] {
        if let Some(argument) = rest.strip_prefix(operator) {
            return Some((operator, argument));
        }
    }
    None
}

/// The index of the `}` closing the `${` at `start`, counting nested `${` the way compose-go does.
fn closing_brace(bytes: &[u8], start: usize) -> Option<usize> {
    let mut open = 0usize;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'}' {
            open = open.saturating_sub(1);
            if open == 0 {
                return Some(i);
            }
        }
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

/// True when `name` is a variable name as interpolation reads one: a letter or `_`, then letters, digits, `_`.
pub(crate) fn is_variable_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(|&c| is_name_start(c)) && name_end(bytes, 0) == bytes.len()
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < bytes.len() && (bytes[end] == b'_' || bytes[end].is_ascii_alphanumeric()) {
        end += 1;
    }
    end
}

fn invalid(template: &str) -> InterpolationError {
    InterpolationError::InvalidTemplate { template: template.to_string() }
}

#[cfg(test)]
#[path = "interpolate_tests.rs"]
mod tests;
