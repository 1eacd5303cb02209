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
