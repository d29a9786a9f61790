//! Where N6's token goes. The guide writes it to the Keychain (`SecItemDelete` + `SecItemAdd`,
//! L2659–2673), an Apple-only store; the portable core is a [`TokenStore`] trait and a file
//! implementation that does what a careful file store does — readable by the user alone, and
//! replaced atomically, so a crash leaves the old token or the new one, never half of one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Somewhere to keep the access token between launches.
pub trait TokenStore: Send + Sync {
    /// Stores `token`, replacing the one stored before; an error means nothing new was stored.
    fn save(&self, token: &str) -> io::Result<()>;
}

/// A token in a file of its own.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store writing `path` (its directory must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore { path: path.into() }
    }

    /// The file the token is written to.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

// ANCHOR: file
impl TokenStore for FileTokenStore {
    fn save(&self, token: &str) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        // A temporary file in the same directory (so the rename below stays on one file system);
        // tempfile creates it with mode 0600 on unix — set again here, as this store's promise.
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let owner_only = std::fs::Permissions::from_mode(0o600);
            file.as_file().set_permissions(owner_only)?;
        }
        file.write_all(token.as_bytes())?;
        file.as_file().sync_all()?; // on disk before it takes the token's name
        file.persist(&self.path).map_err(|e| e.error)?; // rename(2): old token or new, never half
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?; // and the rename itself is on disk before Ok
        Ok(())
    }
}
// ANCHOR_END: file
