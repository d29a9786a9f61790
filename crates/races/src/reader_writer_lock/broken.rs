//! R7, broken: a configuration manager that takes its read lock again while already reading.
//!
//! This version is problematic.
//!
//! The guide's `ConfigurationManager` (L4585–4613) — `get_value`, `set_value`,
//! `update_multiple_values`, `get_all_values` — ported as written, plus the one method such a
//! class grows sooner or later: a summary that reuses `get_value` from inside a `read` closure.
//! Alone it works (a read inside a read is fine while nobody wants to write). But if a writer
//! queues between the two reads, the inner read waits behind the writer, and the writer waits for
//! the outer read to end: the thread has deadlocked with itself, through the writer. `work` marks
//! the spot between the two reads (where real code would format, log, compute); a test puts a
//! gate there.

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
            let theme = self.get_value("theme"); // takes the read lock again, inside the read
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
