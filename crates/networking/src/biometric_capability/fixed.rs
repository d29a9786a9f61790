//! N7, the guide's `SecureBiometricNetworkManager` (L2767–2852), fixed: the session token lives
//! in a Keychain item bound to `.biometryCurrentSet`, so the OS — not a branch in the app —
//! releases it, only after its own match, and never again once the enrolled faces change. The
//! `evaluate_biometrics` branch stays as the prompt the user sees; it no longer guards anything.

use super::device::{Access, Device};
use super::{ACCOUNT, AuthError, Bank};

/// The app: it signs in once, then makes "secure" requests behind Face ID.
#[derive(Debug, Default)]
pub struct SecureBiometricNetworkManager;

impl super::App for SecureBiometricNetworkManager {
    // ANCHOR: app
    /// After the password sign-in: keep the session token for later requests.
    fn signed_in(&self, device: &mut Device, token: &str) {
        device.store(ACCOUNT, token, Access::BiometryCurrentSet); // the OS checks the face
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
