//! Shared by the core's integration tests: where the real material of `../shared/` is.

use std::path::PathBuf;

/// `../shared/corpus/` beside the repository. A fresh clone without it skips the tests that
/// read it (with a message); CI always has it, so there (`CI` set) its absence is a failure.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("the shared corpus is missing: expected {} (the `shared/` folder beside the repository)", dir.display());
    }
    eprintln!("skipped: {} is not there (clone the shared material beside the repository to run this test)", dir.display());
    None
}
