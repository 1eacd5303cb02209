//! The facts a store kind is: its names, the images it serves, where it listens and which variables name its user.
//! Data, one `const` per kind; what a kind does lives in [`super::Kind`].

/// What every part of the program may ask of a store kind without running anything.
#[derive(Debug)]
pub struct KindInfo {
    /// The name used on the command line (`rotate redis`), in `x-secops` (`store: redis`), journals and output.
    pub name: &'static str,
    /// Other names accepted for it in `x-secops` (`valkey`, `mongodb`).
    pub aliases: &'static [&'static str],
    /// False for the env-files-only store: nothing outside the files to reach, set or test.
    pub external: bool,
    /// The image families (see [`crate::project::StatefulImage`]) whose servers this store speaks to.
    pub families: &'static [&'static str],
    /// The URI schemes `--store-uri` accepts for it, the usual one first.
    pub schemes: &'static [&'static str],
    /// The port the server listens on inside its container.
    pub default_port: u16,
    /// Keys that may hold the user name of a login, first found wins (`status`; empty: no user).
    pub user_keys: &'static [&'static str],
    /// The database a login authenticates against when none is declared.
    pub default_database: Option<&'static str>,
}

impl KindInfo {
    /// A kind with only a name: everything else empty, for `..KindInfo::NONE` in the kinds' constants.
    pub const NONE: KindInfo = KindInfo {
        name: "",
        aliases: &[],
        external: true,
        families: &[],
        schemes: &[],
        default_port: 0,
        user_keys: &[],
        default_database: None,
    };
}
