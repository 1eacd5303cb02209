//! A completion request as the docker CLI sends it: `__complete secops ARGS... CURRENT`.

/// cobra's request command, and its variant without descriptions.
pub const COMPLETE: &str = "__complete";
const COMPLETE_NO_DESC: &str = "__completeNoDesc";

/// The words typed so far and the one being completed (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Completed words after `secops`.
    pub words: Vec<String>,
    /// The word under the cursor.
    pub current: String,
    /// False when the shell asked for values without descriptions.
    pub descriptions: bool,
}

impl Request {
    /// The request in `args` (program name first, docker's global flags already removed), when it is one.
    ///
    /// docker sends `__complete secops ...`; run directly (`docker-secops __complete ...`) there is no `secops`.
    /// No sub-command is called `secops`, so dropping a leading one cannot eat a real word.
    pub fn from_args(args: &[String]) -> Option<Request> {
        let descriptions = match args.get(1).map(String::as_str) {
            Some(COMPLETE) => true,
            Some(COMPLETE_NO_DESC) => false,
            _ => return None,
        };
        let mut words: Vec<String> = args[2..].to_vec();
        if words.first().map(String::as_str) == Some(crate::plugin::PLUGIN_NAME) {
            words.remove(0);
        }
        let current = words.pop().unwrap_or_default();
        Some(Request { words, current, descriptions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(args: &[&str]) -> Option<Request> {
        Request::from_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn docker_form_and_direct_form_give_the_same_words() {
        let docker = request(&["docker-secops", "__complete", "secops", "rotate", "--env-file", "x", ""]);
        let direct = request(&["docker-secops", "__complete", "rotate", "--env-file", "x", ""]);
        assert_eq!(docker, direct);
        let r = docker.expect("a request");
        assert_eq!(r.words, ["rotate", "--env-file", "x"]);
        assert_eq!(r.current, "");
        assert!(r.descriptions);
        assert!(!request(&["docker-secops", "__completeNoDesc", "secops", "ro"]).expect("request").descriptions);
        assert_eq!(request(&["docker-secops", "check"]), None);
    }
}
