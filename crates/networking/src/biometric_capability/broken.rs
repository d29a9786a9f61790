//! N7, the guide's `SecureBiometricNetworkManager` (L2767–2852), ported. This version is
//! problematic: Face ID only gates a branch in the app (`evaluatePolicy`, which any *currently*
//! enrolled face passes), and the credential the request carries sits in a plain Keychain item
//! the app can read whenever it runs. Whoever adds their face to the phone later gets in.

use super::device::{Access, Device};
use super::{ACCOUNT, AuthError, Bank};

/// The app: it signs in once, then makes "secure" requests behind Face ID.
#[derive(Debug, Default)]
pub struct SecureBiometricNetworkManager;

impl super::App for SecureBiometricNetworkManager {
    // ANCHOR: app
    /// After the password sign-in: keep the session token for later requests.
    fn signed_in(&self, device: &mut Device, token: &str) {
        device.store(ACCOUNT, token, Access::WhenUnlocked);
    }

    /// `secureRequest(from:)`: "first authenticate with biometrics", then the request.
    fn secure_request(&self, device: &Device, bank: &Bank) -> Result<String, AuthError> {
        if !device.evaluate_biometrics() {
            return Err(AuthError::AuthenticationFailed);
        }
        let token = device.read(ACCOUNT).map_err(AuthError::Keychain)?;
        bank.account(&token)
    }
    // ANCHOR_END: app
}
