//! A portable model of what the twins run against — not Apple's API, and not pretending to be:
//! the *rules* LocalAuthentication and the Keychain apply, written down so a test can run them.
//!
//! * [`Device::evaluate_biometrics`] is `LAContext.evaluatePolicy(.deviceOwnerAuthenticationWith
//!   Biometrics)`: it succeeds for **any** face enrolled on the device right now — including one
//!   added after the app signed in, by someone who knows the passcode.
//! * [`Device::store`] with [`Access::WhenUnlocked`] is a plain Keychain item
//!   (`kSecAttrAccessibleWhenUnlockedThisDeviceOnly`): the app reads it whenever it runs.
//! * [`Access::BiometryCurrentSet`] is an item whose `SecAccessControl` has `.biometryCurrentSet`:
//!   the OS itself asks for a match before it releases it, and the item is **invalidated** when the
//!   enrolled set changes — documented for Touch ID fingers added or removed and for Face ID
//!   re-enrolled; whether a Face ID alternate appearance counts is not documented, and this model
//!   treats every change alike ([`SecAccessControlCreateFlags.biometryCurrentSet`](https://developer.apple.com/documentation/security/secaccesscontrolcreateflags/biometrycurrentset)).
//!
//! On a real device those rules are enforced outside the app (the Secure Enclave holds the
//! biometric match); here they are enforced by this module, which the twins cannot reach around.

use std::collections::HashMap;

use racelab_kit::say;
use racelab_kit::trace::as_actor;

/// A face (who is holding the phone, or who is enrolled).
pub type Face = &'static str;

/// How a Keychain item may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Whenever the device is unlocked: the app alone decides when to read it.
    WhenUnlocked,
    /// Only after the OS's own biometric match, and only while the enrolled set is the one at the
    /// time of writing.
    BiometryCurrentSet,
}

/// Why a Keychain read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeychainError {
    /// `errSecItemNotFound`.
    NotFound,
    /// The face did not match (`errSecAuthFailed`).
    NoMatch,
    /// The enrolled set changed since the item was written: it is gone for good.
    Invalidated,
}

#[derive(Debug, Clone)]
struct Item {
    secret: String,
    /// `Some(set)`: bound to the biometry set of that generation.
    bound_to: Option<u32>,
}

/// One phone: the enrolled faces (and how often the set changed), who is holding it, and its
/// Keychain.
#[derive(Debug, Clone)]
pub struct Device {
    enrolled: Vec<Face>,
    generation: u32,
    holder: Face,
    keychain: HashMap<&'static str, Item>,
}

impl Device {
    /// A phone with `owner`'s face enrolled, in `owner`'s hand.
    pub fn new(owner: Face) -> Device {
        Device {
            enrolled: vec![owner],
            generation: 0,
            holder: owner,
            keychain: HashMap::new(),
        }
    }

    /// Someone with the passcode adds a face in Settings: the enrolled set changes.
    pub fn enroll(&mut self, face: Face) {
        self.enrolled.push(face);
        self.generation += 1;
    }

    /// The phone changes hands.
    pub fn hand_to(&mut self, face: Face) {
        self.holder = face;
    }

    /// `evaluatePolicy(.deviceOwnerAuthenticationWithBiometrics)`: does the face in front of the
    /// camera match *any* enrolled face?
    pub fn evaluate_biometrics(&self) -> bool {
        self.enrolled.contains(&self.holder)
    }

    /// `SecItemAdd`.
    pub fn store(&mut self, account: &'static str, secret: &str, access: Access) {
        let bound_to = (access == Access::BiometryCurrentSet).then_some(self.generation);
        let secret = secret.to_owned();
        self.keychain.insert(account, Item { secret, bound_to });
    }

    /// `SecItemCopyMatching`: the OS applies the item's access control, not the app.
    pub fn read(&self, account: &str) -> Result<String, KeychainError> {
        let item = self.keychain.get(account).ok_or(KeychainError::NotFound)?;
        match item.bound_to {
            None => Ok(item.secret.clone()),
            Some(set) if set != self.generation => {
                as_actor("keychain", || {
                    say!("the item was bound to the faces enrolled at sign-in: invalidated")
                });
                Err(KeychainError::Invalidated)
            }
            Some(_) if !self.evaluate_biometrics() => Err(KeychainError::NoMatch),
            Some(_) => Ok(item.secret.clone()),
        }
    }
}
