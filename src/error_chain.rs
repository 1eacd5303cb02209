//! An error and its causes as text, each cause said once: many messages already end with their source's text
//! (`cannot read F: Is a directory`), and repeating it makes a long line longer without saying more.

/// The messages of `err` and of each of its sources, minus any that the message before already ends with.
pub fn causes(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut said: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if said.last().is_none_or(|last| !last.ends_with(&text)) {
            said.push(text);
        }
        next = e.source();
    }
    said
}

/// [`causes`] joined with `": "`, for one line.
pub fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    causes(err).join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read f.env: {0}")]
    struct Echoing(#[source] std::io::Error);

    #[derive(Debug, thiserror::Error)]
    #[error("loading failed")]
    struct Plain(#[source] std::io::Error);

    #[test]
    fn a_cause_the_message_already_holds_is_said_once() {
        let io = || std::io::Error::other("Is a directory");
        assert_eq!(one_line(&Echoing(io())), "cannot read f.env: Is a directory");
        assert_eq!(one_line(&Plain(io())), "loading failed: Is a directory");
    }
}
