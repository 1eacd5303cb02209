//! Walks the typed words through clap's command tree to find what the word under the cursor can be: a
//! sub-command, a flag, a flag's value or a positional value.

use clap::{Arg, ArgAction, Command, CommandFactory, ValueHint};

use super::{Candidate, Completion, Directive, Request, value_source};
use crate::cli::Cli;

/// Where the walk ended.
struct State<'c> {
    command: &'c Command,
    /// The flag whose value is being typed (the previous word was `--flag` without `=`).
    pending: Option<&'c Arg>,
    /// Positional values already given to `command`.
    positionals: usize,
    /// A `--` was typed: everything after it is positional.
    after_dashdash: bool,
    /// The flags already given to `command`, by id.
    given: Vec<String>,
}

/// Answers `request` for our command line. Never fails: a project that does not load yields no dynamic values.
pub fn complete(request: &Request) -> Completion {
    let mut root = Cli::command();
    root.build();
    let state = walk(&root, &request.words);
    let current = request.current.as_str();
    let (candidates, directive) = if let Some(arg) = state.pending {
        values(state.command, arg, request, "")
    } else if let Some((flag, _)) = current.strip_prefix("--").and_then(|c| c.split_once('='))
        && let Some(arg) = long(state.command, flag)
    {
        values(state.command, arg, request, &format!("--{flag}="))
    } else if current.starts_with('-') && !state.after_dashdash {
        (flags(&state), Directive::NoFileComp)
    } else if state.command.has_subcommands() && state.positionals == 0 {
        let subs = state.command.get_subcommands().filter(|s| !s.is_hide_set());
        (subs.map(|s| Candidate::new(s.get_name(), s.get_about().map(|a| a.to_string()).as_deref())).collect(), {
            Directive::NoFileComp
        })
    } else {
        match positional(state.command, state.positionals) {
            Some(arg) => values(state.command, arg, request, ""),
            None => (Vec::new(), Directive::NoFileComp),
        }
    };
    // Values after `--flag=` carry the prefix, so one filter serves every case.
    let candidates = candidates.into_iter().filter(|c| c.value.starts_with(current)).collect();
    Completion { candidates, directive, descriptions: request.descriptions }
}

fn walk<'c>(root: &'c Command, words: &[String]) -> State<'c> {
    let mut state = State { command: root, pending: None, positionals: 0, after_dashdash: false, given: Vec::new() };
    for word in words {
        if state.pending.take().is_some() {
            continue;
        }
        if state.after_dashdash {
            state.positionals += 1;
        } else if word == "--" {
            state.after_dashdash = true;
        } else if let Some(flag) = word.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((name, _)) => (name, true),
                None => (flag, false),
            };
            if let Some(arg) = long(state.command, name) {
                state.given.push(arg.get_id().to_string());
                state.pending = (takes_value(arg) && !inline).then_some(arg);
            }
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = shorts.chars();
            if let Some(arg) =
                chars.next().and_then(|c| state.command.get_arguments().find(|a| a.get_short() == Some(c)))
            {
                state.given.push(arg.get_id().to_string());
                state.pending = (takes_value(arg) && chars.as_str().is_empty()).then_some(arg);
            }
        } else if state.positionals == 0
            && let Some(sub) = state.command.find_subcommand(word)
        {
            state = State { command: sub, pending: None, positionals: 0, after_dashdash: false, given: Vec::new() };
        } else {
            state.positionals += 1;
        }
    }
    state
}

fn long<'c>(command: &'c Command, name: &str) -> Option<&'c Arg> {
    command
        .get_arguments()
        .find(|a| a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name)))
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

/// The flags of the state's command not given yet (repeatable ones always), as `--long`.
fn flags(state: &State) -> Vec<Candidate> {
    state
        .command
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
        .filter(|a| matches!(a.get_action(), ArgAction::Append) || !state.given.contains(&a.get_id().to_string()))
        .filter_map(|a| {
            Some(Candidate::new(format!("--{}", a.get_long()?), a.get_help().map(|h| h.to_string()).as_deref()))
        })
        .collect()
}

/// The positional argument that takes the next value: the `index`th, or a last one that takes many.
fn positional(command: &Command, index: usize) -> Option<&Arg> {
    let positionals: Vec<&Arg> = command.get_positionals().collect();
    positionals
        .get(index)
        .copied()
        .or_else(|| positionals.last().copied().filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1)))
}

/// The values `arg` of `command` takes, each prefixed with `prefix` (`--format=`): from the project for targets,
/// services and checks, the possible values of an enum, else what the shell completes by itself.
fn values(command: &Command, arg: &Arg, request: &Request, prefix: &str) -> (Vec<Candidate>, Directive) {
    let prefixed = |list: Vec<Candidate>| {
        list.into_iter().map(|c| Candidate { value: format!("{prefix}{}", c.value), ..c }).collect::<Vec<_>>()
    };
    if let Some(list) = value_source::values(command.get_name(), arg.get_id().as_str(), request) {
        return (prefixed(list), Directive::NoFileComp);
    }
    let possible: Vec<Candidate> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| Candidate::new(v.get_name(), v.get_help().map(|h| h.to_string()).as_deref()))
        .collect();
    if !possible.is_empty() {
        return (prefixed(possible), Directive::NoFileComp);
    }
    match arg.get_value_hint() {
        ValueHint::FilePath | ValueHint::AnyPath | ValueHint::ExecutablePath => (Vec::new(), Directive::Default),
        ValueHint::DirPath => (Vec::new(), Directive::FilterDirs),
        _ => (Vec::new(), Directive::NoFileComp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_words(words: &[&str]) -> Completion {
        let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let current = words.pop().unwrap_or_default();
        complete(&Request { words, current, descriptions: true })
    }

    fn values_of(c: &Completion) -> Vec<&str> {
        c.candidates.iter().map(|c| c.value.as_str()).collect()
    }

    #[test]
    fn sub_commands_flags_and_enum_values() {
        let c = complete_words(&["r"]);
        assert_eq!(values_of(&c), ["recreate", "rotate"]);
        assert_eq!(c.directive, Directive::NoFileComp);
        assert!(!values_of(&complete_words(&[""])).contains(&"man"), "hidden sub-commands are not offered");
        let c = complete_words(&["check", "--for"]);
        assert_eq!(values_of(&c), ["--format"]);
        let c = complete_words(&["check", "--format", ""]);
        assert_eq!(values_of(&c), ["human", "json", "sarif", "github"]);
        let c = complete_words(&["check", "--format=s"]);
        assert_eq!(values_of(&c), ["--format=sarif"]);
        let c = complete_words(&["inventory", "--format", "m"]);
        assert_eq!(values_of(&c), ["mermaid"]);
    }

    #[test]
    fn checks_complete_by_name_and_files_are_left_to_the_shell() {
        let c = complete_words(&["check", "--only", "secret-"]);
        assert!(values_of(&c).contains(&"secret-age") && values_of(&c).iter().all(|v| v.starts_with("secret-")));
        assert_eq!(complete_words(&["check", "-f", ""]).directive, Directive::Default);
        assert_eq!(complete_words(&["check", "--project-directory", ""]).directive, Directive::FilterDirs);
        assert_eq!(complete_words(&["rotate", "--operator", ""]).directive, Directive::NoFileComp);
    }

    #[test]
    fn given_flags_are_not_offered_again_but_repeatable_ones_are() {
        let c = complete_words(&["check", "--no-history", "--only", "weak-secret", "--"]);
        assert!(!values_of(&c).contains(&"--no-history"));
        assert!(values_of(&c).contains(&"--only"));
    }
}
