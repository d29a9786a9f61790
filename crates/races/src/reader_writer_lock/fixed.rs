//! R7, fixed: the summary uses the settings its read already holds, and never re-locks.
//!
//! The guide's `ConfigurationManager` (L4585–4613) plus the same summary method as `broken.rs`,
//! with one line changed: the theme comes from `config`, the settings the `read` closure was handed,
//! instead of from `self.get_value`, which would lock again. A thread that never re-enters the lock
//! cannot wait behind a writer while holding it, whatever the lock's fairness policy.
//!
//! The rule that keeps it so as a class grows: public methods take the lock once; anything that
//! runs *inside* a closure works on the data it is given (private helpers take `&Settings`, not
//! `&self`). The other way out — `read_recursive`, which lets a reader overtake a queued writer — is
//! shown in the tests and the book, with the writer starvation it allows.

use std::collections::HashMap;

use racelab_kit::say;

use super::rwlock::ReaderWriterLock;

/// The settings: key → value (the guide's `[String: Any]`).
pub type Settings = HashMap<String, String>;

// ANCHOR: manager
/// The guide's configuration manager, with one more method.
pub struct ConfigurationManager {
    config_lock: ReaderWriterLock<Settings>,
}

impl ConfigurationManager {
    /// A manager holding `initial` settings.
    pub fn new(initial: Settings) -> Self {
        ConfigurationManager {
            config_lock: ReaderWriterLock::new("config", initial),
        }
    }

    /// One setting.
    pub fn get_value(&self, key: &str) -> Option<String> {
        self.config_lock.read(|config| config.get(key).cloned())
    }

    /// Sets one setting.
    pub fn set_value(&self, key: &str, value: &str) {
        self.config_lock.write(|config| {
            config.insert(key.to_string(), value.to_string());
        })
    }

    /// Sets several settings in one write.
    pub fn update_multiple_values(&self, updates: Settings) {
        self.config_lock.write(|config| config.extend(updates))
    }

    /// A copy of every setting.
    pub fn get_all_values(&self) -> Settings {
        self.config_lock.read(|config| config.clone())
    }

    /// Not in the guide: a one-line summary, e.g. "2 settings, theme light".
    pub fn describe(&self, work: impl FnOnce()) -> String {
        self.config_lock.read(|config| {
            work();
            say!("looks up the theme");
            let theme = config.get("theme").cloned(); // the data this read holds: no second lock
            format!(
                "{} settings, theme {}",
                config.len(),
                theme.unwrap_or_default()
            )
        })
    }
}
// ANCHOR_END: manager

impl super::Manager for ConfigurationManager {
    fn new(initial: Settings) -> Self {
        Self::new(initial)
    }
    fn describe(&self, work: impl FnOnce()) -> String {
        self.describe(work)
    }
    fn set_value(&self, key: &str, value: &str) {
        self.set_value(key, value)
    }
    fn get_value(&self, key: &str) -> Option<String> {
        self.get_value(key)
    }
    fn lock(&self) -> &ReaderWriterLock<Settings> {
        &self.config_lock // for the gate that waits until a writer has queued
    }
}
