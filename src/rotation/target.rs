//! What the user asked to rotate: a store (`redis`, `mongo`), `jwt`, or any env key.

/// A rotation target as typed on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Redis,
    Mongo,
    Jwt,
    Key(String),
}

impl Target {
    /// Parses `redis`, `mongo`, `jwt`, or takes the word as a key name.
    pub fn parse(word: &str) -> Target {
        match word {
            "redis" => Target::Redis,
            "mongo" | "mongodb" => Target::Mongo,
            "jwt" => Target::Jwt,
            key => Target::Key(key.to_string()),
        }
    }
}

/// As typed: `redis`, `mongo`, `jwt` or the key.
impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Target::Redis => "redis",
            Target::Mongo => "mongo",
            Target::Jwt => "jwt",
            Target::Key(key) => key,
        })
    }
}
